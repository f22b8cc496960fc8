/**
 * Building responses: from a parsed request (RFC 3261 §8.2.6) and, best-effort, from the raw bytes
 * of a request the parser refused, so that a malformed request still gets its 400/505/513.
 */
import type { SipRequest, SipResponse } from './types';
import type { SipParseError } from './errors';
import { SipHeaders, canonicalName } from './headers';
import { defaultReason } from './reasons';
import { newTag } from './build';

export { defaultReason } from './reasons';

export interface ResponseOptions {
  /** To-tag for a final or non-100 provisional response when the request's To has none. */
  toTag?: string;
  /** Extra header fields appended after the copied ones. */
  headers?: [string, string][];
  body?: Buffer;
  contentType?: string;
}

/** Whether a raw To/From value already carries a tag parameter (outside quotes and <>). */
function hasTag(value: string): boolean {
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (c === ';' && !angle) {
      let j = i + 1;
      while (value[j] === ' ' || value[j] === '\t') j++;
      if (value.slice(j, j + 3).toLowerCase() === 'tag') {
        let k = j + 3;
        while (value[k] === ' ' || value[k] === '\t') k++;
        if (value[k] === '=') return true;
      }
    }
  }
  return false;
}

/**
 * §8.2.6.2: copies every Via (in order), From, To (adding a tag when it has none, except on 100),
 * Call-ID and CSeq; 100 Trying also copies Timestamp (§8.2.6.1). Content-Length is left to serialize.
 */
export function createResponse(req: SipRequest, status: number, reason?: string, opts: ResponseOptions = {}): SipResponse {
  const headers = new SipHeaders();
  for (const v of req.headers.getLines('Via')) headers.append('Via', v);
  const from = req.headers.get('From');
  if (from !== undefined) headers.append('From', from);
  const to = req.headers.get('To');
  if (to !== undefined) {
    headers.append('To', status === 100 || hasTag(to) ? to : `${to};tag=${opts.toTag ?? newTag()}`);
  }
  for (const n of ['Call-ID', 'CSeq']) {
    const v = req.headers.get(n);
    if (v !== undefined) headers.append(n, v);
  }
  if (status === 100) {
    const ts = req.headers.get('Timestamp');
    if (ts !== undefined) headers.append('Timestamp', ts);
  }
  for (const [n, v] of opts.headers ?? []) headers.append(n, v);
  const body = opts.body ?? Buffer.alloc(0);
  if (opts.contentType !== undefined) headers.set('Content-Type', opts.contentType);
  return { kind: 'response', version: 'SIP/2.0', status, reason: reason ?? defaultReason(status), headers, body };
}

/** Header lines of a raw message, read leniently (latin1, so bytes survive unchanged). */
function looseHead(raw: Buffer): { start: string; fields: [string, string][] } | undefined {
  const text = raw.toString('latin1', 0, Math.min(raw.length, 65_536));
  const lines: string[] = [];
  let pos = 0;
  while (text.startsWith('\r\n', pos)) pos += 2;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl > pos && text[nl - 1] === '\r' ? nl - 1 : nl);
    pos = nl + 1;
    if (line.length === 0) break;
    if ((line[0] === ' ' || line[0] === '\t') && lines.length > 1) lines[lines.length - 1] += ' ' + line.trim();
    else lines.push(line);
  }
  const start = lines.shift();
  if (start === undefined) return undefined;
  const fields: [string, string][] = [];
  for (const l of lines) {
    const colon = l.indexOf(':');
    if (colon <= 0) continue;
    fields.push([canonicalName(l.slice(0, colon).trim()), l.slice(colon + 1).trim()]);
  }
  return { start, fields };
}

/**
 * The bytes of the error response to a request the parser refused, when enough of it can be read
 * (a request line and at least one Via; From/To/Call-ID/CSeq are copied when present). Undefined for
 * responses, ACKs (never answered, §17.1.1.3) and unreadable bytes: the transport drops or closes.
 */
export function errorResponseFor(raw: Buffer, err: SipParseError): Buffer | undefined {
  const head = looseHead(raw);
  if (head === undefined) return undefined;
  const sp = head.start.indexOf(' ');
  if (sp <= 0 || head.start.slice(0, 4).toUpperCase() === 'SIP/') return undefined;
  if (head.start.slice(0, sp) === 'ACK') return undefined;
  const vias = head.fields.filter(([n, v]) => n === 'Via' && v.length > 0);
  if (vias.length === 0) return undefined;
  const first = (name: string) => head.fields.find(([n]) => n === name)?.[1];
  let out = `SIP/2.0 ${err.status} ${err.reason.replace(/[\r\n]/g, ' ')}\r\n`;
  for (const [, v] of vias) out += `Via: ${v}\r\n`;
  const from = first('From');
  if (from !== undefined) out += `From: ${from}\r\n`;
  const to = first('To');
  if (to !== undefined) out += `To: ${hasTag(to) ? to : `${to};tag=${newTag()}`}\r\n`;
  for (const n of ['Call-ID', 'CSeq']) {
    const v = first(n);
    if (v !== undefined) out += `${n}: ${v}\r\n`;
  }
  out += 'Content-Length: 0\r\n\r\n';
  // The status line is ASCII/UTF-8 text of ours; the copied values go back byte for byte.
  return Buffer.concat([Buffer.from(out.slice(0, out.indexOf('\r\n') + 2), 'utf8'), Buffer.from(out.slice(out.indexOf('\r\n') + 2), 'latin1')]);
}
