/**
 * The notifier side of RFC 6665 for every event package: answers an initial SUBSCRIBE that a service
 * accepted (creating the dialog as UAS, RFC 3261 §12.1.1), answers refreshes and unsubscribes inside
 * existing subscriptions (RFC 6665 §4.2.1.2, §4.2.1.4), and ends subscriptions whose flow closed.
 * The manager owns its subscriptions (STYLE.md): they leave its indexes when they end.
 */
import { SipError } from '../message/errors';
import { callIdOf, contactsOf, cseqOf, expiresOf, formatNameAddr, formatUri, fromOf, newTag, tagOf, toOf } from '../message/index';
import type { NameAddr, SipRequest } from '../message/types';
import type { Flow } from '../transport/types';
import { Subscription, type DialogState } from './subscription';
import type { AcceptOptions, SubscribeContext, SubscriptionManagerOptions } from './types';

/** `presence;id=7` -> package and id (RFC 6665 §8.2.1: the package is case-insensitive). */
export function parseEvent(value: string | undefined): { event: string; id?: string } | undefined {
  if (value === undefined) return undefined;
  const [pkg, ...params] = value.split(';');
  const event = pkg!.trim().toLowerCase();
  if (!/^[a-z0-9.!%*_+`'~-]+$/.test(event)) return undefined;
  let id: string | undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === 'id') id = p.slice(eq + 1).trim();
  }
  return { event, id };
}

function withoutTag(na: NameAddr): string {
  const params = new Map(na.params);
  params.delete('tag');
  return formatNameAddr({ ...na, params });
}

function dialogKey(callId: string, localTag: string, remoteTag: string, event: string, id: string | undefined): string {
  return `${callId}\n${localTag}\n${remoteTag}\n${event}\n${id ?? ''}`;
}

export class SubscriptionManager {
  private readonly byKey = new Map<string, Subscription>();
  private readonly byFlow = new Map<string, Set<Subscription>>();
  private readonly now: () => number;

  constructor(private readonly opts: SubscriptionManagerOptions) {
    this.now = opts.now ?? Date.now;
    opts.transport.on('flowClose', (flow) => this.flowClosed(flow));
  }

  get size(): number {
    return this.byKey.size;
  }

  all(): Subscription[] {
    return [...this.byKey.values()];
  }

  /**
   * Answers an initial SUBSCRIBE with 200 (or 202): To-tag, Contact, Expires (RFC 6665 §4.2.1.1,
   * §4.2.1.2) and returns the new subscription. The caller sends the first NOTIFY right after
   * (RFC 6665 §4.2.1.1: immediately, with the current state). Throws SipError 400 when the request
   * cannot form a dialog (no From-tag or Contact).
   */
  accept(ctx: SubscribeContext, options: AcceptOptions): Subscription {
    const req = ctx.request;
    const from = fromOf(req);
    const remoteTag = tagOf(from);
    if (!remoteTag) throw new SipError(400, 'Bad Request (From has no tag)');
    const contact = contactsOf(req)[0];
    if (!contact || contact.wildcard) throw new SipError(400, 'Bad Request (SUBSCRIBE without Contact)');
    const to = toOf(req);
    const localTag = tagOf(to) ?? newTag();
    const callId = callIdOf(req);
    const ev = parseEvent(req.headers.get('Event'));
    const expires = Math.max(0, Math.floor(options.expires));
    const ourContact = options.contact ?? this.defaultContact(ctx.flow);
    const dialog: DialogState = {
      callId,
      localTag,
      remoteTag,
      localUri: withoutTag(to),
      remoteUri: withoutTag(from),
      remoteTarget: formatUri(contact.uri),
      routeSet: req.headers.getAll('Record-Route'),
      remoteCseq: cseqOf(req).seq,
      contact: ourContact,
    };
    const key = dialogKey(callId, localTag, remoteTag, options.event, ev?.id);
    this.byKey.get(key)?.end({ reason: 'deactivated' });
    ctx.respond(options.status ?? 200, undefined, {
      toTag: localTag,
      headers: [['Contact', `<${ourContact}>`], ['Expires', String(expires)], ...(options.headers ?? [])],
    });
    const sub = new Subscription(key, options.event, ev?.id, dialog, ctx.flow, expires, options.pending ?? false, Math.max(expires, 1), options.minExpires ?? 1, {
      transactions: this.opts.transactions,
      localAddress: (f) => this.opts.localAddress(f),
      log: this.opts.log,
      userAgent: this.opts.serverName,
      now: this.now,
      onEnded: (s) => this.forget(s),
    });
    this.byKey.set(key, sub);
    this.indexFlow(sub, ctx.flow);
    return sub;
  }

  /** The live subscription an in-dialog SUBSCRIBE belongs to (Call-ID, tags, Event package and id). */
  find(req: SipRequest): Subscription | undefined {
    const localTag = tagOf(toOf(req));
    const remoteTag = tagOf(fromOf(req));
    const ev = parseEvent(req.headers.get('Event'));
    if (!localTag || !remoteTag || !ev) return undefined;
    const sub = this.byKey.get(dialogKey(callIdOf(req), localTag, remoteTag, ev.event, ev.id));
    return sub && sub.state !== 'terminated' ? sub : undefined;
  }

  /**
   * Handles an in-dialog SUBSCRIBE (refresh, or unsubscribe with Expires: 0) when it belongs to one
   * of our subscriptions; returns false (and answers nothing) otherwise, so the caller decides
   * between 481 and passing it on.
   */
  handleInDialog(ctx: SubscribeContext): boolean {
    const req = ctx.request;
    if (req.method !== 'SUBSCRIBE') return false;
    const sub = this.find(req);
    if (!sub) return false;
    const cseq = cseqOf(req).seq;
    // RFC 3261 §12.2.2: a CSeq lower than the last one is out of order.
    if (cseq <= sub.dialog.remoteCseq) {
      ctx.respond(500, 'Server Internal Error (CSeq out of order)', { headers: [['Retry-After', '1']] });
      return true;
    }
    const requested = expiresOf(req);
    const contact = contactsOf(req)[0];
    const target = contact && !contact.wildcard ? formatUri(contact.uri) : undefined;
    if (requested === 0) {
      // RFC 6665 §4.2.1.4: unsubscribe; a final NOTIFY with the current state follows the 200.
      ctx.respond(200, undefined, { headers: [['Contact', `<${sub.dialog.contact}>`], ['Expires', '0']] });
      sub.dialog.remoteCseq = cseq;
      void sub.close('timeout', { info: { reason: 'unsubscribed' } });
      return true;
    }
    if (requested !== undefined && requested < sub.minExpires) {
      ctx.respond(423, 'Interval Too Brief', { headers: [['Min-Expires', String(sub.minExpires)]] });
      return true;
    }
    const granted = Math.min(requested ?? sub.maxExpires, sub.maxExpires);
    ctx.respond(200, undefined, { headers: [['Contact', `<${sub.dialog.contact}>`], ['Expires', String(granted)]] });
    sub.refreshed(granted, target, cseq);
    return true;
  }

  /** Ends every subscription without NOTIFYs (shutdown: the flows close right after). */
  close(): void {
    for (const sub of [...this.byKey.values()]) sub.end({ reason: 'shutdown' });
  }

  private defaultContact(flow: Flow): string {
    const a = this.opts.localAddress(flow);
    const host = a.host.includes(':') && !a.host.startsWith('[') ? `[${a.host}]` : a.host;
    return `sip:${host}:${a.port};transport=${a.transport.toLowerCase()}`;
  }

  private indexFlow(sub: Subscription, flow: Flow): void {
    let set = this.byFlow.get(flow.id);
    if (!set) this.byFlow.set(flow.id, (set = new Set()));
    set.add(sub);
  }

  private forget(sub: Subscription): void {
    if (this.byKey.get(sub.key) === sub) this.byKey.delete(sub.key);
    const set = this.byFlow.get(sub.flow.id);
    set?.delete(sub);
    if (set?.size === 0) this.byFlow.delete(sub.flow.id);
  }

  private flowClosed(flow: Flow): void {
    const set = this.byFlow.get(flow.id);
    if (!set) return;
    this.byFlow.delete(flow.id);
    for (const sub of set) {
      if (!this.opts.reroute) {
        sub.end({ reason: 'flow-closed' });
        continue;
      }
      void this.opts.reroute(sub.dialog.remoteTarget, flow).then(
        (next) => {
          if (sub.ended) return;
          if (next && !next.closed) {
            sub.moveTo(next);
            this.indexFlow(sub, next);
          } else sub.end({ reason: 'flow-closed' });
        },
        () => sub.end({ reason: 'flow-closed' }),
      );
    }
  }
}
