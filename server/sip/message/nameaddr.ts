/**
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1):
 * `"Display" <uri>;tag=x` or `uri;tag=x`. Used for From, To, Contact, Route, Record-Route, Path, ...
 */
import type { NameAddr, Params } from './types';
import { GENVALUE, TOKEN, bad, inTable, isWsp, quote, skipQuoted, skipWsp, splitList, unquote } from './charset';
import { formatUri, parseUri } from './uri';

/** Parses one name-addr / addr-spec followed by `;params`. */
export function parseNameAddr(text: string): NameAddr {
  const s = text;
  let i = skipWsp(s, 0);
  let displayName: string | undefined;
  let uriText: string;
  if (i >= s.length) throw bad('empty address');
  const c0 = s.charCodeAt(i);
  if (c0 === 34) {
    const end = skipQuoted(s, i, 'display name');
    displayName = unquote(s.slice(i, end));
    i = skipWsp(s, end);
    if (s.charCodeAt(i) !== 60) throw bad('expected <URI> after display name');
    [uriText, i] = angleUri(s, i);
  } else if (c0 === 60) {
    [uriText, i] = angleUri(s, i);
  } else {
    // Either `token *(LWS token) <uri>` or an addr-spec `scheme:...`.
    const start = i;
    let j = i;
    while (j < s.length && inTable(TOKEN, s.charCodeAt(j))) j++;
    if (j < s.length && s.charCodeAt(j) === 58 && j > start) {
      // addr-spec: header parameters start at the first ';' (§20.10), the URI ends at ';' or LWS.
      let k = j;
      while (k < s.length && s.charCodeAt(k) !== 59 && !isWsp(s.charCodeAt(k))) k++;
      uriText = s.slice(start, k);
      // §20: a URI with ',', ';' or '?' must be enclosed in <> (RFC 4475 regbadct).
      if (uriText.includes('?')) throw bad('URI with headers not enclosed in <>');
      if (uriText.includes(',')) throw bad('URI with comma not enclosed in <>');
      i = k;
    } else {
      while (true) {
        if (j === i) throw bad('invalid character in display name');
        const afterTok = skipWsp(s, j);
        const c = s.charCodeAt(afterTok);
        if (c === 60) {
          displayName = s.slice(start, j);
          [uriText, i] = angleUri(s, afterTok);
          break;
        }
        if (afterTok >= s.length || !inTable(TOKEN, c)) throw bad('invalid character in display name');
        i = afterTok;
        j = i;
        while (j < s.length && inTable(TOKEN, s.charCodeAt(j))) j++;
      }
    }
  }
  const uri = parseUri(uriText);
  const params: Params = new Map();
  parseParams(s, i, params, 'address');
  const na: NameAddr = { uri, params };
  if (displayName !== undefined) na.displayName = displayName;
  return na;
}

/** `<uri>` at s[i] === '<'; no LWS allowed inside the brackets (RFC 4475 badaspec). */
function angleUri(s: string, i: number): [string, number] {
  const close = s.indexOf('>', i + 1);
  if (close < 0) throw bad('unterminated <URI>');
  const inner = s.slice(i + 1, close);
  if (inner.length === 0) throw bad('empty <URI>');
  if (isWsp(inner.charCodeAt(0)) || isWsp(inner.charCodeAt(inner.length - 1))) throw bad('whitespace inside <URI>');
  return [inner, close + 1];
}

/**
 * `*( SEMI generic-param )` from s[i] to the end: names lower-cased, values as written (a
 * quoted-string keeps its quotes; use `unquote`). LWS is allowed around ';' and '=' (§25.1 SEMI, EQUAL).
 */
export function parseParams(s: string, i: number, params: Params, what: string): void {
  while (true) {
    i = skipWsp(s, i);
    if (i >= s.length) return;
    if (s.charCodeAt(i) !== 59) throw bad(`invalid character after ${what}`);
    i = skipWsp(s, i + 1);
    const ns = i;
    while (i < s.length && inTable(TOKEN, s.charCodeAt(i))) i++;
    if (i === ns) throw bad(`empty parameter in ${what}`);
    const name = s.slice(ns, i).toLowerCase();
    let value: string | null = null;
    i = skipWsp(s, i);
    if (s.charCodeAt(i) === 61) {
      i = skipWsp(s, i + 1);
      const vs = i;
      if (s.charCodeAt(i) === 34) i = skipQuoted(s, i, what);
      else while (i < s.length && inTable(GENVALUE, s.charCodeAt(i))) i++;
      if (i === vs) throw bad(`empty parameter value in ${what}`);
      value = s.slice(vs, i);
    }
    if (!params.has(name)) params.set(name, value);
  }
}

/** A header holding a list of addresses (Contact, Route, Record-Route, Path, ...). `*` is the Contact wildcard. */
export function parseNameAddrList(text: string): NameAddr[] {
  const trimmed = text.trim();
  if (trimmed === '*') return [{ uri: { scheme: '', host: '', params: new Map(), headers: new Map() }, params: new Map(), wildcard: true }];
  return splitList(text, false, 'address list').map(parseNameAddr);
}

export function formatParams(params: Params): string {
  let s = '';
  for (const [n, v] of params) s += v === null ? `;${n}` : `;${n}=${v}`;
  return s;
}

export function formatNameAddr(na: NameAddr): string {
  if (na.wildcard) return '*';
  const dn = na.displayName !== undefined && na.displayName.length > 0 ? quote(na.displayName) + ' ' : '';
  return `${dn}<${formatUri(na.uri)}>${formatParams(na.params)}`;
}

/** The `tag` parameter of a From/To (RFC 3261 §19.3). */
export function tagOf(na: NameAddr): string | undefined {
  const t = na.params.get('tag');
  return t === null ? undefined : t;
}
