/**
 * Test support for the Factory: a fastify app with the plugin on a fresh DB of the given engine,
 * a hand-driven clock, and request bodies shaped like the MCU client's (mcu/factory/).
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { Db } from '../../db/index';
import type { TestEngine } from '../../db/testing';
import type { McuLoad, McuRegistration } from '../../../shared/mcu/factory';
import { ConferencingServerFactory, type FactoryLog } from './factory';
import { conferencingFactoryPlugin } from './plugin';
import { MCU_FACTORY_MIGRATIONS } from './schema';

export const TEST_SECRET = 'factory-test-secret-0123456789';
export const SILENT_AFTER_MS = 3_000;

export const quietLog: FactoryLog = { debug() {}, info() {}, warn() {}, error() {} };

export function registration(mcuId: string, overrides: Partial<McuRegistration> = {}): McuRegistration {
  return {
    mcuId,
    kind: 'av',
    apiUrl: `http://127.0.0.1:9/${mcuId}`,
    mediaTypes: ['audio', 'video', 'screen'],
    capacity: { workers: 1, maxConsumers: 500 },
    version: 'test',
    ...overrides,
  };
}

export function load(mcuId: string, overrides: Partial<McuLoad> = {}): McuLoad {
  return { mcuId, at: 0, conferences: 0, users: 0, transports: 0, producers: 0, consumers: 0, cpu: 0, workers: [], ...overrides };
}

export interface FactoryFixture {
  db: Db;
  app: FastifyInstance;
  factory: ConferencingServerFactory;
  clock: { now: number };
  /** An MCU request with the right secret unless `auth` says otherwise (null: no header). */
  send(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, auth?: string | null): Promise<LightMyRequestResponse>;
  register(mcuId: string, overrides?: Partial<McuRegistration>): Promise<void>;
  report(mcuId: string, overrides?: Partial<McuLoad>): Promise<void>;
  close(): Promise<void>;
}

export async function factoryFixture(engine: TestEngine, prefix = ''): Promise<FactoryFixture> {
  const db = await engine.open({ migrations: [MCU_FACTORY_MIGRATIONS] });
  const clock = { now: 1_700_000_000_000 };
  const now = () => clock.now;
  const app = Fastify({ logger: false });
  await app.register(conferencingFactoryPlugin, { db, secret: TEST_SECRET, log: quietLog, now, silentAfterMs: SILENT_AFTER_MS, loadIntervalMs: 1_000, prefix });
  await app.ready();
  const factory = new ConferencingServerFactory({ db, now, silentAfterMs: SILENT_AFTER_MS, log: quietLog });
  const send: FactoryFixture['send'] = (method, url, body, auth = TEST_SECRET) =>
    app.inject({
      method,
      url: prefix + url,
      headers: auth === null ? {} : { authorization: `Bearer ${auth}` },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  const expectStatus = (res: LightMyRequestResponse, ok: number[]) => {
    if (!ok.includes(res.statusCode)) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
  };
  return {
    db,
    app,
    factory,
    clock,
    send,
    register: async (mcuId, overrides) => expectStatus(await send('POST', '/v1/mcus', registration(mcuId, overrides)), [200, 201]),
    report: async (mcuId, overrides) => expectStatus(await send('PUT', `/v1/mcus/${mcuId}/load`, load(mcuId, overrides)), [204]),
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** Polls `probe` until `accept` holds or `timeoutMs` passes (then throws, naming `what` and the last value). */
export async function waitFor<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}
