/**
 * The test side's own view of SIP on the wire: a deliberately small parser and builder, written
 * independently of `server/sip/message` so that the tests do not share the server's bugs. It reads
 * what a peer needs (start line, headers, body) and frames a byte stream by Content-Length
 * (RFC 3261 §18.3: on a stream transport Content-Length is mandatory and delimits the body).
 */

/** Compact header forms (RFC 3261 §7.3.3, RFC 3265, RFC 3515, RFC 4028, RFC 3892). */
const COMPACT: Record<string, string> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type',
  f: 'from', s: 'subject', k: 'supported', t: 'to', v: 'via', o: 'event', u: 'allow-events',
  r: 'refer-to', b: 'referred-by', x: 'session-expires', a: 'accept-contact', j: 'reject-contact',
  d: 'request-disposition', y: 'identity', n: 'identity-info',
};

export function canonicalHeaderName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT[lower] ?? lower;
}

export interface WireMessage {
  /** Exactly as received (for diagnostics in failed assertions). */
  raw: Buffer;
  startLine: string;
  kind: 'request' | 'response';
  /** Requests. */
  method?: string;
  uri?: string;
  /** Responses. */
  status?: number;
  reason?: string;
  /** In order, names as written. */
  headers: Array<[string, string]>;
  body: Buffer;
  /** First value of a header (compact forms folded), undefined when absent. */
  header(name: string): string | undefined;
  /** Every value of a header, each header line split on top-level commas where that is safe. */
  headerAll(name: string): string[];
}

/** Headers whose values may be comma lists (RFC 3261 §7.3.1); auth headers are not split. */
const LIST_HEADERS = new Set(['via', 'contact', 'route', 'record-route', 'allow', 'supported', 'require', 'unsupported', 'proxy-require', 'path', 'accept']);

/** Splits on commas outside quotes and angle brackets. */
export function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depthAngle++;
    else if (ch === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === ',' && depthAngle === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((s) => s.length > 0);
}

/** Parses one complete message (head + body). Throws on a head it cannot read. */
export function parseWireMessage(raw: Buffer): WireMessage {
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, headEnd < 0 ? raw.length : headEnd).toString('latin1');
  const body = headEnd < 0 ? Buffer.alloc(0) : raw.subarray(headEnd + 4);
  const lines = head.split('\r\n');
  const startLine = lines.shift() ?? '';
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line)}`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const base = {
    raw,
    startLine,
    headers,
    body,
    header(name: string): string | undefined {
      const want = canonicalHeaderName(name);
      return headers.find(([n]) => canonicalHeaderName(n) === want)?.[1];
    },
    headerAll(name: string): string[] {
      const want = canonicalHeaderName(name);
      const values = headers.filter(([n]) => canonicalHeaderName(n) === want).map(([, v]) => v);
      return LIST_HEADERS.has(want) ? values.flatMap(splitTopLevel) : values;
    },
  };
  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(startLine);
  if (response) return { ...base, kind: 'response', status: Number(response[1]), reason: response[2] ?? '' };
  const request = /^(\S+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (request) return { ...base, kind: 'request', method: request[1], uri: request[2] };
  throw new Error(`malformed start line: ${JSON.stringify(startLine)}`);
}

/**
 * Splits a TCP byte stream into messages. Leading CRLFs (RFC 5626 §4.4.1 keep-alive pings and
 * pongs) are skipped. A head without Content-Length is taken as having no body.
 */
export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WireMessage[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: WireMessage[] = [];
    for (;;) {
      let skip = 0;
      while (skip + 1 < this.buffer.length && this.buffer[skip] === 0x0d && this.buffer[skip + 1] === 0x0a) skip += 2;
      if (skip > 0) this.buffer = this.buffer.subarray(skip);
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) return out;
      const head = this.buffer.subarray(0, headEnd).toString('latin1');
      const match = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(head);
      const length = match ? Number(match[1]) : 0;
      const total = headEnd + 4 + length;
      if (this.buffer.length < total) return out;
      const raw = Buffer.from(this.buffer.subarray(0, total));
      this.buffer = this.buffer.subarray(total);
      out.push(parseWireMessage(raw));
    }
  }

  /** Bytes received but not yet a whole message. */
  get pending(): number {
    return this.buffer.length;
  }
}

export interface RequestSpec {
  method: string;
  uri: string;
  /** Header lines in order; Content-Length is added from the body unless given. */
  headers: Array<[string, string]>;
  body?: string | Buffer;
}

/** Serializes a request with a correct Content-Length unless the spec sets one on purpose. */
export function buildRequest(spec: RequestSpec): Buffer {
  const body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : spec.body ?? Buffer.alloc(0);
  const lines = [`${spec.method} ${spec.uri} SIP/2.0`, ...spec.headers.map(([n, v]) => `${n}: ${v}`)];
  if (!spec.headers.some(([n]) => canonicalHeaderName(n) === 'content-length')) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/**
 * A response to `request` (RFC 3261 §8.2.6.2): Via, From, Call-ID, CSeq copied, a To tag added
 * when the request's To had none.
 */
export function buildResponse(request: WireMessage, status: number, reason: string, extra: Array<[string, string]> = [], body = ''): Buffer {
  const copied: Array<[string, string]> = [];
  for (const [name, value] of request.headers) {
    const c = canonicalHeaderName(name);
    if (c === 'via' || c === 'from' || c === 'call-id' || c === 'cseq' || (c === 'record-route' && status < 300)) copied.push([name, value]);
    if (c === 'to') copied.push([name, /;\s*tag=/i.test(value) || status === 100 ? value : `${value};tag=${randomToken(8)}`]);
  }
  const bytes = Buffer.from(body, 'utf8');
  const lines = [`SIP/2.0 ${status} ${reason}`, ...[...copied, ...extra].map(([n, v]) => `${n}: ${v}`), `Content-Length: ${bytes.length}`];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
}

export function randomToken(length = 10): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

/** An RFC 3261 §8.1.1.7 branch. */
export function newBranch(): string {
  return `z9hG4bK${randomToken(16)}`;
}

/**
 * Splits a name-addr / addr-spec / Via value into its URI (or sent-by) and the header parameters
 * after it, scanning outside quoted strings (a display name or +sip.instance may hold `<`, `>`, `;`).
 */
export function splitNameAddr(value: string): { uri: string; rest: string } {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') {
      const close = value.indexOf('>', i);
      return { uri: value.slice(i + 1, close < 0 ? value.length : close), rest: close < 0 ? '' : value.slice(close + 1) };
    } else if (ch === ';') return { uri: value.slice(0, i).trim(), rest: value.slice(i) };
  }
  return { uri: value.trim(), rest: '' };
}

/** The `tag` parameter of a From/To value. */
export function tagOf(nameAddr: string | undefined): string | undefined {
  if (!nameAddr) return undefined;
  return paramsOf(nameAddr).get('tag') ?? undefined;
}

/** The URI inside a name-addr (`"x" <sip:a@b>;p` -> `sip:a@b`) or an addr-spec up to its params. */
export function uriOf(nameAddr: string): string {
  return splitNameAddr(nameAddr).uri;
}

/** The parameters after a name-addr / Via (`;expires=60;+sip.instance="<...>"`), names lower-cased. */
export function paramsOf(value: string): Map<string, string | null> {
  const params = new Map<string, string | null>();
  for (const part of splitParams(splitNameAddr(value).rest)) {
    const eq = part.indexOf('=');
    if (eq < 0) params.set(part.trim().toLowerCase(), null);
    else params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return params;
}

function splitParams(s: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let cur = '';
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      if (cur.trim()) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
