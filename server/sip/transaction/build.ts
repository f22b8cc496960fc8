/**
 * Requests the transaction layer writes itself: the ACK for a non-2xx final response (§17.1.1.3)
 * and the CANCEL of a pending INVITE (§9.1). Both reuse the INVITE's top Via, so they carry its branch.
 */
import type { SipRequest, SipResponse } from '../message/types';
import { SipHeaders } from '../message/headers';
import { cloneUri } from '../message/uri';
import { cseqOf } from '../message/accessors';

function required(request: SipRequest, name: string): string {
  const v = request.headers.get(name);
  if (v === undefined) throw new TypeError(`${request.method} without ${name}`);
  return v;
}

/**
 * Request-URI, Call-ID, From and CSeq number from the original request; a single Via equal to its
 * top Via; its Route set copied; `to` decides the To header (the response's for an ACK, §17.1.1.3).
 */
function derive(request: SipRequest, method: 'ACK' | 'CANCEL', to: string): SipRequest {
  const cseq = cseqOf(request);
  if (!cseq) throw new TypeError(`${request.method} without a valid CSeq`);
  const headers = new SipHeaders();
  headers.append('Via', required(request, 'Via'));
  for (const route of request.headers.getAll('Route')) headers.append('Route', route);
  headers.append('Max-Forwards', '70');
  headers.append('From', required(request, 'From'));
  headers.append('To', to);
  headers.append('Call-ID', required(request, 'Call-ID'));
  headers.append('CSeq', `${cseq.seq} ${method}`);
  return { kind: 'request', method, uri: cloneUri(request.uri), version: request.version, headers, body: Buffer.alloc(0) };
}

/** §17.1.1.3: "The To header field in the ACK MUST equal the To header field in the response being acknowledged." */
export function buildAckForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const to = response.headers.get('To') ?? required(invite, 'To');
  return derive(invite, 'ACK', to);
}

/** §9.1, with an optional RFC 3326 Reason header (e.g. `SIP;cause=200;text="Call completed elsewhere"`). */
export function buildCancel(invite: SipRequest, reason?: string): SipRequest {
  const cancel = derive(invite, 'CANCEL', required(invite, 'To'));
  if (reason) cancel.headers.append('Reason', reason);
  return cancel;
}
