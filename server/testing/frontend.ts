/**
 * Starts a whole Front End in-process for integration tests: ephemeral ports on 127.0.0.1, a temp
 * data dir (removed on close), no demo users, no web client, short protocol timers. Every
 * connection opened through the harness is closed with it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFrontEnd, type FrontEnd } from '../app';
import { DEFAULT_AUTH, DEFAULT_LIMITS, DEFAULT_REGISTRAR, type AuthSettings, type Config, type RegistrarSettings, type SipLimits } from '../config';
import { DEFAULT_PARSER_LIMITS, type ParserLimits } from '../sip/message/types';
import { DEFAULT_TIMERS, type TimerSettings } from '../sip/transaction/types';
import { TcpSipConnection, WsSipConnection, type ConnectOptions, type SipConnection, type TestTransport } from './connection';
import { SipEndpoint, type EndpointOptions } from './endpoint';

export interface TestUser {
  name: string;
  password: string;
}

/** Nested sections may be given in part; the harness fills the rest from the defaults. */
export interface TestOverrides extends Omit<Partial<Config>, 'limits' | 'auth' | 'parser' | 'timers' | 'registrar'> {
  limits?: Partial<SipLimits>;
  auth?: Partial<AuthSettings>;
  parser?: Partial<ParserLimits>;
  timers?: Partial<TimerSettings>;
  registrar?: Partial<RegistrarSettings>;
}

export interface TestFrontEndOptions {
  overrides?: TestOverrides;
  users?: TestUser[];
}

/** Password convention used across the interop tests. */
export function passwordOf(name: string): string {
  return `${name}-secret-1`;
}

export class TestFrontEnd {
  private readonly connections = new Set<SipConnection>();

  private constructor(
    readonly fe: FrontEnd,
    private readonly dataDir: string,
  ) {}

  static async start(options: TestFrontEndOptions = {}): Promise<TestFrontEnd> {
    const dataDir = await mkdtemp(join(tmpdir(), 'ocs-interop-'));
    const o = options.overrides ?? {};
    const overrides: Partial<Config> = {
      host: '127.0.0.1',
      httpPort: 0,
      sipPort: 0,
      dataDir,
      serveClient: false,
      seedDemoUsers: false,
      logLevel: (process.env.OCS_TEST_LOG_LEVEL as Config['logLevel'] | undefined) ?? 'silent',
      ...o,
      // Short T1 keeps Timer F (64*T1) bounded when a forked branch never answers.
      timers: { ...DEFAULT_TIMERS, T1: 100, T2: 400, T4: 500, C: 20_000, ...o.timers },
      limits: { ...DEFAULT_LIMITS, ...o.limits },
      auth: { ...DEFAULT_AUTH, ...o.auth },
      parser: { ...DEFAULT_PARSER_LIMITS, ...o.parser },
      registrar: { ...DEFAULT_REGISTRAR, ...o.registrar },
    };
    let fe: FrontEnd;
    try {
      fe = await startFrontEnd(overrides, { env: {} });
    } catch (e) {
      await rm(dataDir, { recursive: true, force: true });
      throw e;
    }
    const t = new TestFrontEnd(fe, dataDir);
    for (const u of options.users ?? []) await t.addUser(u.name, u.password);
    return t;
  }

  get domain(): string {
    return this.fe.config.domain;
  }

  get sipPort(): number {
    return this.fe.sipPort;
  }

  get httpPort(): number {
    return this.fe.httpPort;
  }

  async addUser(name: string, password = passwordOf(name)): Promise<void> {
    await this.fe.db.users.create({ name, password }, this.fe.config.domain);
  }

  wsUrl(token?: string): string {
    return `ws://127.0.0.1:${this.fe.httpPort}/sip${token ? `?access_token=${encodeURIComponent(token)}` : ''}`;
  }

  /** POST /api/login: the bearer token a web client puts on its WebSocket URL. */
  async login(user: string, password = passwordOf(user)): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.fe.httpPort}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`login ${user}: HTTP ${res.status}`);
    const body = (await res.json()) as { token?: unknown };
    if (typeof body.token !== 'string') throw new Error(`login ${user}: no token in response`);
    return body.token;
  }

  private track<C extends SipConnection>(c: C): C {
    this.connections.add(c);
    return c;
  }

  async tcp(options: ConnectOptions = {}): Promise<TcpSipConnection> {
    return this.track(await TcpSipConnection.open(this.fe.sipPort, options));
  }

  async ws(options: ConnectOptions & { token?: string } = {}): Promise<WsSipConnection> {
    return this.track(await WsSipConnection.open(this.wsUrl(options.token), options));
  }

  async connect(transport: TestTransport, options: ConnectOptions = {}): Promise<SipConnection> {
    return transport === 'TCP' ? this.tcp(options) : this.ws(options);
  }

  /** A scripted endpoint for `user` on a new connection (not yet registered). */
  async endpoint(transport: TestTransport, user: string, options: Partial<EndpointOptions> = {}): Promise<SipEndpoint> {
    const connection = await this.connect(transport);
    return new SipEndpoint(connection, { user, password: passwordOf(user), domain: this.domain, ...options });
  }

  /** An endpoint that has registered; throws with the server's answer when REGISTER fails. */
  async registered(transport: TestTransport, user: string, options: Partial<EndpointOptions> = {}): Promise<SipEndpoint> {
    const ep = await this.endpoint(transport, user, options);
    const res = await ep.register();
    if (res.status !== 200) throw new Error(`REGISTER ${user} over ${transport}: ${res.startLine}`);
    return ep;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
    this.connections.clear();
    try {
      await this.fe.close();
    } finally {
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 5_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
