/**
 * SIP and SIPS URIs (RFC 3261 §19.1, grammar §25.1). Other schemes (tel:, http:, urn:, ...) are
 * kept opaque as absoluteURI: the proxy answers 416 for them where it must (§16.3, §8.2.2.1).
 */
import type { Params, SipUri } from './types';
import {
  HNV, HOSTCHAR, PARAMCHAR, PASSWORD, USER, bad, checkAndUnescape, escape, inTable, isDigit, unescape,
} from './charset';

const SCHEME_REST = new Uint8Array(128);
for (let c = 48; c <= 57; c++) SCHEME_REST[c] = 1;
for (let c = 65; c <= 90; c++) SCHEME_REST[c] = 1;
for (let c = 97; c <= 122; c++) SCHEME_REST[c] = 1;
for (const ch of '+-.') SCHEME_REST[ch.charCodeAt(0)] = 1;

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Parses a URI; throws SipParseError(400) naming the fault. */
export function parseUri(text: string): SipUri {
  const colon = text.indexOf(':');
  if (colon <= 0 || !isAlpha(text.charCodeAt(0))) throw bad('malformed URI: no scheme');
  for (let i = 1; i < colon; i++) if (!inTable(SCHEME_REST, text.charCodeAt(i))) throw bad('malformed URI scheme');
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSipRest(scheme, rest);
  return parseOpaque(scheme, rest);
}

function parseOpaque(scheme: string, rest: string): SipUri {
  if (rest.length === 0) throw bad('empty URI');
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    // absoluteURI has no whitespace, controls, quotes or angle brackets.
    if (c <= 32 || c === 127 || c === 34 || c === 60 || c === 62) throw bad('invalid character in URI');
  }
  return { scheme, host: '', params: new Map(), headers: new Map(), opaque: rest };
}

function parseSipRest(scheme: string, rest: string): SipUri {
  const uri: SipUri = { scheme, host: '', params: new Map(), headers: new Map() };
  // '@' cannot appear unescaped in host, params or headers: the first one ends the userinfo, and the
  // user part may itself hold ';' '?' '/' (RFC 4475 semiuri, intmeth).
  const at = rest.indexOf('@');
  let i = 0;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const pc = userinfo.indexOf(':');
    const user = pc < 0 ? userinfo : userinfo.slice(0, pc);
    if (user.length === 0) throw bad('empty user part in URI');
    uri.user = checkAndUnescape(user, USER, 'URI user part');
    if (pc >= 0) uri.password = checkAndUnescape(userinfo.slice(pc + 1), PASSWORD, 'URI password');
    i = at + 1;
  }
  i = parseHostPort(rest, i, uri);
  while (i < rest.length && rest.charCodeAt(i) === 59) {
    let j = i + 1;
    while (j < rest.length && rest.charCodeAt(j) !== 59 && rest.charCodeAt(j) !== 63) j++;
    addUriParam(uri.params, rest.slice(i + 1, j));
    i = j;
  }
  if (i < rest.length && rest.charCodeAt(i) === 63) {
    for (const h of rest.slice(i + 1).split('&')) {
      const eq = h.indexOf('=');
      if (eq <= 0) throw bad('malformed URI header');
      const name = checkAndUnescape(h.slice(0, eq), HNV, 'URI header');
      uri.headers.set(name, checkAndUnescape(h.slice(eq + 1), HNV, 'URI header'));
    }
    i = rest.length;
  }
  if (i !== rest.length) throw bad('invalid character in URI');
  return uri;
}

function parseHostPort(s: string, i: number, uri: SipUri): number {
  let j = i;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0) throw bad('unterminated IPv6 reference in URI');
    for (let k = i + 1; k < close; k++) {
      const c = s.charCodeAt(k);
      const hex = isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
      if (!hex && c !== 58 && c !== 46) throw bad('invalid IPv6 reference in URI');
    }
    if (close === i + 1) throw bad('empty IPv6 reference in URI');
    j = close + 1;
  } else {
    while (j < s.length && inTable(HOSTCHAR, s.charCodeAt(j))) j++;
    if (j === i) throw bad('missing host in URI');
  }
  uri.host = s.slice(i, j).toLowerCase();
  if (j < s.length && s.charCodeAt(j) === 58) {
    let k = j + 1;
    let port = 0;
    while (k < s.length && isDigit(s.charCodeAt(k))) {
      port = port * 10 + s.charCodeAt(k) - 48;
      if (port > 65535) throw bad('port out of range in URI');
      k++;
    }
    if (k === j + 1) throw bad('missing port in URI');
    uri.port = port;
    j = k;
  }
  return j;
}

