/**
 * Character classes and small lexical helpers of the RFC 3261 §25.1 grammar. Table lookups on char
 * codes, no regular expressions: everything here runs on attacker-controlled input.
 */
import { SipParseError } from './errors';

function table(chars: string, alnum = true): Uint8Array {
  const t = new Uint8Array(128);
  if (alnum) {
    for (let c = 48; c <= 57; c++) t[c] = 1;
    for (let c = 65; c <= 90; c++) t[c] = 1;
    for (let c = 97; c <= 122; c++) t[c] = 1;
  }
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~");
/** word (Call-ID) = token chars plus ( ) < > : \ " / [ ] ? { } */
export const WORD = table('-.!%*_+`\'~()<>:\\"/[]?{}');
/** unreserved = alphanum / mark */
const UNRESERVED_CHARS = "-_.!~*'()";
/** user = 1*( unreserved / escaped / user-unreserved ) */
export const USER = table(UNRESERVED_CHARS + '&=+$,;?/');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = table(UNRESERVED_CHARS + '&=+$,');
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAMCHAR = table(UNRESERVED_CHARS + '[]/:&+$');
/** hname / hvalue = *( hnv-unreserved / unreserved / escaped ) */
export const HNV = table(UNRESERVED_CHARS + '[]/?:+$');
/** hostname characters (plus `_`, seen in the wild in SRV-style names). */
export const HOSTCHAR = table('-._');
/** gen-value = token / host / quoted-string: token chars plus the `[ ] :` of IPv6 references. */
export const GENVALUE = table("-.!%*_+`'~[]:");

export function inTable(t: Uint8Array, c: number): boolean {
  return c < 128 && t[c] === 1;
}

export function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!inTable(TOKEN, s.charCodeAt(i))) return false;
  return true;
}

export function bad(what: string): SipParseError {
  return new SipParseError(400, `Bad Request (${what})`);
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Checks `s` against a character table (escapes allowed) and returns it unescaped. Escaped octets
 * are decoded as UTF-8 where they form valid UTF-8 (RFC 3261 §19.1.2), byte-wise otherwise, so
 * `%00` survives as U+0000 (RFC 4475 escnull).
 */
export function checkAndUnescape(s: string, allowed: Uint8Array, what: string): string {
  let hasEscape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (i + 2 >= s.length || hexVal(s.charCodeAt(i + 1)) < 0 || hexVal(s.charCodeAt(i + 2)) < 0) {
        throw bad(`bad escape in ${what}`);
      }
      hasEscape = true;
      i += 2;
    } else if (!inTable(allowed, c)) {
      throw bad(`invalid character in ${what}`);
    }
  }
  return hasEscape ? unescape(s) : s;
}

/** Decodes %HH escapes (already validated). */
export function unescape(s: string): string {
  const bytes: number[] = [];
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length && hexVal(s.charCodeAt(i + 1)) >= 0 && hexVal(s.charCodeAt(i + 2)) >= 0) {
      const b = hexVal(s.charCodeAt(i + 1)) * 16 + hexVal(s.charCodeAt(i + 2));
      if (b >= 0x80) ascii = false;
      bytes.push(b);
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Non-ASCII as written (lenient input): keep its UTF-8 bytes.
      ascii = false;
      for (const b of Buffer.from(s[i]!, 'utf8')) bytes.push(b);
    }
  }
  const buf = Buffer.from(bytes);
  return ascii ? buf.toString('latin1') : buf.toString('utf8');
}

const HEX = '0123456789ABCDEF';

/** Escapes every character outside `allowed` as %HH of its UTF-8 bytes. */
export function escape(s: string, allowed: Uint8Array): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 || !inTable(allowed, c)) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b !== 37 && inTable(allowed, b)) out += String.fromCharCode(b);
    else out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/**
 * Reads a quoted-string starting at `s[i] === '"'`; returns the index after the closing quote.
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) (RFC 3261 §25.1).
 */
export function skipQuoted(s: string, i: number, what: string): number {
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      const n = s.charCodeAt(j + 1);
      if (j + 1 >= s.length || n === 10 || n === 13 || n > 0x7f) throw bad(`bad quoted-pair in ${what}`);
      j += 2;
      continue;
    }
    j++;
  }
  throw bad(`unterminated quoted string in ${what}`);
}

/** `"a \"b\""` -> `a "b"`; returns non-quoted input unchanged. */
export function unquote(v: string): string {
  if (v.length < 2 || v.charCodeAt(0) !== 34 || v.charCodeAt(v.length - 1) !== 34) return v;
  let out = '';
  for (let i = 1; i < v.length - 1; i++) {
    const c = v[i]!;
    if (c === '\\' && i + 1 < v.length - 1) {
      out += v[i + 1];
      i++;
    } else out += c;
  }
  return out;
}

export function quote(v: string): string {
  let out = '"';
  for (const ch of v) out += ch === '"' || ch === '\\' ? '\\' + ch : ch;
  return out + '"';
}

export function skipWsp(s: string, i: number): number {
  while (i < s.length && isWsp(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Splits a header value at top-level commas: never inside a quoted-string or `<...>`. Returns
 * trimmed elements; `emptyOk` false makes an empty element an error (`a,,b`). `lenient` (raw header
 * access) keeps an unterminated quoted-string as the rest of its element instead of throwing.
 */
export function splitList(value: string, emptyOk: boolean, what: string, lenient = false): string[] {
  const out: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) {
      try {
        i = skipQuoted(value, i, what) - 1;
      } catch (e) {
        if (!lenient) throw e;
        i = value.length;
      }
    } else if (c === 60) angle = true;
    else if (c === 62) angle = false;
    else if (c === 44 && !angle) {
      push(value.slice(start, i));
      start = i + 1;
    }
  }
  push(value.slice(start));
  return out;

  function push(part: string): void {
    const t = part.trim();
    if (t.length === 0) {
      if (!emptyOk) throw bad(`empty element in ${what}`);
      return;
    }
    out.push(t);
  }
}

/** Parses 1*DIGIT with a ceiling; returns undefined for malformed or too large. */
export function parseDigits(s: string, max: number): number | undefined {
  if (s.length === 0) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    n = n * 10 + (c - 48);
    if (n > max) return undefined;
  }
  return n;
}
