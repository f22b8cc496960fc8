/**
 * sip.js 0.21 running in Node as a third-party client: its Web transport needs a browser-like
 * `WebSocket`, which the `ws` package provides. Media is replaced by a fixed-SDP session
 * description handler: these tests check signaling through the proxy, not media.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { passwordOf } from './frontend';
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

/** The SDP a session's handler was given by the peer (offer or answer), in order. */
export function remoteDescriptions(session: Session): string[] {
  const handler = session.sessionDescriptionHandler;
  return handler instanceof FixedSdpHandler ? handler.remote : [];
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
            onAccept: (r) => (clearTimeout(timer), resolve(r.message.statusCode ?? 0)),
            onReject: (r) => (clearTimeout(timer), resolve(r.message.statusCode ?? 0)),
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
            onAccept: (r) => (clearTimeout(timer), resolve(r.message.statusCode ?? 0)),
            onReject: (r) => (clearTimeout(timer), resolve(r.message.statusCode ?? 0)),
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

  /** Stops the UA (it unregisters first); bounded because the server may already be gone. */
  async stop(timeoutMs = 3_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.ua.stop(), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    } catch {
      // Already stopped or transport gone; nothing left to release.
    } finally {
      clearTimeout(timer);
      // A stop that timed out leaves the socket open: close it so the test process can exit.
      void this.ua.transport.disconnect().catch(() => undefined);
    }
  }
}

/** What `connectSipJs` needs from a Front End under test (structural: no import of the app). */
export interface SipJsHost {
  domain: string;
  wsUrl(token?: string): string;
  login(user: string, password?: string): Promise<string>;
}

/**
 * A started, registered sip.js client for `user`, authenticating either with Digest over the plain
 * WebSocket URL or with a bearer token from /api/login on the URL (`?access_token=`).
 */
export async function connectSipJs(host: SipJsHost, user: string, options: { auth: 'digest' | 'token'; password: string; instanceId?: string }): Promise<SipJsClient> {
  const server = options.auth === 'token' ? host.wsUrl(await host.login(user, options.password)) : host.wsUrl();
  const client = new SipJsClient({ server, user, domain: host.domain, password: options.auth === 'digest' ? options.password : undefined, instanceId: options.instanceId });
  try {
    return await client.online();
  } catch (e) {
    await client.stop();
    throw e;
  }
}

/**
 * The sip.js clients of a test suite, signed in as users whose password follows passwordOf (token
 * auth and a fresh +sip.instance unless told otherwise); `stopAll()` in the suite's `after`.
 */
export class SipJsPeople {
  readonly all: SipJsClient[] = [];

  async online(host: SipJsHost, user: string, options: { auth?: 'digest' | 'token'; instanceId?: string } = {}): Promise<SipJsClient> {
    const c = await connectSipJs(host, user, { auth: options.auth ?? 'token', password: passwordOf(user), instanceId: options.instanceId ?? randomUUID() });
    this.all.push(c);
    return c;
  }

  /** The first client signed in as `user`. */
  of(user: string): SipJsClient {
    const c = this.all.find((x) => x.options.user === user);
    if (!c) throw new Error(`${user} is not online`);
    return c;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((c) => c.stop()));
  }
}

/** Resolves when a session reaches `state` (sip.js SessionState), bounded. */
export function waitForSessionState(session: Session, state: string, timeoutMs = 5_000): Promise<void> {
  if (session.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.stateChange.removeListener(listener);
      reject(new Error(`session stayed ${session.state}, wanted ${state}`));
    }, timeoutMs);
    const listener = (s: string): void => {
      if (s !== state) return;
      clearTimeout(timer);
      session.stateChange.removeListener(listener);
      resolve();
    };
    session.stateChange.addListener(listener);
  });
}
