/**
 * SUBSCRIBE for the presence event package (RFC 3856 §6, RFC 6665 §4.2): a subscription to one
 * person, or (RFC 4662) a batched one to a list: a subscriber that supports `eventlist` and
 * subscribes to its own AOR gets its list, either the URIs of a resource-lists body (RFC 4826) or,
 * without a body, its contact list (which the server follows as it changes), itself included.
 * docs/presence.md has the wire.
 */
import { SipError } from '../sip/message/errors';
import { expiresOf, fromOf, mediaTypeOf, optionTags, tagOf, toOf } from '../sip/message/index';
import { parseEvent } from '../sip/dialog/index';
import type { MethodHandler } from '../dispatcher/dispatcher';
import type { RequestContext } from '../dispatcher/context';
import { normalizeContactUri } from '../../shared/contacts';
import { PIDF_TYPE, PRESENCE_EVENT, RESOURCE_LISTS_TYPE, RLMI_TYPE } from '../../shared/presence/types';
import { readResourceList, ResourceListError } from './rlmi';
import type { PresenceService } from './service';

export interface SubscribeSettings {
  defaultExpires: number;
  minExpires: number;
  maxExpires: number;
  /** Resources in one batched subscription. */
  maxListSize: number;
}

export function subscribeHandler(svc: PresenceService): MethodHandler {
  return {
    module: 'presence',
    async handle(ctx) {
      const req = ctx.request;
      const ev = parseEvent(req.headers.get('Event'));
      // Other packages (the contact list, conference state, ...) belong to other services.
      if (ev?.event !== PRESENCE_EVENT || ctx.dialog) return;
      if (tagOf(toOf(req))) {
        if (!svc.subscriptions.handleInDialog(ctx)) ctx.respond(481, 'Subscription Does Not Exist');
        return;
      }
      if (req.uri.host !== svc.domain || !req.uri.user) return; // the router answers (404: not our domain)
      const watcherUri = watcherOf(ctx);
      const presentity = req.uri.user.toLowerCase();
      const expires = grant(ctx, svc.settings.subscribe);
      const wantsList = optionTags(req, 'Supported').includes('eventlist') || optionTags(req, 'Require').includes('eventlist');
      if (wantsList && ctx.user === presentity) return subscribeList(ctx, svc, presentity, watcherUri, expires);
      accepts(ctx, PIDF_TYPE);
      if (!(await svc.book.prepare(presentity))) throw new SipError(404, 'Not Found (no such user)');
      const level = await svc.contacts.accessLevel(presentity, watcherUri);
      const sub = svc.subscriptions.accept(ctx, { event: PRESENCE_EVENT, expires, minExpires: svc.settings.subscribe.minExpires });
      svc.watchOne(sub, presentity, watcherUri, level);
    },
  };
}

async function subscribeList(ctx: RequestContext, svc: PresenceService, owner: string, watcherUri: string, expires: number): Promise<void> {
  accepts(ctx, 'multipart/related');
  accepts(ctx, RLMI_TYPE);
  let uris: string[] | undefined;
  if (ctx.request.body.length > 0) {
    if (mediaTypeOf(ctx.request) !== RESOURCE_LISTS_TYPE) throw new SipError(415, 'Unsupported Media Type', [['Accept', RESOURCE_LISTS_TYPE]]);
    try {
      uris = readResourceList(ctx.request.body.toString('utf8'), svc.settings.subscribe.maxListSize);
    } catch (err) {
      if (err instanceof ResourceListError) throw new SipError(400, `Bad Request (${err.message})`);
      throw err;
    }
  }
  const followContacts = uris === undefined;
  const members = await svc.members(owner, watcherUri, uris ?? (await svc.contactListUris(owner)));
  const sub = svc.subscriptions.accept(ctx, {
    event: PRESENCE_EVENT,
    expires,
    minExpires: svc.settings.subscribe.minExpires,
    headers: [['Require', 'eventlist']],
  });
  svc.watchList(sub, owner, watcherUri, members, followContacts);
}

/** RFC 6665 §4.2.1.1: the duration granted, 423 below our minimum (0 is a fetch). */
function grant(ctx: RequestContext, s: SubscribeSettings): number {
  const requested = expiresOf(ctx.request) ?? s.defaultExpires;
  if (requested !== 0 && requested < s.minExpires) throw new SipError(423, 'Interval Too Brief', [['Min-Expires', String(s.minExpires)]]);
  return Math.min(requested, s.maxExpires);
}

/** RFC 3261 §21.4.7 / RFC 6665 §4.1.2: 406 when Accept is given and excludes what we would send. */
function accepts(ctx: RequestContext, type: string): void {
  const accept = ctx.request.headers.getAll('Accept');
  if (accept.length === 0) return;
  const [major] = type.split('/');
  const ok = accept.some((a) => {
    const t = a.split(';')[0]!.trim().toLowerCase();
    return t === type || t === '*/*' || t === `${major}/*`;
  });
  if (!ok) throw new SipError(406, 'Not Acceptable', [['Accept', type]]);
}

/** The authenticated user; for a peer server, the From URI it asserted. */
function watcherOf(ctx: RequestContext): string {
  const raw = ctx.user ? `sip:${ctx.user}@${ctx.request.uri.host}` : `sip:${fromOf(ctx.request).uri.user ?? ''}@${fromOf(ctx.request).uri.host}`;
  const uri = normalizeContactUri(raw);
  if (!uri) throw new SipError(403, 'Forbidden (unknown watcher)');
  return uri;
}
