/**
 * An ordered list of header fields (RFC 3261 §7.3) whose values stay raw strings. Names are
 * canonicalised (case-insensitive, compact forms of §7.3.3 and later RFCs mapped to full names);
 * comma-separated lists are split only for headers whose grammar is a list (§7.3.1).
 */
import type { HeaderField } from './types';
import { splitList } from './charset';

const FULL_NAMES = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Accept-Resource-Priority',
  'Alert-Info', 'Allow', 'Allow-Events', 'Authentication-Info', 'Authorization', 'Call-ID',
  'Call-Info', 'Contact', 'Content-Disposition', 'Content-Encoding', 'Content-Language',
  'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info', 'Event', 'Expires', 'Flow-Timer',
  'From', 'Geolocation', 'History-Info', 'Identity', 'Identity-Info', 'In-Reply-To', 'Info-Package',
  'Join', 'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Min-SE', 'Organization',
  'P-Asserted-Identity', 'P-Associated-URI', 'P-Preferred-Identity', 'Path', 'Priority', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route',
  'Recv-Info', 'Refer-Sub', 'Refer-To', 'Referred-By', 'Reject-Contact', 'Replaces', 'Reply-To',
  'Request-Disposition', 'Require', 'Resource-Priority', 'Retry-After', 'Route', 'RSeq',
  'Security-Client', 'Security-Server', 'Security-Verify', 'Server', 'Service-Route',
  'Session-Expires', 'SIP-ETag', 'SIP-If-Match', 'Subject', 'Subscription-State', 'Supported',
  'Target-Dialog', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via', 'Warning',
  'WWW-Authenticate',
];

/** Compact forms: RFC 3261 §7.3.3, 3515 (r), 3892 (b), 3265 (o, u), 4028 (x), 4474 (y, n), 3841 (a, j, d). */
const COMPACT: Record<string, string> = {
  a: 'Accept-Contact', b: 'Referred-By', c: 'Content-Type', d: 'Request-Disposition',
  e: 'Content-Encoding', f: 'From', i: 'Call-ID', j: 'Reject-Contact', k: 'Supported',
  l: 'Content-Length', m: 'Contact', n: 'Identity-Info', o: 'Event', r: 'Refer-To', s: 'Subject',
  t: 'To', u: 'Allow-Events', v: 'Via', x: 'Session-Expires', y: 'Identity',
};

const CANONICAL = new Map<string, string>();
for (const n of FULL_NAMES) CANONICAL.set(n.toLowerCase(), n);
for (const [c, n] of Object.entries(COMPACT)) CANONICAL.set(c, n);
const CANONICAL_KEY = new Map<string, string>();
for (const [lower, canon] of CANONICAL) CANONICAL_KEY.set(lower, canon.toLowerCase());

/**
 * Headers whose grammar is `element *(COMMA element)`: a line `Via: a, b` holds two values. Never the
 * challenge/credential headers (commas inside one value), Date, Retry-After or unknown headers.
 */
const LIST_HEADERS = new Set(
  [
    'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Accept-Resource-Priority',
    'Alert-Info', 'Allow', 'Allow-Events', 'Call-Info', 'Contact', 'Content-Encoding',
    'Content-Language', 'Error-Info', 'History-Info', 'In-Reply-To', 'P-Asserted-Identity',
    'P-Associated-URI', 'P-Preferred-Identity', 'Path', 'Proxy-Require', 'Reason', 'Record-Route',
    'Recv-Info', 'Reject-Contact', 'Request-Disposition', 'Require', 'Resource-Priority', 'Route',
    'Security-Client', 'Security-Server', 'Security-Verify', 'Service-Route', 'Supported',
    'Unsupported', 'Via', 'Warning',
  ].map((n) => n.toLowerCase()),
);

/** `v` -> `Via`, `call-id` -> `Call-ID`; unknown names are kept as written. */
export function canonicalName(name: string): string {
  return CANONICAL.get(name.toLowerCase()) ?? name;
}

/** Case-insensitive lookup key of a header name (compact forms included). */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return CANONICAL_KEY.get(lower) ?? lower;
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}

interface Field {
  name: string;
  key: string;
  value: string;
}

const CR_OR_LF = /[\r\n]/;

function checkWire(name: string, value: string): void {
  // A CR or LF in a value written by an upper layer would inject header lines.
  if (name.length === 0 || CR_OR_LF.test(name) || CR_OR_LF.test(value)) {
    throw new TypeError(`invalid header field ${JSON.stringify(name)}`);
  }
}

/** parsedView(): nothing parsed for that view yet (undefined is a valid parsed value). */
export const NOT_PARSED: unique symbol = Symbol('not parsed');

export class SipHeaders {
  /** The fields in wire order (enumerable so deep equality of messages compares them). */
  private readonly fields: Field[] = [];
  #version = 0;
  /** Parsed views (accessors.ts) by header key. */
  #parsed: Map<string, unknown> | undefined;

  constructor(init?: Iterable<readonly [string, string]>) {
    if (init) for (const [n, v] of init) this.append(n, v);
  }

