/**
 * The HTTP-authentication grammar as SIP uses it (RFC 3261 §25.1 `challenge` / `credentials`,
 * RFC 7616 §3.3-3.4 for Digest, RFC 8898 §2 / RFC 6750 §2.1 for Bearer). Only the values of
 * WWW-Authenticate, Proxy-Authenticate, Authorization and Proxy-Authorization come here; these
 * headers are never comma-combined (RFC 3261 §7.3.1), so one value is one challenge or credential.
 */

import { TOKEN, inTable, isToken } from '../message/charset';

export interface AuthParamsValue {
  /** As written; compare case-insensitively. */
  scheme: string;
  /** Parameter names lower-cased (they are case-insensitive), values unquoted and unescaped. */
  params: Map<string, string>;
}

export interface Token68Value {
  scheme: string;
  token68: string;
}

export type AuthorizationValue = AuthParamsValue | Token68Value;

/** Many more than any Digest credential carries; beyond it the value is not one of ours. */
const MAX_PARAMS = 32;
/** RFC 6750 §2.1 `b64token` (RFC 7235 token68). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Parses `scheme 1*SP ( token68 / #auth-param )`. Returns undefined for anything malformed:
 * a credential we cannot read is treated by the caller as absent (it challenges again).
 */
export function parseAuthorization(value: string): AuthorizationValue | undefined {
  const text = value.trim();
  const m = /^([A-Za-z0-9\-.!%*_+`'~]+)(?:[ \t\r\n]+([\s\S]*))?$/.exec(text);
  if (!m) return undefined;
  const scheme = m[1]!;
  const rest = (m[2] ?? '').trim();
  if (rest === '') return { scheme, params: new Map() };
  // A token68 has no '=' except as trailing padding, so `a=b` style text is never mistaken for it.
  if (TOKEN68.test(rest) && !/=[^=]/.test(rest)) return { scheme, token68: rest };
  const params = parseParamList(rest);
  return params ? { scheme, params } : undefined;
}

export function isParams(v: AuthorizationValue): v is AuthParamsValue {
  return 'params' in v;
}

/** RFC 3261 §25.1 `token` characters by char code (the parser's table: this runs for every credential). */
const isTokenCode = (code: number): boolean => inTable(TOKEN, code);
const isWsCode = (code: number): boolean => code === 32 || code === 9 || code === 13 || code === 10;

function parseParamList(s: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  let i = 0;
  const n = s.length;
  const skipWs = () => {
    while (i < n && isWsCode(s.charCodeAt(i))) i++;
  };
  while (i < n) {
    skipWs();
    const nameStart = i;
    while (i < n && isTokenCode(s.charCodeAt(i))) i++;
    const name = s.slice(nameStart, i).toLowerCase();
    if (name === '') return undefined;
    skipWs();
    if (s.charCodeAt(i) !== 61 /* = */) return undefined;
    i++;
    skipWs();
    let val: string;
    if (s.charCodeAt(i) === 34 /* " */) {
      i++;
      const close = s.indexOf('"', i);
      const escape = s.indexOf('\\', i);
      if (close >= 0 && (escape < 0 || escape > close)) {
        // No quoted-pair before the closing quote: the value is a plain slice.
        val = s.slice(i, close);
        i = close + 1;
      } else {
        let out = '';
        let closed = false;
        while (i < n) {
          const c = s[i]!;
          if (c === '\\') {
            // quoted-pair (RFC 3261 §25.1): any char but CR/LF.
            if (i + 1 >= n || s[i + 1] === '\r' || s[i + 1] === '\n') return undefined;
            out += s[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            closed = true;
            break;
          } else {
            out += c;
            i++;
          }
        }
        if (!closed) return undefined;
        val = out;
      }
    } else {
      const valStart = i;
      while (i < n && isTokenCode(s.charCodeAt(i))) i++;
      val = s.slice(valStart, i);
      if (val === '') return undefined;
    }
    // RFC 7616 §3.4: each parameter at most once; a duplicate makes the value ambiguous.
    if (params.has(name) || params.size >= MAX_PARAMS) return undefined;
    params.set(name, val);
    skipWs();
    if (i < n) {
      if (s.charCodeAt(i) !== 44 /* , */) return undefined;
      i++;
      skipWs();
      if (i >= n) return undefined;
    }
  }
  return params;
}

/** One auth-param, quoted or bare. Bare is only allowed for values that are a `token`. */
export type ChallengeParam = [name: string, value: string, form: 'quoted' | 'token'];

/** Formats `scheme name="value", name=token, ...` for WWW-Authenticate / Proxy-Authenticate. */
export function formatChallenge(scheme: string, params: ReadonlyArray<ChallengeParam>): string {
  const parts = params.map(([name, value, form]) => {
    if (form === 'token') {
      if (!isToken(value)) throw new RangeError(`auth-param ${name}: not a token`);
      return `${name}=${value}`;
    }
    return `${name}=${quote(value)}`;
  });
  return parts.length ? `${scheme} ${parts.join(', ')}` : scheme;
}

const QUOTE_SPECIAL = /["\\\r\n]/;

export function quote(value: string): string {
  if (!QUOTE_SPECIAL.test(value)) return `"${value}"`;
  if (/[\r\n]/.test(value)) throw new RangeError('quoted-string cannot hold CR or LF');
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}
