/**
 * Transaction keys (RFC 3261 §17.1.3, §17.2.3). A key is a string so the layer can keep plain maps.
 *
 * Server side: top Via branch + sent-by + method, where ACK counts as INVITE (it belongs to the INVITE
 * transaction) and CANCEL is a transaction of its own. Requests without the `z9hG4bK` magic cookie
 * (RFC 2543 peers) fall back to the §17.2.3 legacy rule: Request-URI, From tag, Call-ID, CSeq
 * number and the top Via; the To tag is left out because an ACK carries the tag of our response
 * while its INVITE did not.
 *
 * Client side: branch of the response's top Via + CSeq method.
 */
import type { SipMessage, SipRequest, ViaHeader } from '../message/types';
import { callIdOf, cseqOf, fromOf, tagOf, topVia } from '../message/accessors';

export const MAGIC_COOKIE = 'z9hG4bK';

/** Accessors throw SipParseError on malformed headers; matching treats that as "no key". */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function branchOf(via: ViaHeader): string | undefined {
  const branch = via.params.get('branch');
  return typeof branch === 'string' && branch.length > 0 ? branch : undefined;
}

function sentBy(via: ViaHeader): string {
  return `${via.host.toLowerCase()}:${via.port ?? ''}`;
}

function uriKey(request: SipRequest): string {
  const u = request.uri;
  return u.opaque !== undefined ? `${u.scheme}:${u.opaque}` : `${u.scheme}:${u.user ?? ''}@${u.host}:${u.port ?? ''}`;
}

/** The method a request is matched under: ACK joins its INVITE. */
export function matchMethod(method: string): string {
  return method === 'ACK' ? 'INVITE' : method;
}

/**
 * Server transaction key of `request` as if its method were `method` (the CANCEL rule of §9.2 looks
 * up the INVITE with the CANCEL's own identifiers). Undefined when the request has no usable Via.
 */
export function serverKey(request: SipRequest, method: string = request.method): string | undefined {
  const via = attempt(() => topVia(request));
  if (!via) return undefined;
  const m = matchMethod(method);
  const branch = branchOf(via);
  if (branch?.startsWith(MAGIC_COOKIE)) return `${branch}\n${sentBy(via)}\n${m}`;
  // RFC 2543 fallback (§17.2.3, last paragraph): best effort.
  const cseq = attempt(() => cseqOf(request));
  const from = attempt(() => fromOf(request));
  const fromTag = from ? tagOf(from) ?? '' : '';
  const viaKey = `${via.transport}/${sentBy(via)};${branch ?? ''}`;
  const callId = attempt(() => callIdOf(request)) ?? '';
  return `2543\n${uriKey(request)}\n${fromTag}\n${callId}\n${cseq?.seq ?? ''}\n${viaKey}\n${m}`;
}

/** Client transaction key of a message (request we send or response we receive). */
export function clientKey(message: SipMessage): string | undefined {
  const via = attempt(() => topVia(message));
  const cseq = attempt(() => cseqOf(message));
  if (!via || !cseq) return undefined;
  const branch = branchOf(via);
  if (!branch) return undefined;
  return `${branch}\n${cseq.method}`;
}
