/**
 * The AV MCU's process contract: it is started as a separate process (`tsx mcu/main.ts`, or
 * `npm run mcu`) configured only through these environment variables, and announces readiness
 * with one JSON line on stdout (McuReadyLine). The Front End's composition root builds the
 * environment with `mcuEnvironment()` and spawns it (mcu/spawn.ts does both). docs/mcu.md
 * describes each variable.
 */
export const MCU_ENV = {
  secret: 'MCU_SECRET',
  host: 'MCU_HOST',
  port: 'MCU_PORT',
  publicUrl: 'MCU_PUBLIC_URL',
  apiUrl: 'MCU_API_URL',
  signalingPath: 'MCU_SIGNALING_PATH',
  corsOrigins: 'MCU_CORS_ORIGINS',
  rtcListenIp: 'MCU_RTC_LISTEN_IP',
  rtcAnnouncedAddress: 'MCU_RTC_ANNOUNCED_ADDRESS',
  rtcPort: 'MCU_RTC_PORT',
  workers: 'MCU_WORKERS',
  workerBin: 'MCU_WORKER_BIN',
  factoryUrl: 'MCU_FACTORY_URL',
  loadIntervalMs: 'MCU_LOAD_INTERVAL_MS',
  mcuId: 'MCU_ID',
  credentialTtlSeconds: 'MCU_CREDENTIAL_TTL_S',
  maxTransportsPerPeer: 'MCU_MAX_TRANSPORTS_PER_PEER',
  maxProducersPerPeer: 'MCU_MAX_PRODUCERS_PER_PEER',
  maxConsumersPerPeer: 'MCU_MAX_CONSUMERS_PER_PEER',
  maxConsumers: 'MCU_MAX_CONSUMERS',
  logLevel: 'MCU_LOG_LEVEL',
} as const;

export type McuEnvOptions = {
  [K in keyof typeof MCU_ENV]?: string | number;
} & { secret: string };

/** Turns options into the MCU's environment variables (only the ones given). */
export function mcuEnvironment(options: McuEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(MCU_ENV) as [keyof typeof MCU_ENV, string][]) {
    const value = options[key];
    if (value !== undefined && value !== '') env[name] = String(value);
  }
  return env;
}

/** The line the MCU prints on stdout once it serves HTTP and signaling. */
export interface McuReadyLine {
  event: 'mcu-ready';
  mcuId: string;
  /** Base URL of the HTTP API for the Focus. */
  apiUrl: string;
  /** Origin browsers open socket.io on, and the path. */
  signalingUrl: string;
  signalingPath: string;
  workers: number;
}
