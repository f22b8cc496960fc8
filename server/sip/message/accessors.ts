/**
 * Typed views of the headers every layer reads, parsed on first use and cached with the message's
 * SipHeaders (they depend on nothing else). The cache is dropped whenever the headers change (their
 * version counter) and does not follow a replaced SipHeaders. Malformed values throw
 * SipParseError(400) naming the header.
 */
import type { CSeq, NameAddr, SipMessage, ViaHeader } from './types';
import { TOKEN, WORD, bad, inTable, isDigit, isToken, isWsp, parseDigits, splitList } from './charset';
import { parseNameAddr, parseNameAddrList } from './nameaddr';
import { parseVia } from './via';
import { NOT_PARSED, headerKey } from './headers';

/**
 * The parsed view of the header with key `key`, parsed once until that header changes. Each header
 * has one kind of view (Via list, name-addr, address list, option tags, media type, number).
 */
function cached<T>(msg: SipMessage, key: string, compute: () => T): T {
  const hit = msg.headers.parsedView(key);
  if (hit !== NOT_PARSED) return hit as T;
  const v = compute();
  msg.headers.keepParsedView(key, v);
  return v;
}

/** The single line of a single-valued header; undefined when absent, 400 when repeated (RFC 4475 multi01). */
function single(msg: SipMessage, name: string): string | undefined {
  const lines = msg.headers.getLines(name);
  if (lines.length > 1) throw bad(`multiple ${name} header fields`);
  return lines[0];
}

function required(msg: SipMessage, name: string): string {
  const v = single(msg, name);
  if (v === undefined) throw bad(`missing ${name}`);
  return v;
}

export function allVias(msg: SipMessage): ViaHeader[] {
  return cached(msg, 'via', () => {
    const out: ViaHeader[] = [];
    for (const line of msg.headers.getLines('Via')) for (const v of splitList(line, false, 'Via')) out.push(parseVia(v));
    return out;
  });
}

export function topVia(msg: SipMessage): ViaHeader {
  const v = allVias(msg)[0];
  if (v === undefined) throw bad('missing Via');
  return v;
}

export function fromOf(msg: SipMessage): NameAddr {
  return cached(msg, 'from', () => parseNameAddr(required(msg, 'From')));
}

export function toOf(msg: SipMessage): NameAddr {
  return cached(msg, 'to', () => parseNameAddr(required(msg, 'To')));
}

export { tagOf } from './nameaddr';

/** callid = word [ "@" word ] (RFC 3261 §25.1). */
export function callIdOf(msg: SipMessage): string {
  return cached(msg, 'call-id', () => {
    const v = required(msg, 'Call-ID').trim();
    const at = v.indexOf('@');
    const parts = at < 0 ? [v] : [v.slice(0, at), v.slice(at + 1)];
    for (const p of parts) {
      if (p.length === 0) throw bad('malformed Call-ID');
      for (let i = 0; i < p.length; i++) if (!inTable(WORD, p.charCodeAt(i))) throw bad('malformed Call-ID');
    }
    return v;
  });
}

/** CSeq = 1*DIGIT LWS Method; the number is below 2**31 (§8.1.1.5, RFC 4475 scalar02). */
export function cseqOf(msg: SipMessage): CSeq {
  return cached(msg, 'cseq', () => {
    const v = required(msg, 'CSeq').trim();
    let i = 0;
    while (i < v.length && isDigit(v.charCodeAt(i))) i++;
    const seq = parseDigits(v.slice(0, i), 2 ** 31 - 1);
    if (seq === undefined) throw bad(i === 0 ? 'malformed CSeq' : 'CSeq number out of range');
    if (!isWsp(v.charCodeAt(i))) throw bad('malformed CSeq');
    while (isWsp(v.charCodeAt(i))) i++;
    const method = v.slice(i);
    if (!isToken(method)) throw bad('malformed CSeq method');
    return { seq, method };
  });
}

/** Max-Forwards (§20.22); values above 255 are refused (RFC 4475 scalar02). */
export function maxForwardsOf(msg: SipMessage): number | undefined {
  return cached(msg, 'max-forwards', () => {
    const v = single(msg, 'Max-Forwards');
    if (v === undefined) return undefined;
    const n = parseDigits(v.trim(), 255);
    if (n === undefined) throw bad('malformed Max-Forwards');
    return n;
  });
}

export function contentLengthOf(msg: SipMessage): number | undefined {
  return cached(msg, 'content-length', () => {
    const v = single(msg, 'Content-Length');
    if (v === undefined) return undefined;
    const n = parseDigits(v.trim(), Number.MAX_SAFE_INTEGER);
    if (n === undefined) throw bad('malformed Content-Length');
    return n;
  });
}

function addressList(msg: SipMessage, name: string): NameAddr[] {
  return cached(msg, headerKey(name), () => msg.headers.getLines(name).flatMap(parseNameAddrList));
}

export function contactsOf(msg: SipMessage): NameAddr[] {
  return addressList(msg, 'Contact');
}

export function routesOf(msg: SipMessage): NameAddr[] {
  return addressList(msg, 'Route');
}

export function recordRoutesOf(msg: SipMessage): NameAddr[] {
  return addressList(msg, 'Record-Route');
}

export function pathsOf(msg: SipMessage): NameAddr[] {
  return addressList(msg, 'Path');
}

/** Expires (§20.19) in seconds; values above 2**32-1 are clamped to it (§20.19, §10.2.1.1). */
export function expiresOf(msg: SipMessage): number | undefined {
  return cached(msg, 'expires', () => {
    const v = single(msg, 'Expires');
    if (v === undefined) return undefined;
    const t = v.trim();
    if (t.length === 0) throw bad('malformed Expires');
    for (let i = 0; i < t.length; i++) if (!isDigit(t.charCodeAt(i))) throw bad('malformed Expires');
    return parseDigits(t, 2 ** 32 - 1) ?? 2 ** 32 - 1;
  });
}

/** Option tags of Require / Proxy-Require / Supported (§19.2), as written. */
export function optionTags(msg: SipMessage, name: 'Require' | 'Proxy-Require' | 'Supported' | 'Unsupported'): string[] {
  return cached(msg, headerKey(name), () =>
    msg.headers.getAll(name).map((t) => {
      if (!isToken(t)) throw bad(`malformed ${name}`);
      return t;
    }),
  );
}

/** `type/subtype` of Content-Type, lower-cased, without parameters; undefined when absent. */
export function mediaTypeOf(msg: SipMessage): string | undefined {
  return cached(msg, 'content-type', () => {
    const v = single(msg, 'Content-Type');
    if (v === undefined) return undefined;
    return mediaType(v);
  });
}

/** `Application/SDP ; charset=x` -> `application/sdp`; 400 when malformed. */
export function mediaType(value: string): string {
  const semi = value.indexOf(';');
  const main = (semi < 0 ? value : value.slice(0, semi)).trim();
  const slash = main.indexOf('/');
  if (slash < 0) throw bad('malformed Content-Type');
  const type = main.slice(0, slash).trim();
  const sub = main.slice(slash + 1).trim();
  for (const part of [type, sub]) {
    if (part.length === 0) throw bad('malformed Content-Type');
    for (let i = 0; i < part.length; i++) if (!inTable(TOKEN, part.charCodeAt(i))) throw bad('malformed Content-Type');
  }
  return `${type}/${sub}`.toLowerCase();
}
