/**
 * multipart/* bodies (RFC 2046 §5.1): S/MIME-signed MESSAGEs (RFC 4475 mpart01) and resource-list
 * NOTIFYs (RFC 4662, multipart/related). Parts stay Buffers: a part may be binary.
 */
import { randomToken } from './build';
import { bad, unquote } from './charset';
import { SipHeaders } from './headers';

export interface BodyPart {
  contentType: string;
  headers: SipHeaders;
  body: Buffer;
}

/** Parameters of a Content-Type value (`;name=value`, quoted values unquoted), names lower-cased. */
export function contentTypeParams(contentType: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < contentType.length; i++) {
    const c = contentType[i]!;
    if (quoted && c === '\\') {
      cur += c + (contentType[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    out.set(p.slice(0, eq).trim().toLowerCase(), unquote(p.slice(eq + 1).trim()));
  }
  return out;
}

/** MIME part headers: `name: value` lines with folding, up to the empty line. */
function partHeaders(text: string): SipHeaders {
  const h = new SipHeaders();
  const lines = text.split('\r\n');
  let name: string | undefined;
  let value = '';
  const flush = () => {
    if (name !== undefined) h.append(name, value.trim());
  };
  for (const line of lines) {
    if (line.length === 0) continue;
    if ((line[0] === ' ' || line[0] === '\t') && name !== undefined) {
      value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw bad('malformed multipart part header');
    flush();
    name = line.slice(0, colon).trim();
    value = line.slice(colon + 1);
  }
  flush();
  return h;
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** Splits a multipart body at its boundary; 400 when the boundary is missing or never closed. */
export function parseMultipart(body: Buffer, contentType: string): BodyPart[] {
  const boundary = contentTypeParams(contentType).get('boundary');
  if (boundary === undefined || boundary.length === 0 || boundary.length > 70) throw bad('multipart without a valid boundary');
  const delim = Buffer.from('--' + boundary, 'utf8');
  const inner = Buffer.concat([CRLF, delim]);
  // The first delimiter may open the body or follow a preamble line.
  let at = body.subarray(0, delim.length).equals(delim) ? 0 : body.indexOf(inner);
  if (at < 0) throw bad('multipart boundary not found');
  if (at > 0) at += 2;
  const parts: BodyPart[] = [];
  let pos = at + delim.length;
  while (true) {
    if (body[pos] === 45 && body[pos + 1] === 45) return parts; // close-delimiter "--"
    // Transport padding then CRLF after the delimiter (RFC 2046 §5.1.1).
    const eol = body.indexOf(CRLF, pos);
    if (eol < 0) throw bad('malformed multipart delimiter line');
    const start = eol + 2;
    const next = body.indexOf(inner, start);
    if (next < 0) throw bad('unterminated multipart body');
    const part = body.subarray(start, Math.max(start, next));
    let headEnd: number;
    let partBody: Buffer;
    if (part[0] === 13 && part[1] === 10) {
      headEnd = 0;
      partBody = part.subarray(2);
    } else {
      headEnd = part.indexOf('\r\n\r\n');
      if (headEnd < 0) throw bad('malformed multipart part');
      partBody = part.subarray(headEnd + 4);
    }
    const headers = partHeaders(part.toString('utf8', 0, headEnd));
    parts.push({ contentType: headers.get('Content-Type') ?? 'text/plain', headers, body: partBody });
    if (parts.length > 256) throw bad('too many multipart parts');
    pos = next + inner.length;
  }
}

export interface PartInput {
  contentType: string;
  headers?: SipHeaders | [string, string][];
  body: Buffer;
}

/**
 * Builds a multipart body; returns it with the Content-Type to send (`multipart/<subtype>;boundary=...`
 * plus `params`, e.g. `;type="application/rlmi+xml";start="<id>"` for RFC 4662).
 */
export function buildMultipart(
  parts: PartInput[],
  boundary: string = randomToken(24),
  opts: { subtype?: string; params?: string } = {},
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Type: ${p.contentType}\r\n`;
    const extra = p.headers instanceof SipHeaders ? p.headers.entries().map((f) => [f.name, f.value] as const) : p.headers ?? [];
    for (const [n, v] of extra) if (n.toLowerCase() !== 'content-type') head += `${n}: ${v}\r\n`;
    chunks.push(Buffer.from(head + '\r\n', 'utf8'), p.body, CRLF);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/${opts.subtype ?? 'mixed'};boundary=${boundary}${opts.params ?? ''}`,
  };
}
