/**
 * PUBLISH for the presence event package (RFC 3903 §6, RFC 3856 §6): the event state compositor's
 * front door. Only the person may publish their own presence (403 otherwise); the publishing
 * endpoint is the registration on the same connection, so a publication ends with its endpoint's
 * registration.
 */
import { SipError } from '../sip/message/errors';
import { expiresOf, mediaTypeOf } from '../sip/message/index';
import type { MethodHandler } from '../dispatcher/dispatcher';
import type { RequestContext } from '../dispatcher/context';
import type { LocationService } from '../registrar/location';
import { bindingKey } from '../registrar/binding';
import { aorOf } from '../registrar/register';
import { endpointStateFrom, PidfError, readPidf } from '../../shared/presence/pidf';
import { PIDF_TYPE, PRESENCE_EVENT } from '../../shared/presence/types';
import { availabilityClass } from '../../shared/presence/availability';
import type { EndpointState } from '../../shared/presence/types';
import { parseEvent } from '../sip/dialog/index';
import type { PublicationIndex } from './publications';

export interface PublishSettings {
  /** Granted when the request names none (RFC 3903 §6 step 4: the ESC chooses). */
  defaultExpires: number;
  minExpires: number;
  maxExpires: number;
}

export interface PublishDeps {
  domain: string;
  location: LocationService;
  publications: PublicationIndex;
  settings: PublishSettings;
}

export function publishHandler(deps: PublishDeps): MethodHandler {
  return {
    module: 'presence',
    async handle(ctx) {
      const req = ctx.request;
      if (ctx.dialog || req.uri.host !== deps.domain || !req.uri.user) return; // not for our compositor
      const ev = parseEvent(req.headers.get('Event'));
      if (ev?.event !== PRESENCE_EVENT) {
        // RFC 3903 §6 step 2 / RFC 6665 §8.3.2 (only presence is composed here).
        throw new SipError(489, 'Bad Event', [['Allow-Events', PRESENCE_EVENT]]);
      }
      const owner = req.uri.user.toLowerCase();
      if (!ctx.user || ctx.user !== owner) throw new SipError(403, 'Forbidden (one publishes only one\'s own presence)');
      handlePublish(ctx, owner, deps);
    },
  };
}

function handlePublish(ctx: RequestContext, owner: string, deps: PublishDeps): void {
  const req = ctx.request;
  const s = deps.settings;
  const requested = expiresOf(req);
  if (requested !== undefined && requested > 0 && requested < s.minExpires) {
    throw new SipError(423, 'Interval Too Brief', [['Min-Expires', String(s.minExpires)]]);
  }
  const expires = requested === undefined ? s.defaultExpires : Math.min(requested, s.maxExpires);
  const ifMatch = req.headers.get('SIP-If-Match')?.trim();
  const state = req.body.length > 0 ? stateOf(ctx) : undefined;
  const answer = (etag: string | undefined, granted: number) =>
    ctx.respond(200, 'OK', { headers: [...(etag ? ([['SIP-ETag', etag]] as [string, string][]) : []), ['Expires', String(granted)]] });

  if (ifMatch !== undefined) {
    // §6 step 3: the entity-tag must name a live publication of this person.
    const pub = deps.publications.find(owner, ifMatch);
    if (!pub) throw new SipError(412, 'Conditional Request Failed');
    if (expires === 0) {
      deps.publications.remove(pub); // §6 step 4: removal
      answer(undefined, 0);
      return;
    }
    deps.publications.update(pub, expires, state);
    answer(pub.etag, expires);
    return;
  }
  // §6 step 5: an initial publication must carry a body.
  if (!state) throw new SipError(400, 'Bad Request (initial PUBLISH without a body)');
  if (expires === 0) throw new SipError(400, 'Bad Request (Expires: 0 without SIP-If-Match)');
  const pub = deps.publications.create(owner, endpointOf(ctx, owner, deps), state, expires);
  answer(pub.etag, expires);
}

function stateOf(ctx: RequestContext): EndpointState {
  const type = mediaTypeOf(ctx.request);
  if (type !== PIDF_TYPE) throw new SipError(415, 'Unsupported Media Type', [['Accept', PIDF_TYPE]]);
  let state: EndpointState;
  try {
    state = endpointStateFrom(readPidf(ctx.request.body.toString('utf8')));
  } catch (err) {
    if (err instanceof PidfError) throw new SipError(400, `Bad Request (${err.message})`);
    throw err;
  }
  if (state.availability !== undefined && !availabilityClass(state.availability)) delete state.availability;
  return state;
}

/** The registration on the connection the PUBLISH came on (RFC 5626: one flow per endpoint registration). */
function endpointOf(ctx: RequestContext, owner: string, deps: PublishDeps): string {
  const b = deps.location.lookup(aorOf(owner, deps.domain)).find((x) => x.flowId === ctx.flow.id);
  return b ? bindingKey(b) : `flow:${ctx.flow.id}`;
}
