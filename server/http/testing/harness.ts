/** Builds the HTTP server over real in-memory dependencies (TokenService, Lockout, MemoryUserStore) for tests. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../config';
import { Lockout } from '../../auth/lockout';
import { TokenService } from '../../auth/tokens';
import type { AdminView, HealthReport, HttpLog } from '../deps';
import { buildHttpServer } from '../server';
import { MemoryUserStore } from './memory-users';

export interface Harness {
  app: FastifyInstance;
  users: MemoryUserStore;
  tokens: TokenService;
  lockout: Lockout;
  config: Config;
  logLines: string[];
  setHealth(report: HealthReport): void;
  login(user: string, password: string): Promise<string>;
}

export async function makeHarness(opts: { clientDir?: string; serveClient?: boolean; admin?: AdminView; maxFailures?: number } = {}): Promise<Harness> {
  const config = loadConfig({ OCS_DOMAIN: 'example.test', OCS_DEMO_USERS: '0' }, { serveClient: opts.serveClient ?? false });
  const users = new MemoryUserStore();
  const tokens = new TokenService(randomBytes(32), config.auth.tokenTtlMs);
  const lockout = new Lockout({ maxFailures: opts.maxFailures ?? 3, lockoutMs: 60_000 });
  const logLines: string[] = [];
  const record = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    logLines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  };
  const log: HttpLog = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  let health: HealthReport = { ready: true, listeners: { http: true, sip: true } };
  const app = await buildHttpServer({
    config, users, tokens, lockout, log,
    health: () => health,
    ...(opts.admin ? { admin: opts.admin } : {}),
    ...(opts.clientDir ? { clientDir: opts.clientDir } : {}),
  });
  await users.create({ name: 'alice', displayName: 'Alice Liddell', password: 'wonderland', realm: config.domain });
  await users.create({ name: 'root', displayName: 'Administrator', password: 'rootpassword', admin: true, realm: config.domain });
  return {
    app, users, tokens, lockout, config, logLines,
    setHealth: (r) => { health = r; },
    async login(user, password) {
      const res = await app.inject({ method: 'POST', url: '/api/login', payload: { user, password } });
      if (res.statusCode !== 200) throw new Error(`login ${user}: ${res.statusCode} ${res.body}`);
      return (res.json() as { token: string }).token;
    },
  };
}
