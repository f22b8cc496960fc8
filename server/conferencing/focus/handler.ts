/**
 * Requests to a conference URI (sip:<organizer>@<domain>;gruu;opaque=app:conf:focus:id:<id>):
 * INVITE joins (RFC 3261 §13.3 as UAS; the 200 carries the JoinAnswer), BYE leaves, INFO carries
 * C3P commands, SUBSCRIBE to the `conference` event package (RFC 4575) gets the roster, MESSAGE
 * is group chat.
 */
import { SipError } from '../../sip/message/errors';
import { fromOf, tagOf, toOf } from '../../sip/message/index';
import { parseEvent, type SubscriptionManager } from '../../sip/dialog/index';
import type { RequestContext } from '../../dispatcher/context';
import { CONFERENCE_EVENT, CONFERENCE_IM_MAX_BYTES, CONFERENCE_INFO_CONTENT_TYPE, JOIN_CONTENT_TYPE } from '../../../shared/conferencing/types';
import type { MeetingStore } from '../focus-factory/store';
import { answerC3p } from '../focus-factory/c3pInfo';
import type { Logger } from '../../log';
import type { Focus, Joiner } from './focus';
import { JoinDialog } from './inviteDialog';
import type { FocusRegistry } from './registry';

export interface FocusHandlerDeps {
  registry: FocusRegistry;
  store: MeetingStore;
  subscriptions: SubscriptionManager;
  displayNameOf(user: string): Promise<string | undefined>;
  log: Logger;
}

const MAX_SUBSCRIPTION_S = 3_600;

export async function handleFocusRequest(ctx: RequestContext, conferenceId: string, deps: FocusHandlerDeps): Promise<void> {
  const user = ctx.user;
  if (!user) throw new SipError(403, 'Forbidden (not authenticated)');
  const req = ctx.request;
  const inDialog = !!tagOf(toOf(req));
  if (req.method === 'SUBSCRIBE' && inDialog) {
    if (!deps.subscriptions.handleInDialog(ctx)) ctx.respond(481, 'Subscription Does Not Exist');
    return;
  }
  const focus = await deps.registry.get(conferenceId);
  const contact: [string, string] = ['Contact', `<${focus.view().uri}>`];
  switch (req.method) {
    case 'INVITE': {
      if (inDialog) {
        // A re-INVITE (session refresh) in the join dialog: the current answer again.
        const d = focus.dialogOf(user);
        if (!d || !d.matches(req)) throw new SipError(481, 'Call/Transaction Does Not Exist');
        const p = focus.participant(user)!;
        return reply(ctx, { conferenceId, user, role: p.role, status: p.status }, d.localTag, contact);
      }
      const who = await joiner(user, conferenceId, fromOf(req).displayName, deps);
      const dialog = new JoinDialog(req, ctx.flow);
      const answer = await focus.join(who, dialog);
      return reply(ctx, answer, dialog.localTag, contact);
    }
    case 'BYE': {
      const d = focus.dialogOf(user);
      if (!d || !d.matches(req)) throw new SipError(481, 'Call/Transaction Does Not Exist');
      ctx.respond(200, 'OK');
      await focus.leave(user, d);
      return;
    }
    case 'INFO':
      return answerC3p(ctx, deps.log, (c) => focus.command(user, c));
    case 'MESSAGE': {
      // RFC 3428 §7: text/plain is what every participant's client renders.
      const type = (req.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'text/plain') throw new SipError(415, 'Unsupported Media Type', [['Accept', 'text/plain']]);
      if (req.body.length === 0 || req.body.length > CONFERENCE_IM_MAX_BYTES) throw new SipError(413, 'Message Too Large (or empty)');
      const text = req.body.toString('utf8');
      const me = focus.participant(user);
      if (!me || me.status !== 'connected' || me.ejected) throw new SipError(403, 'Forbidden (only people in the meeting can chat)');
      ctx.respond(200, 'OK');
      await focus.chat(user, text);
      return;
    }
    case 'SUBSCRIBE': {
      const ev = parseEvent(req.headers.get('Event'));
      if (ev?.event !== CONFERENCE_EVENT) throw new SipError(489, 'Bad Event', [['Allow-Events', CONFERENCE_EVENT]]);
      if (!focus.participant(user)) throw new SipError(403, 'Forbidden (join the meeting first)');
      const requested = Number(req.headers.get('Expires') ?? MAX_SUBSCRIPTION_S);
      const sub = deps.subscriptions.accept(ctx, {
        event: CONFERENCE_EVENT,
        expires: Math.min(Number.isFinite(requested) ? requested : MAX_SUBSCRIPTION_S, MAX_SUBSCRIPTION_S),
        contact: focus.view().uri,
        headers: [['Accept', CONFERENCE_INFO_CONTENT_TYPE]],
      });
      focus.subscribe(sub, user);
      return;
    }
    default:
      throw new SipError(405, 'Method Not Allowed', [['Allow', 'INVITE, ACK, BYE, CANCEL, INFO, MESSAGE, SUBSCRIBE']]);
  }
}

function reply(ctx: RequestContext, body: unknown, toTag: string, contact: [string, string]): void {
  ctx.respond(200, 'OK', { toTag, headers: [contact], body: Buffer.from(JSON.stringify(body)), contentType: JOIN_CONTENT_TYPE });
}

/** Who is joining: a guest of this very conference, or a user of the domain. */
async function joiner(user: string, conferenceId: string, fromName: string | undefined, deps: FocusHandlerDeps): Promise<Joiner> {
  const guest = await deps.store.guest(user);
  if (guest) {
    if (guest.conferenceId !== conferenceId) throw new SipError(403, 'Forbidden (a guest pass is for one meeting only)');
    return { user, displayName: guest.displayName, guest: true };
  }
  return { user, displayName: (await deps.displayNameOf(user)) || fromName || user, guest: false };
}

export type { Focus };
