/**
 * The MCU's composition: worker pool, conferences, HTTP API + socket.io signaling on one
 * listener, and the Factory registration. `startMcu` is what main.ts runs, and what tests and
 * benchmarks start in-process.
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { ALL_MEDIA_TYPES } from '../shared/mcu/ids';
import type { McuLoad } from '../shared/mcu/factory';
import type { McuConfig } from './config';
import { CredentialAuthority } from './credentials';
import { FactoryRegistration } from './factory/registration';
import { mcuApi } from './http/api';
import { sampleLoad } from './load';
import { createMcuLog, type McuLog } from './log';
import { mediasoupVersion } from './media/workerBin';
import { WorkerPool } from './media/workerPool';
import { Conferences } from './rooms/conferences';
import { attachSignaling, type SignalingServer } from './signaling/server';

export interface McuHandle {
  readonly mcuId: string;
  /** Base URL of the HTTP API. */
  readonly apiUrl: string;
  readonly signalingUrl: string;
  readonly signalingPath: string;
  readonly pool: WorkerPool;
  readonly conferences: Conferences;
  readonly factory?: FactoryRegistration;
  load(): Promise<McuLoad>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

export async function startMcu(config: McuConfig, log: McuLog = createMcuLog(config.logLevel)): Promise<McuHandle> {
  const pool = await WorkerPool.start({ workers: config.workers, rtc: config.rtc, workerBin: config.workerBin, log: log.child('workers') });
  const conferences = new Conferences(pool, log.child('conferences'));
  const credentials = new CredentialAuthority(config.secret);
  const load = () => sampleLoad(config.mcuId, pool, conferences);
  let signalingUrl = config.publicUrl ?? '';
  let apiUrl = config.apiUrl ?? '';

  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    // Reject, rather than silently drop, properties the schemas do not allow.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  let io: SignalingServer | undefined;
  let factory: FactoryRegistration | undefined;
  try {
    mcuApi(app, {
      mcuId: config.mcuId,
      secret: config.secret,
      conferences,
      credentials,
      credentialTtlMs: config.credentialTtlMs,
      signaling: () => ({ url: signalingUrl, path: config.signalingPath }),
      load,
      log: log.child('http'),
    });
    io = attachSignaling(app.server, {
      path: config.signalingPath,
      corsOrigins: config.corsOrigins,
      credentials,
      conferences,
      limits: config.limits,
      log: log.child('signaling'),
    });
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    io?.close();
    await app.close().catch(() => undefined);
    pool.close();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const local = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  signalingUrl ||= local;
  apiUrl ||= local;

  if (config.factoryUrl) {
    factory = new FactoryRegistration({
      factoryUrl: config.factoryUrl,
      secret: config.secret,
      loadIntervalMs: config.loadIntervalMs,
      load,
      log: log.child('factory'),
      registration: () => ({
        mcuId: config.mcuId,
        kind: 'av',
        apiUrl,
        mediaTypes: [...ALL_MEDIA_TYPES],
        capacity: { workers: pool.size, maxConsumers: config.maxConsumers },
        version: `mediasoup ${mediasoupVersion()}`,
      }),
    });
    factory.start();
  }

  let closing: Promise<void> | undefined;
  return {
    mcuId: config.mcuId,
    apiUrl,
    signalingUrl,
    signalingPath: config.signalingPath,
    pool,
    conferences,
    factory,
    load,
    close: () =>
      (closing ??= (async () => {
        await factory?.stop();
        conferences.closeAll();
        io?.close();
        await app.close();
        pool.close();
      })()),
  };
}
