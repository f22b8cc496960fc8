/**
 * sip.js 0.21 running in Node as a third-party client: its Web transport needs a browser-like
 * `WebSocket`, which the `ws` package provides. Media is replaced by a fixed-SDP session
 * description handler: these tests check signaling through the proxy, not media.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  Invitation,
  Inviter,
  Messager,
  Registerer,
  UserAgent,
  type Message,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerFactory,
} from 'sip.js';

/** sip.js looks up the global at connect time (platform/web/transport). */
export function installWebSocketGlobal(): void {
  const g = globalThis as { WebSocket?: unknown };
  if (g.WebSocket === undefined) g.WebSocket = WebSocket;
}

export const FIXED_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

class FixedSdpHandler implements SessionDescriptionHandler {
  /** Offers/answers this handler was given (the peer's SDP as received). */
  readonly remote: string[] = [];
  close(): void {}
  async getDescription(): Promise<{ body: string; contentType: string }> {
    return { body: FIXED_SDP, contentType: 'application/sdp' };
  }
  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }
  async setDescription(sdp: string): Promise<void> {
    this.remote.push(sdp);
  }
  sendDtmf(): boolean {
    return false;
  }
}

export const fixedSdpFactory: SessionDescriptionHandlerFactory = (_session: Session) => new FixedSdpHandler();

export interface SipJsClientOptions {
  /** ws://host:port/sip, optionally with ?access_token=. */
  server: string;
  user: string;
  domain: string;
  /** Omit when the URL carries an access token. */
  password?: string;
  instanceId?: string;
}

/** One sip.js UserAgent + Registerer, recording what it receives. */
export class SipJsClient {
  readonly ua: UserAgent;
  readonly registerer: Registerer;
  readonly instanceId: string;
  readonly messages: Message[] = [];
  readonly invitations: Invitation[] = [];
  /** Captured sip.js log lines at warn/error level (diagnostics on failure). */
  readonly log: string[] = [];
  private readonly waiters: Array<() => void> = [];

  constructor(readonly options: SipJsClientOptions) {
    installWebSocketGlobal();
    this.instanceId = options.instanceId ?? randomUUID();
    const uri = UserAgent.makeURI(`sip:${options.user}@${options.domain}`);
    if (!uri) throw new Error(`bad AOR for ${options.user}`);
    this.ua = new UserAgent({
      uri,
      transportOptions: { server: options.server, traceSip: false },
      authorizationUsername: options.password !== undefined ? options.user : undefined,
      authorizationPassword: options.password,
      instanceId: this.instanceId,
      logBuiltinEnabled: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => {
        if (level === 'warn' || level === 'error') this.log.push(`${level} ${category}: ${content}`);
      },
      sessionDescriptionHandlerFactory: fixedSdpFactory,
      delegate: {
        onMessage: (m) => {
          this.messages.push(m);
          void m.accept();
          this.notify();
        },
        onInvite: (inv) => {
          this.invitations.push(inv);
          this.notify();
        },
      },
    });
    this.registerer = new Registerer(this.ua, { regId: 1, instanceId: this.instanceId, expires: 600 });
  }

  get aor(): string {
    return `sip:${this.options.user}@${this.options.domain}`;
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when `probe` holds, re-checked on every received MESSAGE/INVITE. */
  async until<T>(probe: () => T | undefined, timeoutMs = 5_000, what = 'event'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.options.user}: timed out waiting for ${what}; sip.js log: ${this.log.slice(-5).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  async start(): Promise<void> {
    await this.ua.start();
  }

  /** REGISTER; resolves with the final status (200 on success). */
  register(timeoutMs = 5_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.user}: REGISTER got no final response`)), timeoutMs);
      this.registerer
        .register({
          requestDelegate: {
            onAccept: (r) => (clearTimeout(timer), resolve(r.message.statusCode)),
            onReject: (r) => (clearTimeout(timer), resolve(r.message.statusCode)),
          },
        })
        .catch((e: unknown) => (clearTimeout(timer), reject(e)));
    });
  }

  /** Starts, registers, and throws unless the registrar said 200. */
  async online(): Promise<this> {
    await this.start();
    const status = await this.register();
    if (status !== 200) throw new Error(`${this.options.user}: REGISTER answered ${status}`);
    return this;
  }

  /** MESSAGE (RFC 3428); resolves with the final status. */
  sendMessage(target: string, text: string, timeoutMs = 5_000): Promise<number> {
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new Error(`bad target ${target}`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.user}: MESSAGE to ${target} got no final response`)), timeoutMs);
      new Messager(this.ua, uri, text, 'text/plain')
        .message({
          requestDelegate: {
            onAccept: (r) => (clearTimeout(timer), resolve(r.message.statusCode)),
            onReject: (r) => (clearTimeout(timer), resolve(r.message.statusCode)),
          },
        })
        .catch((e: unknown) => (clearTimeout(timer), reject(e)));
    });
  }

  /** An Inviter towards `target` (not yet sent). */
  inviter(target: string): Inviter {
    const uri = UserAgent.makeURI(target);
    if (!uri) throw new Error(`bad target ${target}`);
    return new Inviter(this.ua, uri);
  }

  waitForMessage(text: string, timeoutMs = 5_000): Promise<Message> {
    return this.until(() => this.messages.find((m) => m.request.body === text), timeoutMs, `MESSAGE "${text}"`);
  }

  waitForInvitation(timeoutMs = 5_000): Promise<Invitation> {
    return this.until(() => this.invitations[0], timeoutMs, 'INVITE');
  }

  async stop(): Promise<void> {
    try {
      await this.ua.stop();
    } catch {
      // Already stopped or transport gone; nothing left to release.
    }
  }
}
