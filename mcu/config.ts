/**
 * MCU configuration from its environment (the MCU_* contract in shared/mcu/env.ts, documented in
 * docs/mcu.md). Built once in main.ts; nothing else reads process.env.
 */
import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { MCU_ENV } from '../shared/mcu/env';
import { DEFAULT_SIGNALING_PATH } from '../shared/mcu/signaling';
import type { McuLogLevel } from './log';

export interface RtcSettings {
  /** Address the WebRtcServers bind (UDP + TCP). */
  listenIp: string;
  /** Address put in ICE candidates when listenIp is not reachable as such (0.0.0.0, NAT). */
  announcedAddress?: string;
  /** First WebRtcServer port; worker i listens on port + i. Unset: a free port per worker. */
  port?: number;
}

export interface PeerLimits {
  maxTransports: number;
  maxProducers: number;
  maxConsumers: number;
}

export interface McuConfig {
  mcuId: string;
  secret: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Origin browsers reach signaling at; derived from the bound address when unset. */
  publicUrl?: string;
  /** Base URL of the HTTP API announced to the Factory; derived when unset. */
  apiUrl?: string;
  signalingPath: string;
  /** Allowed browser origins for socket.io; `true` accepts any (the credential is the admission). */
  corsOrigins: string[] | true;
  rtc: RtcSettings;
  workers: number;
  workerBin?: string;
  factoryUrl?: string;
  loadIntervalMs: number;
  credentialTtlMs: number;
  limits: PeerLimits;
  /** Consumers across the MCU before it reports itself full (Factory capacity). */
  maxConsumers: number;
  logLevel: McuLogLevel;
}

export class McuConfigError extends Error {
  override name = 'McuConfigError';
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new McuConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

const LOG_LEVELS: McuLogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export function loadMcuConfig(env: NodeJS.ProcessEnv = process.env): McuConfig {
  const secret = env[MCU_ENV.secret] ?? '';
  if (secret.length < 16) throw new McuConfigError(`${MCU_ENV.secret} must be set to a shared secret of at least 16 characters`);
  const workers = int(env, MCU_ENV.workers, availableParallelism(), 1, 256);
  const rtcPortRaw = env[MCU_ENV.rtcPort];
  const logLevel = (env[MCU_ENV.logLevel] ?? 'info') as McuLogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new McuConfigError(`${MCU_ENV.logLevel} must be one of ${LOG_LEVELS.join(', ')}`);
  const cors = env[MCU_ENV.corsOrigins];
  const listenIp = env[MCU_ENV.rtcListenIp] || '127.0.0.1';
  const announcedAddress = env[MCU_ENV.rtcAnnouncedAddress] || undefined;
  if ((listenIp === '0.0.0.0' || listenIp === '::') && !announcedAddress) {
    throw new McuConfigError(`${MCU_ENV.rtcListenIp}=${listenIp} needs ${MCU_ENV.rtcAnnouncedAddress} (the address browsers reach)`);
  }
  return {
    mcuId: env[MCU_ENV.mcuId] || `av-${randomUUID()}`,
    secret,
    host: env[MCU_ENV.host] || '127.0.0.1',
    port: int(env, MCU_ENV.port, 8090, 0, 65_535),
    publicUrl: env[MCU_ENV.publicUrl] || undefined,
    apiUrl: env[MCU_ENV.apiUrl] || undefined,
    signalingPath: env[MCU_ENV.signalingPath] || DEFAULT_SIGNALING_PATH,
    corsOrigins: cors && cors !== '*' ? cors.split(',').map((s) => s.trim()).filter(Boolean) : true,
    rtc: {
      listenIp,
      announcedAddress,
      port: rtcPortRaw ? int(env, MCU_ENV.rtcPort, 0, 1, 65_535 - workers) : undefined,
    },
    workers,
    workerBin: env[MCU_ENV.workerBin] || undefined,
    factoryUrl: env[MCU_ENV.factoryUrl] || undefined,
    loadIntervalMs: int(env, MCU_ENV.loadIntervalMs, 5_000, 200, 600_000),
    credentialTtlMs: int(env, MCU_ENV.credentialTtlSeconds, 300, 5, 86_400) * 1000,
    limits: {
      maxTransports: int(env, MCU_ENV.maxTransportsPerPeer, 4, 1, 64),
      maxProducers: int(env, MCU_ENV.maxProducersPerPeer, 4, 1, 64),
      maxConsumers: int(env, MCU_ENV.maxConsumersPerPeer, 256, 1, 10_000),
    },
    maxConsumers: int(env, MCU_ENV.maxConsumers, 500 * workers, 1, 10_000_000),
    logLevel,
  };
}
