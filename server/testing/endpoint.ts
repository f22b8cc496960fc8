/**
 * A scripted SIP user agent over a raw test connection: sends requests (answering one Digest
 * challenge per request, RFC 3261 §22.2/§22.3), registers with RFC 5626 outbound parameters so the
 * server routes to it over this very connection, and answers incoming requests (200 by default).
 */
import { randomUUID } from 'node:crypto';
import type { SipConnection } from './connection';
import { digestAuthorization, pickChallenge, type DigestAlgorithmName } from './digest';
import { buildRequest, buildResponse, newBranch, paramsOf, randomToken, type WireMessage } from './sip-wire';

export interface Answer {
  status: number;
  reason: string;
  headers?: Array<[string, string]>;
  body?: string;
}

export interface EndpointOptions {
  user: string;
  password?: string;
  domain: string;
  /** +sip.instance (RFC 5626 §4.1); a fresh UUID by default. */
  instanceId?: string;
  regId?: number;
  algorithm?: DigestAlgorithmName;
  /** How to answer an incoming request; null stays silent. Default: 200 OK (ACK never answered). */
  answer?: (request: WireMessage) => Answer | null;
}

export interface RequestOptions {
  headers?: Array<[string, string]>;
  body?: string;
  contentType?: string;
  /** To header value; defaults to the Request-URI. */
  to?: string;
  /** From header value; defaults to this endpoint's AOR with its tag (tests of identity checks). */
  from?: string;
  callId?: string;
  /** Answer 401/407 with credentials (default true). */
  auth?: boolean;
  timeoutMs?: number;
}

const DIALOG_METHODS = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

interface Pending {
  resolve: (m: WireMessage) => void;
  reject: (e: Error) => void;
  provisional: WireMessage[];
}

export class SipEndpoint {
  readonly instanceId: string;
  readonly fromTag = randomToken(10);
  /** Incoming requests, in order. */
  readonly requests: WireMessage[] = [];
  private readonly viaHost: string;
  private readonly pending = new Map<string, Pending>();
  private readonly requestWaiters: Array<{ match: (m: WireMessage) => boolean; resolve: (m: WireMessage) => void }> = [];
  private cseq = 1;
  private readonly registerCallId = `${randomToken(16)}@test`;

  constructor(
    readonly connection: SipConnection,
    readonly options: EndpointOptions,
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.viaHost = connection.transport === 'TCP' ? `${connection.localAddress}:${connection.localPort}` : `${randomToken(10)}.invalid`;
    connection.onMessage = (m) => this.dispatch(m);
  }

  get aor(): string {
    return `sip:${this.options.user}@${this.options.domain}`;
  }

  /** This endpoint's Contact URI (RFC 5626 §5.4 `ob`: route back over the registration flow). */
  get contactUri(): string {
    const transport = this.connection.transport.toLowerCase();
    return `sip:${this.options.user}@${this.viaHost};transport=${transport};ob`;
  }

  private dispatch(m: WireMessage): void {
    if (m.kind === 'response') {
      const branch = paramsOf(m.header('via') ?? '').get('branch') ?? '';
      const p = this.pending.get(branch);
      if (!p) return;
      if ((m.status ?? 0) < 200) p.provisional.push(m);
      else {
        this.pending.delete(branch);
        p.resolve(m);
      }
      return;
    }
    this.requests.push(m);
    const i = this.requestWaiters.findIndex((w) => w.match(m));
    if (i >= 0) this.requestWaiters.splice(i, 1)[0]!.resolve(m);
    if (m.method === 'ACK') return;
    const answer = this.options.answer ? this.options.answer(m) : { status: 200, reason: 'OK' };
    if (answer) this.connection.send(buildResponse(m, answer.status, answer.reason, answer.headers, answer.body));
  }

