/**
 * A minimal user agent for the load generator: builds requests as strings, matches responses by
 * CSeq only, answers a Digest challenge by re-sending once with credentials (RFC 3261 §22.2/§22.3)
 * and then keeps the nonce, adding credentials with a rising nonce-count to every later request
 * (RFC 7616 §3.4: nonce reuse with nc). Incoming requests get a bare 200 (RFC 3261 §8.2.6).
 * It reads nothing else: cheap enough to drive thousands of requests per second.
 */
import { createHash } from 'node:crypto';
import { digestAuthorization, parseChallenge, type DigestChallenge } from '../../server/testing/digest';
import { token, type Link } from './links';

export interface Result {
  status: number;
  /** From the first send to the final response, including a challenge round trip. */
  ms: number;
  /** The request was challenged first. */
  challenged: boolean;
  /** The final status line (for error reports). */
  line?: string;
}

interface Pending {
  method: string;
  uri: string;
  build: (seq: number, auth: string) => string;
  sentAt: number;
  challenged: boolean;
  done: (r: Result) => void;
}

export const statusOf = (text: string): number => (text.startsWith('SIP/2.0 ') ? Number(text.slice(8, 11)) : 0);
const cseqOf = (text: string): number => Number(/\r\nCSeq:[ \t]*(\d+)/i.exec(text)?.[1] ?? -1);
const MD5_CHALLENGE = /^(?:WWW|Proxy)-Authenticate:[ \t]*(Digest [^\r\n]*)$/gim;

/** A 200 to an incoming request: Via(s), From, To (+ tag), Call-ID and CSeq copied (§8.2.6.2). */
export function answer200(text: string): string {
  const lines = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n').slice(1);
  const keep = lines.filter((l) => /^(via|v|from|f|call-id|i|cseq)[ \t]*:/i.test(l));
  const to = lines.find((l) => /^(to|t)[ \t]*:/i.test(l)) ?? 'To: <sip:unknown@invalid>';
  return `SIP/2.0 200 OK\r\n${keep.join('\r\n')}\r\n${/;tag=/i.test(to) ? to : `${to};tag=${token()}`}\r\nContent-Length: 0\r\n\r\n`;
}

/** A stable instance URN per user and transport (the same "device" on every connection). */
export function deviceInstance(user: string, transport: string): string {
  const h = createHash('md5').update(`${user}/${transport}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class Ua {
  private seq = 0;
  private nc = 0;
  private challenge?: DigestChallenge;
  private readonly pending = new Map<number, Pending>();
  private readonly tag = token();
  private readonly registerCallId = `${token()}${token()}@bench`;
  /** Requests received (a receiver of relayed MESSAGEs). */
  received = 0;
  /** Challenges answered (for the report: how often a fresh nonce was needed). */
  challenges = 0;

  constructor(
    readonly link: Link,
    readonly user: string,
    readonly domain: string,
    private readonly password: string,
    /** RFC 5626 +sip.instance: the same device re-registering keeps it (and replaces its binding). */
    private readonly instance = deviceInstance(user, link.transport),
  ) {
    link.onMessage = (text) => this.onMessage(text);
    link.onClose = () => {
      for (const p of this.pending.values()) p.done({ status: 0, ms: performance.now() - p.sentAt, challenged: p.challenged });
      this.pending.clear();
    };
  }

  get aor(): string {
    return `sip:${this.user}@${this.domain}`;
  }

  /** Forget the nonce: the next request goes without credentials and is challenged afresh. */
  forgetNonce(): void {
    this.challenge = undefined;
  }

  private head(method: string, uri: string, seq: number, callId: string, to: string): string {
    const via = `SIP/2.0/${this.link.transport} ${this.link.sentBy};branch=z9hG4bK${token()}${seq};rport`;
    return `${method} ${uri} SIP/2.0\r\nVia: ${via}\r\nMax-Forwards: 70\r\nFrom: <${this.aor}>;tag=${this.tag}\r\nTo: <${to}>\r\n` +
      `Call-ID: ${callId}\r\nCSeq: ${seq} ${method}\r\n`;
  }

  register(expires = 600): Promise<Result> {
    const uri = `sip:${this.domain}`;
    const contact = `<sip:${this.user}@${this.link.sentBy};transport=${this.link.transport.toLowerCase()};ob>;+sip.instance="<urn:uuid:${this.instance}>";reg-id=1`;
    return this.send('REGISTER', uri, (seq, auth) =>
      `${this.head('REGISTER', uri, seq, this.registerCallId, this.aor)}Contact: ${contact}\r\nExpires: ${expires}\r\nSupported: outbound, path\r\n${auth}Content-Length: 0\r\n\r\n`,
    );
  }

  /** OPTIONS to the server itself (RFC 3261 §11): answered without a challenge, a health probe. */
  options(): Promise<Result> {
    const uri = `sip:${this.domain}`;
    const callId = `${token()}${token()}@bench`;
    return this.send('OPTIONS', uri, (seq) => `${this.head('OPTIONS', uri, seq, callId, uri)}Accept: application/sdp\r\nContent-Length: 0\r\n\r\n`);
  }

  message(to: string, text: string): Promise<Result> {
    const callId = `${token()}${token()}@bench`;
    return this.send('MESSAGE', to, (seq, auth) =>
      `${this.head('MESSAGE', to, seq, callId, to)}${auth}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text, 'latin1')}\r\n\r\n${text}`,
    );
  }

  private credentials(method: string, uri: string): string {
    if (!this.challenge) return '';
    const value = digestAuthorization({ challenge: this.challenge, credentials: { username: this.user, password: this.password }, method, uri, nc: ++this.nc });
    return `${method === 'REGISTER' ? 'Authorization' : 'Proxy-Authorization'}: ${value}\r\n`;
  }

  private send(method: string, uri: string, build: Pending['build']): Promise<Result> {
    return new Promise((done) => {
      const p: Pending = { method, uri, build, sentAt: performance.now(), challenged: false, done };
      this.transmit(p);
    });
  }

  private transmit(p: Pending): void {
    const seq = ++this.seq;
    this.pending.set(seq, p);
    this.link.send(p.build(seq, this.credentials(p.method, p.uri)));
  }

  private onMessage(text: string): void {
    const status = statusOf(text);
    if (status === 0) {
      this.received++;
      if (!text.startsWith('ACK ')) this.link.send(answer200(text));
      return;
    }
    if (status < 200) return;
    const seq = cseqOf(text);
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    if ((status === 401 || status === 407) && !p.challenged) {
      const values = [...text.matchAll(MD5_CHALLENGE)].map((m) => m[1]!);
      const md5 = values.map((v) => parseChallenge(v)).find((c) => c.algorithm.toUpperCase() === 'MD5');
      if (md5) {
        this.challenge = md5;
        this.nc = 0;
        this.challenges++;
        p.challenged = true;
        this.transmit(p);
        return;
      }
    }
    p.done({ status, ms: performance.now() - p.sentAt, challenged: p.challenged, line: status === 200 ? undefined : text.slice(0, text.indexOf('\r\n')) });
  }
}