/** `name[=value]`: the name unescaped and lower-cased, the value kept as written (escapes checked). */
function addUriParam(params: Params, p: string): void {
  const eq = p.indexOf('=');
  const rawName = eq < 0 ? p : p.slice(0, eq);
  if (rawName.length === 0) throw bad('empty URI parameter');
  const name = checkAndUnescape(rawName, PARAMCHAR, 'URI parameter').toLowerCase();
  let value: string | null = null;
  if (eq >= 0) {
    value = p.slice(eq + 1);
    if (value.length === 0) throw bad('empty URI parameter value');
    checkAndUnescape(value, PARAMCHAR, 'URI parameter');
  }
  // RFC 3261 §19.1.4: a parameter appears at most once; keep the first.
  if (!params.has(name)) params.set(name, value);
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Escapes characters outside `allowed` but keeps existing `%HH` escapes (raw parameter values). */
function escapeRaw(s: string, allowed: Uint8Array): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      i += 2;
      continue;
    }
    if (c !== 37 && inTable(allowed, c)) continue;
    const cp = s.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    out += s.slice(from, i) + escape(String.fromCodePoint(cp), new Uint8Array(0));
    i += width - 1;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

export function formatUri(uri: SipUri): string {
  if (uri.opaque !== undefined && uri.scheme !== 'sip' && uri.scheme !== 'sips') {
    return `${uri.scheme}:${uri.opaque}`;
  }
  let s = uri.scheme + ':';
  if (uri.user !== undefined) {
    s += escape(uri.user, USER);
    if (uri.password !== undefined) s += ':' + escape(uri.password, PASSWORD);
    s += '@';
  }
  s += uri.host;
  if (uri.port !== undefined) s += ':' + uri.port;
  for (const [n, v] of uri.params) s += ';' + escape(n, PARAMCHAR) + (v === null ? '' : '=' + escapeRaw(v, PARAMCHAR));
  let sep = '?';
  for (const [n, v] of uri.headers) {
    s += sep + escape(n, HNV) + '=' + escape(v, HNV);
    sep = '&';
  }
  return s;
}

/** Parameters that, when present in either URI, must be present and equal in both (§19.1.4). */
const MUST_MATCH = ['user', 'ttl', 'method', 'maddr', 'transport'];

function paramValue(v: string | null): string {
  return v === null ? '' : unescape(v).toLowerCase();
}

/** URI equality of RFC 3261 §19.1.4. */
export function uriEquals(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme) return false;
  if (a.scheme !== 'sip' && a.scheme !== 'sips') return (a.opaque ?? '') === (b.opaque ?? '');
  // userinfo is case-sensitive; escapes were decoded by the parser.
  if (a.user !== b.user || a.password !== b.password) return false;
  if (a.host !== b.host || a.port !== b.port) return false;
  for (const n of MUST_MATCH) {
    const ha = a.params.has(n);
    if (ha !== b.params.has(n)) return false;
    if (ha && paramValue(a.params.get(n)!) !== paramValue(b.params.get(n)!)) return false;
  }
  for (const [n, v] of a.params) {
    if (b.params.has(n) && paramValue(v) !== paramValue(b.params.get(n)!)) return false;
  }
  if (a.headers.size !== b.headers.size) return false;
  const bh = new Map<string, string>();
  for (const [n, v] of b.headers) bh.set(n.toLowerCase(), v);
  for (const [n, v] of a.headers) if (bh.get(n.toLowerCase()) !== v) return false;
  return true;
}

/** A deep copy (URIs are edited in place by proxies: Request-URI rewriting, §16.5). */
export function cloneUri(u: SipUri): SipUri {
  return { ...u, params: new Map(u.params), headers: new Map(u.headers) };
}