  /** Waits for an incoming request (already received ones count). */
  waitForRequest(match: (m: WireMessage) => boolean, timeoutMs = 5_000): Promise<WireMessage> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (m: WireMessage) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.requestWaiters.splice(this.requestWaiters.indexOf(waiter), 1);
        reject(new Error(`${this.options.user}: no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      this.requestWaiters.push(waiter);
    });
  }

  private headersFor(method: string, uri: string, callId: string, seq: number, options: RequestOptions): Array<[string, string]> {
    const headers: Array<[string, string]> = [
      ['Via', `SIP/2.0/${this.connection.transport} ${this.viaHost};branch=${newBranch()};rport`],
      ['Max-Forwards', '70'],
      ['From', options.from ?? `<${this.aor}>;tag=${this.fromTag}`],
      ['To', options.to ?? `<${uri}>`],
      ['Call-ID', callId],
      ['CSeq', `${seq} ${method}`],
      ['User-Agent', 'ocs-interop-test'],
    ];
    // Dialog-creating requests carry a Contact; MESSAGE does not need one (RFC 3428 §4).
    if (DIALOG_METHODS.has(method)) headers.push(['Contact', `<${this.contactUri}>`]);
    if (options.body !== undefined) headers.push(['Content-Type', options.contentType ?? 'text/plain']);
    return [...headers, ...(options.headers ?? [])];
  }

  private sendOnce(method: string, uri: string, headers: Array<[string, string]>, options: RequestOptions): Promise<WireMessage> {
    const branch = paramsOf(headers[0]![1]).get('branch')!;
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(branch);
        reject(new Error(`${this.options.user}: no final response to ${method} ${uri} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(branch, {
        provisional: [],
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.connection.send(buildRequest({ method, uri, headers, body: options.body }));
    });
  }

  /**
   * Sends a request and resolves with its final response. A 401/407 is answered once with
   * credentials (twice when the second challenge says stale=true, RFC 2617 §3.2.1).
   */
  async request(method: string, uri: string, options: RequestOptions = {}): Promise<WireMessage> {
    const callId = options.callId ?? (method === 'REGISTER' ? this.registerCallId : `${randomToken(16)}@test`);
    let response = await this.sendOnce(method, uri, this.headersFor(method, uri, callId, this.cseq++, options), options);
    for (let attempt = 0; attempt < 2 && options.auth !== false && this.options.password !== undefined; attempt++) {
      if (response.status !== 401 && response.status !== 407) break;
      const challenges = response.headerAll(response.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate');
      const challenge = pickChallenge(challenges, this.options.algorithm ?? 'MD5');
      if (!challenge || (attempt === 1 && !challenge.stale)) break;
      const authorization = digestAuthorization({ challenge, credentials: { username: this.options.user, password: this.options.password }, method, uri });
      const headerName = response.status === 401 ? 'Authorization' : 'Proxy-Authorization';
      const headers = this.headersFor(method, uri, callId, this.cseq++, options);
      headers.push([headerName, authorization]);
      response = await this.sendOnce(method, uri, headers, options);
    }
    return response;
  }

  /** REGISTER this connection's contact for the user (RFC 3261 §10.2, RFC 5626 §4.2, RFC 5627 §4.1). */
  register(options: { expires?: number; headers?: Array<[string, string]>; contactParams?: string } = {}): Promise<WireMessage> {
    const regId = this.options.regId ?? 1;
    const contact = `<${this.contactUri}>;+sip.instance="<urn:uuid:${this.instanceId}>";reg-id=${regId}${options.contactParams ?? ''}`;
    return this.request('REGISTER', `sip:${this.options.domain}`, {
      to: `<${this.aor}>`,
      headers: [['Contact', contact], ['Expires', String(options.expires ?? 600)], ['Supported', 'outbound, gruu, path'], ...(options.headers ?? [])],
    });
  }

  /** A MESSAGE (RFC 3428) with a text/plain body. */
  message(to: string, text: string, options: RequestOptions = {}): Promise<WireMessage> {
    return this.request('MESSAGE', to, { ...options, body: text, contentType: 'text/plain' });
  }
}
