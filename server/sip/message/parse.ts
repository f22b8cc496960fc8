/**
 * The SIP message parser (RFC 3261 §7, §18.3, grammar §25): one pass over the bytes of the start
 * line and header block, header values kept raw (unfolded), the body a Buffer view. Strict where
 * RFC 4475 §3.1.2 calls a message invalid, permissive where §3.1.1 calls it valid.
 */
import { isUtf8 } from 'node:buffer';
import { DEFAULT_PARSER_LIMITS, type ParserLimits, type SipMessage, type SipRequest, type SipResponse } from './types';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { TOKEN, bad, inTable, isDigit, isToken, parseDigits } from './charset';
import { parseUri } from './uri';
import { allVias, callIdOf, contactsOf, cseqOf, fromOf, maxForwardsOf, toOf } from './accessors';

/** The start line and header block, scanned but not yet interpreted. */
export interface Head {
  startLine: string;
  headers: SipHeaders;
  /** Offset of the first body byte (after the empty line). */
  bodyStart: number;
}

const CR = 13;
const LF = 10;

function tooLarge(what: string): SipParseError {
  return new SipParseError(513, `Message Too Large (${what})`);
}

/** Buffer's own slice decoder, without toString's argument checks (hot path: once per header). */
type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string };

function ascii(data: Buffer, start: number, end: number): string {
  return (data as FastBuffer).latin1Slice(start, end);
}

function decode(data: Buffer, start: number, end: number, high: boolean, what: string): string {
  if (!high) return ascii(data, start, end);
  // SIP text is UTF-8 (§7.3.1, TEXT-UTF8); anything else cannot be forwarded without corruption.
  if (!isUtf8(data.subarray(start, end))) throw bad(`invalid UTF-8 in ${what}`);
  return data.toString('utf8', start, end);
}

/**
 * Scans the start line and header fields up to the empty line. Leading CRLFs are skipped (§7.5).
 * Header folding (`CRLF 1*WSP`) is unfolded to one SP (§7.3.1).
 */
export function scanHead(data: Buffer, limits: ParserLimits = DEFAULT_PARSER_LIMITS): Head {
  const len = data.length;
  let pos = 0;
  while (pos + 1 < len && data[pos] === CR && data[pos + 1] === LF) pos += 2;
  const headStart = pos;
  const headLimit = Math.min(len, headStart + limits.maxHeaderBytes);

  // Start line.
  let high = false;
  let i = pos;
  while (i < headLimit && data[i] !== CR && data[i] !== LF) {
    if (data[i]! >= 0x80) high = true;
    i++;
  }
  if (i >= headLimit) throw len > headLimit ? tooLarge('header block') : bad('incomplete start line');
  if (data[i] !== CR || data[i + 1] !== LF) throw bad('bare CR or LF in start line');
  const startLine = decode(data, pos, i, high, 'start line');
  pos = i + 2;

  const headers = new SipHeaders();
  let count = 0;
  while (true) {
    if (pos + 1 >= headLimit) throw len > headLimit ? tooLarge('header block') : bad('no empty line after headers');
    const c = data[pos]!;
    if (c === CR && data[pos + 1] === LF) return { startLine, headers, bodyStart: pos + 2 };
    if (c === 32 || c === 9) throw bad('folded line without a header');
    if (++count > limits.maxHeaderCount) throw tooLarge('too many header fields');
    const lineStart = pos;
    // header-name *WSP ":" (RFC 4475 wsinv: `TO :`, `Content-Length   :`)
    let j = pos;
    while (j < headLimit && inTable(TOKEN, data[j]!)) j++;
    const nameEnd = j;
    while (j < headLimit && (data[j] === 32 || data[j] === 9)) j++;
    if (nameEnd === pos || data[j] !== 58) throw bad('malformed header line');
    const rawName = ascii(data, pos, nameEnd);
    j++;
    // Value, with continuation lines.
    let value = '';
    let segStart = -1;
    let segHigh = false;
    while (true) {
      // Skip the WSP that starts the value or a continuation line.
      while (j < headLimit && (data[j] === 32 || data[j] === 9)) j++;
      segStart = j;
      segHigh = false;
      while (j < headLimit && data[j] !== CR && data[j] !== LF) {
        if (data[j]! >= 0x80) segHigh = true;
        j++;
      }
      if (j + 1 >= headLimit) throw len > headLimit ? tooLarge('header block') : bad('no empty line after headers');
      if (data[j] !== CR || data[j + 1] !== LF) throw bad('bare CR or LF in header');
      let segEnd = j;
      while (segEnd > segStart && (data[segEnd - 1] === 32 || data[segEnd - 1] === 9)) segEnd--;
      if (segEnd > segStart) {
        const seg = decode(data, segStart, segEnd, segHigh, 'header value');
        value = value.length === 0 ? seg : value + ' ' + seg;
      }
      j += 2;
      if (j - lineStart > limits.maxHeaderLineBytes) throw bad(`header line too long: ${rawName}`);
      if (j < headLimit && (data[j] === 32 || data[j] === 9)) continue;
      break;
    }
    headers.addParsed(rawName, value);
    pos = j;
  }
}

/** Datagram / WebSocket-frame rules (§18.3, RFC 7118 §5) or a stream frame cut by Content-Length. */
export type FrameMode = 'datagram' | 'stream';

const truncated = new WeakMap<SipMessage, number>();

/** Bytes dropped after Content-Length in a datagram or frame (§18.3), for logs and tests. */
export function truncatedBytes(msg: SipMessage): number {
  return truncated.get(msg) ?? 0;
}

