/**
 * Subscription dialogs, notifier side (RFC 6665; RFC 3261 §12 as UAS). SIP-level: knows nothing of
 * users; event packages (presence, the contact list, conference state, ...) sit on top.
 *
 *   const subs = new SubscriptionManager({ transactions, transport, localAddress, frontEndId, log, serverName, reroute? });
 *
 *   // In a dispatcher handler for SUBSCRIBE:
 *   if (tagOf(toOf(ctx.request))) {                      // in-dialog: refresh or unsubscribe
 *     if (!subs.handleInDialog(ctx)) ctx.respond(481, 'Subscription Does Not Exist');
 *     return;
 *   }
 *   const sub = subs.accept(ctx, { event: 'presence', expires: 3600 });   // 200 + To-tag, Contact, Expires
 *   sub.setStateProvider((purpose) => ({ body, contentType })); // 'refresh' NOTIFY and the 'final' one
 *   sub.onTerminated(({ reason }) => ...);                 // expiry, unsubscribe, flow closed, 481, close()
 *   await sub.notify({ body, contentType });               // first NOTIFY right after the 200 (§4.2.1.1)
 *   ...
 *   await sub.close('noresource');                          // final NOTIFY `terminated;reason=noresource`
 *
 * Behaviour:
 * - accept(): answers 200 (or 202) with our To-tag, `Contact` (our address on the flow unless given)
 *   and `Expires` (the caller's grant, which also caps refreshes). Record-Route of the SUBSCRIBE
 *   becomes the route set; the subscriber's Contact the remote target. Expires 0 is a fetch (§4.4.3):
 *   the first NOTIFY is sent as `terminated;reason=timeout` and ends it.
 * - handleInDialog(): matches Call-ID + both tags + Event package/id. Refresh: 200 with the new
 *   Expires (capped), 423 below minExpires, 500 for an old CSeq; then onRefresh listeners and a NOTIFY
 *   of the provider's state (§4.2.1.2). Expires 0: 200, then the final NOTIFY (reason=timeout).
 * - notify(): NOTIFY per §4.2.2/§8.2.1 (Event with id, Subscription-State with expires or reason,
 *   CSeq +1, our Via with a fresh branch, Max-Forwards 70, Contact, Route set) in a client
 *   transaction on the subscription's flow. One in flight per subscription; at most one waiting,
 *   and a newer state replaces it (coalescing). Resolves with the final status (408 on Timer F,
 *   503 on flow failure, 0 if the subscription had already ended).
 * - A NOTIFY answered 481, timed out, or refused without Retry-After ends the subscription (§4.2.2).
 * - Expiry: final NOTIFY `terminated;reason=timeout`, then ended.
 * - Flow closed: ended (no NOTIFY), unless `reroute` finds another live flow to the remote target.
 * - Not persisted: after a restart a subscriber's refresh gets 481 and it subscribes again (§4.1.2.2).
 */
export { SubscriptionManager, parseEvent } from './manager';
export { Subscription, type DialogState, type StateProvider } from './subscription';
export type {
  AcceptOptions,
  NotifyContent,
  NotifyOptions,
  NotifyStatus,
  SubscribeContext,
  SubscriptionManagerOptions,
  SubscriptionStateValue,
  TerminationInfo,
  TerminationReason,
} from './types';
