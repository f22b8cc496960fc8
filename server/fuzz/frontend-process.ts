/**
 * A Front End as an operator runs it (`server/main.ts` in a child process, SQLite in a data dir or
 * PostgreSQL at a URL), for fault tests that kill it and start it again on the same data and ports,
 * or break its DB: whatever happens to the process (a crash included) happens to the child, as it
 * would in production, not to the test runner. Users are provisioned before the first start,
 * through the same user store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/index';
import type { Binding } from '../db/bindings';
import { TcpSipConnection } from '../testing/connection';
import { SipEndpoint } from '../testing/endpoint';
import { passwordOf } from '../testing/frontend';
import { FRONT_END_NODE_FLAGS } from '../node-flags';

const REPO = resolve(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface AdminRegistration {
  user: string;
  aor: string;
  contact: string;
  transport?: string;
}

export class FrontEndProcess {
  readonly domain = 'ocs.test';
  private child?: ChildProcess;
  private log = '';

  private constructor(
    readonly dataDir: string,
    readonly httpPort: number,
    readonly sipPort: number,
    private readonly admin: string,
    /** A postgres:// URL, or undefined for SQLite in the data dir. */
    readonly dbUrl?: string,
  ) {}

  static async create(options: { users: string[]; admin: string; dbUrl?: string }): Promise<FrontEndProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), 'ocs-fault-'));
    const fe = new FrontEndProcess(dataDir, await freePort(), await freePort(), options.admin, options.dbUrl);
    const db = await openDatabase({ dataDir, url: options.dbUrl, scryptCost: { log2N: 4 } });
    try {
      for (const name of options.users) await db.users.create({ name, password: passwordOf(name) }, fe.domain);
      await db.users.create({ name: options.admin, password: passwordOf(options.admin), admin: true }, fe.domain);
    } finally {
      await db.close();
    }
    return fe;
  }

  /** Starts `server/main.ts` and waits for its "running" line (60 s at most). */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [...FRONT_END_NODE_FLAGS, '--import', 'tsx', join(REPO, 'server', 'main.ts')], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        OCS_DATA_DIR: this.dataDir, OCS_HTTP_PORT: String(this.httpPort), OCS_SIP_PORT: String(this.sipPort), OCS_HOST: '127.0.0.1',
        OCS_DOMAIN: this.domain, OCS_MCU: '0', OCS_SERVE_CLIENT: '0', OCS_DEMO_USERS: '0', OCS_LOG_LEVEL: 'warn', OCS_DB: this.dbUrl ?? '',
      },
    });
    this.child = child;
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the Front End did not start within 60 s: ${this.log.slice(-1_000)}`)), 60_000);
      const onData = (d: Buffer): void => {
        this.log = (this.log + d.toString()).slice(-8_000);
        if (this.log.includes('OCS Web is running')) {
          clearTimeout(timer);
          ok();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`the Front End exited (${code}) before it was ready: ${this.log.slice(-1_000)}`));
      });
    });
  }

  /** The process is running (it has not crashed or been killed). */
  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process wrote (for failure messages). */
  get output(): string {
    return this.log.slice(-2_000);
  }

  /** SIGKILL: no shutdown code runs, as in a crash or power loss. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  /** A TCP endpoint for `user`, not registered yet. */
  async endpoint(user: string): Promise<SipEndpoint> {
    return new SipEndpoint(await TcpSipConnection.open(this.sipPort), { user, password: passwordOf(user), domain: this.domain });
  }

  /** A TCP endpoint registered for `user` (throws with the server's answer otherwise). */
  async registered(user: string): Promise<SipEndpoint> {
    const ep = await this.endpoint(user);
    const res = await ep.register();
    if (res.status !== 200) throw new Error(`REGISTER ${user}: ${res.startLine}`);
    return ep;
  }

  /** The bindings table as stored (read while the Front End is down, or beside it). */
  async storedBindings(): Promise<Binding[]> {
    const db = await openDatabase({ dataDir: this.dataDir, url: this.dbUrl });
    try {
      return await db.bindings.listAll();
    } finally {
      await db.close();
    }
  }

  /** GET /api/admin/registrations: what the running Front End serves. */
  async adminRegistrations(): Promise<AdminRegistration[]> {
    const base = `http://127.0.0.1:${this.httpPort}`;
    const login = await fetch(`${base}/api/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: this.admin, password: passwordOf(this.admin) }),
    });
    if (!login.ok) throw new Error(`admin login: HTTP ${login.status}`);
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${base}/api/admin/registrations`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /api/admin/registrations: HTTP ${res.status}`);
    return ((await res.json()) as { registrations: AdminRegistration[] }).registrations;
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