/** Parses a whole datagram / WebSocket frame (one message, RFC 7118 §5). */
export function parseMessage(data: Buffer, limits: ParserLimits = DEFAULT_PARSER_LIMITS): SipMessage {
  return buildMessage(scanHead(data, limits), data, limits, 'datagram');
}

/** Interprets a scanned head: start line, body framing, sizes and the mandatory headers. */
export function buildMessage(head: Head, data: Buffer, limits: ParserLimits, mode: FrameMode): SipMessage {
  const start = parseStartLine(head.startLine, limits);
  const headers = head.headers;
  let body = data.subarray(head.bodyStart);
  let cut = 0;
  const lengths = headers.getLines('Content-Length');
  if (lengths.length > 1) throw bad('multiple Content-Length header fields');
  if (lengths.length === 1) {
    const cl = parseDigits(lengths[0]!.trim(), Number.MAX_SAFE_INTEGER);
    if (cl === undefined) throw bad('malformed Content-Length');
    if (cl > limits.maxBodyBytes) throw new SipParseError(413, 'Request Entity Too Large', { fatal: mode === 'stream' });
    if (cl > body.length) throw bad('Content-Length larger than body');
    if (cl < body.length) {
      // §18.3: octets after Content-Length in a datagram are discarded.
      cut = body.length - cl;
      body = body.subarray(0, cl);
    }
  }
  if (body.length > limits.maxBodyBytes) throw new SipParseError(413, 'Request Entity Too Large');
  if (head.bodyStart + body.length > limits.maxMessageBytes) throw tooLarge('message');
  // One Content-Length that tells the truth, so serialize(parse(x)) round-trips.
  const length = String(body.length);
  if (lengths[0] !== length) headers.set('Content-Length', length);
  const msg: SipMessage =
    start.kind === 'request'
      ? { kind: 'request', method: start.method, uri: start.uri, version: 'SIP/2.0', headers, body }
      : { kind: 'response', status: start.status, reason: start.reason, version: 'SIP/2.0', headers, body };
  if (cut > 0) truncated.set(msg, cut);
  validate(msg);
  return msg;
}

type StartLine = Omit<SipRequest, 'version' | 'headers' | 'body'> | Omit<SipResponse, 'version' | 'headers' | 'body'>;

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (§7.1); only 2.0 is served, 505 otherwise (§21.5.6). */
function checkVersion(v: string): void {
  if (v === 'SIP/2.0') return;
  if (v.length < 7 || v.slice(0, 4).toUpperCase() !== 'SIP/') throw bad('malformed SIP-Version');
  const dot = v.indexOf('.', 4);
  const major = v.slice(4, dot < 0 ? v.length : dot);
  const minor = dot < 0 ? '' : v.slice(dot + 1);
  const digits = (s: string) => s.length > 0 && [...s].every((ch) => isDigit(ch.charCodeAt(0)));
  if (!digits(major) || !digits(minor)) throw bad('malformed SIP-Version');
  if (Number(major) !== 2 || Number(minor) !== 0) throw new SipParseError(505, 'Version Not Supported');
}

function hasCtl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return true;
  }
  return false;
}

export function parseStartLine(line: string, limits: ParserLimits): StartLine {
  if (line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/') {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
    const sp = line.indexOf(' ');
    if (sp < 0) throw bad('malformed Status-Line');
    checkVersion(line.slice(0, sp));
    const code = line.slice(sp + 1, sp + 4);
    const after = line.charCodeAt(sp + 4);
    if (code.length !== 3 || ![...code].every((ch) => isDigit(ch.charCodeAt(0))) || (!Number.isNaN(after) && after !== 32)) {
      throw bad('malformed Status-Code');
    }
    const status = Number(code);
    if (status < 100 || status > 699) throw bad('Status-Code out of range');
    // An empty reason phrase is valid (RFC 4475 noreason); a missing SP before it is tolerated.
    const reason = Number.isNaN(after) ? '' : line.slice(sp + 5);
    if (hasCtl(reason)) throw bad('control character in Reason-Phrase');
    return { kind: 'response', status, reason };
  }
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly two single SPs
  // (RFC 4475 lwsstart, trws, lwsruri).
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0) throw bad('malformed Request-Line');
  const method = line.slice(0, sp1);
  const uriText = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (!isToken(method)) throw bad('malformed method');
  if (uriText.length === 0 || version.includes(' ') || version.length === 0) throw bad('malformed Request-Line');
  if (hasCtl(line)) throw bad('control character in Request-Line');
  checkVersion(version);
  if (line.length > limits.maxHeaderLineBytes) throw new SipParseError(414, 'Request-URI Too Long');
  if (uriText.charCodeAt(0) === 60) throw bad('Request-URI enclosed in <>');
  const uri = parseUri(uriText);
  // §19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 escruri).
  if (uri.headers.size > 0) throw bad('headers in Request-URI');
  return { kind: 'request', method, uri };
}

const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/** §8.1.1 / §8.2.2: the headers every request and response carries, read once and cached. */
function validate(msg: SipMessage): void {
  if (!MANDATORY.every((n) => msg.headers.has(n))) {
    throw bad(`missing ${MANDATORY.filter((n) => !msg.headers.has(n)).join(', ')}`);
  }
  allVias(msg);
  fromOf(msg);
  toOf(msg);
  callIdOf(msg);
  const cseq = cseqOf(msg);
  maxForwardsOf(msg);
  contactsOf(msg);
  // §8.1.1.5: the CSeq method matches the request method (RFC 4475 mismatch01, mismatch02).
  if (msg.kind === 'request' && cseq.method !== msg.method) throw bad('CSeq method does not match request method');
}
