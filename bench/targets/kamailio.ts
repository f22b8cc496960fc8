/**
 * Kamailio from Debian (`kamailio`, `kamailio-websocket-modules`, `kamailio-sqlite-modules`) as a
 * bench target: bench/kamailio/kamailio.cfg filled with free loopback ports and a temp dir, users
 * provisioned in its sqlite `subscriber` table (HA1 = MD5(user:realm:password), RFC 2617 §3.2.2.2)
 * with the same names and password as ours, started in the foreground and stopped with SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { processTree } from '../load/proc';
import { BENCH_PASSWORD, benchUser, type Target } from './types';

const KAMAILIO = process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio';
const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
const SCHEMA = '/usr/share/kamailio/db_sqlite';
const TEMPLATE = join(import.meta.dirname, '..', 'kamailio', 'kamailio.cfg');

/** Why Kamailio cannot run here, or undefined when it can. */
export function kamailioMissingReason(): string | undefined {
  if (!existsSync(KAMAILIO)) return `${KAMAILIO} not found (apt-get install kamailio)`;
  for (const m of ['websocket.so', 'db_sqlite.so', 'xhttp.so']) {
    if (!existsSync(join(MODULES, m))) return `${MODULES}/${m} not found (apt-get install kamailio-websocket-modules kamailio-sqlite-modules)`;
  }
  if (!existsSync(join(SCHEMA, 'auth_db-create.sql'))) return `${SCHEMA}/auth_db-create.sql not found (kamailio-sqlite-modules)`;
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function provision(dbFile: string, domain: string, users: number): void {
  const db = new Database(dbFile);
  try {
    db.exec(readFileSync(join(SCHEMA, 'standard-create.sql'), 'utf8'));
    db.exec(readFileSync(join(SCHEMA, 'auth_db-create.sql'), 'utf8'));
    const insert = db.prepare('INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES (?, ?, ?, ?, ?)');
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    db.transaction(() => {
      for (let i = 0; i < users; i++) {
        const name = benchUser(i);
        insert.run(name, domain, '', md5(`${name}:${domain}:${BENCH_PASSWORD}`), md5(`${name}@${domain}:${domain}:${BENCH_PASSWORD}`));
      }
    })();
  } finally {
    db.close();
  }
}

export interface KamailioOptions {
  users: number;
  /** Reader processes per transport (default 2, as in the reference figures). */
  workers?: number;
  domain?: string;
}

export async function startKamailio(options: KamailioOptions): Promise<Target> {
  const missing = kamailioMissingReason();
  if (missing) throw new Error(missing);
  const domain = options.domain ?? 'ocs.test';
  const dir = await mkdtemp(join(tmpdir(), 'ocs-bench-kamailio-'));
  const [sipPort, wsPort] = [await freePort(), await freePort()];
  const dbFile = join(dir, 'kamailio.sqlite');
  provision(dbFile, domain, options.users);
  const values: Record<string, string> = {
    DOMAIN: domain,
    SIP_PORT: String(sipPort),
    WS_PORT: String(wsPort),
    WORKERS: String(options.workers ?? 2),
    DB: dbFile,
    SECRET: randomBytes(16).toString('hex'),
    MAX_CONNECTIONS: '40000',
    MAX_FILES: '20000',
  };
  const cfg = readFileSync(TEMPLATE, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_, k: string) => values[k] ?? `{{${k}}}`);
  const cfgFile = join(dir, 'kamailio.cfg');
  writeFileSync(cfgFile, cfg);
  const check = spawnSync(KAMAILIO, ['-c', '-f', cfgFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`kamailio -c refused the config: ${(check.stderr || check.stdout).slice(-2000)}`);

  let log = '';
  // 4 GiB of shared memory (touched only as used): each WebSocket connection takes 64 KiB of it and
  // a closed one is freed only after the websocket module's timeout, so the fresh-connection WS
  // workload exhausted 512 MiB and Kamailio refused connections (counted as its errors).
  const child: ChildProcess = spawn(KAMAILIO, ['-DD', '-E', '-f', cfgFile, '-m', '4096', '-M', '16', '-P', join(dir, 'kamailio.pid'), '-Y', dir, '-w', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(sipPort)) || !(await canConnect(wsPort))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`kamailio did not start: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let stopped: Promise<void> | undefined;
  return {
    name: 'kamailio',
    domain,
    tcpPort: sipPort,
    wsUrl: `ws://127.0.0.1:${wsPort}/`,
    pids: () => processTree(child.pid!),
    settle: async () => undefined,
    stop: () =>
      (stopped ??= (async () => {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(kill);
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
