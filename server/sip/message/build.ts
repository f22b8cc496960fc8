/**
 * Building requests for upper layers (RFC 3261 §8.1.1) and the random identifiers they need:
 * branch (§8.1.1.7, magic cookie `z9hG4bK`), tags (§19.3, at least 32 bits of randomness), Call-IDs (§8.1.1.4).
 */
import { withRandomBytes } from '../random';
import type { NameAddr, SipRequest, SipUri, ViaHeader } from './types';
import { SipHeaders } from './headers';
import { formatNameAddr } from './nameaddr';
import { formatUri, parseUri } from './uri';
import { formatVia } from './via';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random [a-z0-9] string of `length` characters (about 5.2 bits each, from the CSPRNG). */
export function randomToken(length: number): string {
  return withRandomBytes(length, (b) => {
    let s = '';
    for (let i = 0; i < length; i++) s += ALPHABET[b[i]! % 36];
    return s;
  });
}

export const BRANCH_COOKIE = 'z9hG4bK';

export function newBranch(): string {
  return BRANCH_COOKIE + randomToken(16);
}

export function newTag(): string {
  return randomToken(12);
}

export function newCallId(): string {
  return randomToken(24);
}

export interface CreateRequestOptions {
  method: string;
  uri: SipUri | string;
  from: NameAddr | string;
  to: NameAddr | string;
  callId: string;
  cseq: number;
  /** A Via to put on top (the sender's own); omitted: the transport layer adds one. */
  via?: ViaHeader | string;
  maxForwards?: number;
  contact?: NameAddr | string;
  headers?: [string, string][];
  body?: Buffer;
  contentType?: string;
}

function addr(a: NameAddr | string): string {
  return typeof a === 'string' ? a : formatNameAddr(a);
}

/** A request with Via (when given), Max-Forwards (70, §8.1.1.6), From, To, Call-ID, CSeq, Contact, extras. */
export function createRequest(init: CreateRequestOptions): SipRequest {
  const headers = new SipHeaders();
  if (init.via !== undefined) headers.append('Via', typeof init.via === 'string' ? init.via : formatVia(init.via));
  headers.append('Max-Forwards', String(init.maxForwards ?? 70));
  headers.append('From', addr(init.from));
  headers.append('To', addr(init.to));
  headers.append('Call-ID', init.callId);
  headers.append('CSeq', `${init.cseq} ${init.method}`);
  if (init.contact !== undefined) headers.append('Contact', addr(init.contact));
  for (const [n, v] of init.headers ?? []) headers.append(n, v);
  if (init.contentType !== undefined) headers.set('Content-Type', init.contentType);
  const uri = typeof init.uri === 'string' ? parseUri(init.uri) : init.uri;
  return { kind: 'request', method: init.method, uri, version: 'SIP/2.0', headers, body: init.body ?? Buffer.alloc(0) };
}

/** Convenience for logs and tests: `INVITE sip:bob@example.com`. */
export function describeRequest(req: SipRequest): string {
  return `${req.method} ${formatUri(req.uri)}`;
}