  /** Bumped on every edit; accessors use it to invalidate their cache. */
  get version(): number {
    return this.#version;
  }

  /**
   * The parsed view of the header with this key (accessors.ts: one view per header), or NOT_PARSED.
   * A view is dropped when its own header changes, and only then: stamping Via or adding a
   * Record-Route does not make From, To and Contact parse again. Kept here rather than in a
   * WeakMap keyed by message: ephemeron tables made GC the parser's main cost.
   * @internal
   */
  parsedView(key: string): unknown {
    const m = this.#parsed;
    return m !== undefined && m.has(key) ? m.get(key) : NOT_PARSED;
  }

  /** @internal */
  keepParsedView(key: string, value: unknown): void {
    (this.#parsed ??= new Map()).set(key, value);
  }

  private changed(key: string): void {
    this.#version++;
    this.#parsed?.delete(key);
  }

  /** Number of header lines. */
  get count(): number {
    return this.fields.length;
  }

  /** Parser fast path: the name is a token as received and the value already unfolded. */
  addParsed(rawName: string, value: string): void {
    const lower = rawName.toLowerCase();
    const canon = CANONICAL.get(lower);
    const key = canon === undefined ? lower : CANONICAL_KEY.get(lower)!;
    this.fields.push({ name: canon ?? rawName, key, value });
    this.changed(key);
  }

  /** First value; for list headers the first element of the first line (e.g. the top Via). */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const f of this.fields) {
      if (f.key !== key) continue;
      if (LIST_HEADERS.has(key) && f.value.includes(',')) return splitList(f.value, true, f.name, true)[0];
      return f.value;
    }
    return undefined;
  }

  /**
   * Every value in order, list headers split at top-level commas (never inside quotes or `<>`).
   * Never throws: typed, validated views are in accessors.ts.
   */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const list = LIST_HEADERS.has(key);
    const out: string[] = [];
    for (const f of this.fields) {
      if (f.key !== key) continue;
      if (list && f.value.includes(',')) out.push(...splitList(f.value, true, f.name, true));
      else out.push(f.value);
    }
    return out;
  }

  /** Raw line values without list splitting (`Via: a, b` is one entry). */
  getLines(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (const f of this.fields) if (f.key === key) out.push(f.value);
    return out;
  }

  has(name: string): boolean {
    const key = headerKey(name);
    return this.fields.some((f) => f.key === key);
  }

  /** Replaces every field of that name by one, at the position of the first. */
  set(name: string, value: string): void {
    checkWire(name, value);
    const key = headerKey(name);
    const first = this.fields.findIndex((f) => f.key === key);
    if (first < 0) {
      this.fields.push({ name: canonicalName(name), key, value });
    } else {
      this.fields[first] = { name: canonicalName(name), key, value };
      for (let i = this.fields.length - 1; i > first; i--) if (this.fields[i]!.key === key) this.fields.splice(i, 1);
    }
    this.changed(key);
  }

  append(name: string, value: string): void {
    checkWire(name, value);
    const key = headerKey(name);
    this.fields.push({ name: canonicalName(name), key, value });
    this.changed(key);
  }

  /** Inserts before the first field of that name, or at the top (e.g. a proxy's own Via, §16.6 step 8). */
  prepend(name: string, value: string): void {
    checkWire(name, value);
    const key = headerKey(name);
    const first = this.fields.findIndex((f) => f.key === key);
    this.fields.splice(first < 0 ? 0 : first, 0, { name: canonicalName(name), key, value });
    this.changed(key);
  }

  /** Removes every field of that name; returns how many lines went. */
  remove(name: string): number {
    const key = headerKey(name);
    let n = 0;
    for (let i = this.fields.length - 1; i >= 0; i--) {
      if (this.fields[i]!.key === key) {
        this.fields.splice(i, 1);
        n++;
      }
    }
    if (n > 0) this.changed(key);
    return n;
  }

  /**
   * Removes only the first VALUE: for `Via: v1, v2` the line becomes `Via: v2` (a proxy popping its
   * own Via from a response, §16.7 step 3). Returns the removed value.
   */
  removeFirst(name: string): string | undefined {
    const key = headerKey(name);
    const idx = this.fields.findIndex((f) => f.key === key);
    if (idx < 0) return undefined;
    const f = this.fields[idx]!;
    this.changed(key);
    if (LIST_HEADERS.has(key) && f.value.includes(',')) {
      const parts = splitList(f.value, true, f.name, true);
      if (parts.length > 1) {
        this.fields[idx] = { ...f, value: parts.slice(1).join(', ') };
        return parts[0];
      }
    }
    this.fields.splice(idx, 1);
    return f.value;
  }

  /** Copies of the fields in order. */
  entries(): HeaderField[] {
    return this.fields.map((f) => ({ name: f.name, value: f.value }));
  }

  clone(): SipHeaders {
    const c = new SipHeaders();
    for (const f of this.fields) c.fields.push({ ...f });
    c.#version = 0;
    return c;
  }
}
