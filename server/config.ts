/**
 * Front End configuration, read from the environment (README: Configuration). One object is built
 * at start-up and passed down; nothing below the composition root reads `process.env`.
 */
import { resolve } from 'node:path';
import { DEFAULT_PARSER_LIMITS, type ParserLimits } from './sip/message/types';
import { DEFAULT_TIMERS, type TimerSettings } from './sip/transaction/types';

export interface SipLimits {
  /** Concurrent connections from one IP address (TCP + TLS + WS). */
  maxConnectionsPerIp: number;
  /** Requests per second from one IP address (token bucket, burst = 2x). Over it: 503 + Retry-After. */
  maxRequestsPerSecondPerIp: number;
  /** A connection that sends no complete message for this long is closed (ms). */
  idleTimeoutMs: number;
  /** A message whose bytes keep trickling in for longer than this is abandoned and the connection closed (ms). */
  messageAssemblyTimeoutMs: number;
  /** Total connections across all transports. */
  maxConnections: number;
}

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface AuthSettings {
  /** Order of the Digest challenges. sip.js 0.21 and JsSIP 3.13 answer only MD5 and keep only the LAST challenge header, sipp reads the first: with MD5 first the Authenticator repeats MD5 last. */
  digestAlgorithms: DigestAlgorithm[];
  /** Nonce lifetime before `stale=true` (ms). */
  nonceTtlMs: number;
  /** Failed attempts before lock-out, per user and per IP. */
  maxFailures: number;
  /** Lock-out length (ms). */
  lockoutMs: number;
  /** Bearer token lifetime (ms). */
  tokenTtlMs: number;
}

export interface RegistrarSettings {
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
  maxBindingsPerAor: number;
}

export interface Config {
  httpPort: number;
  /** Bind address for HTTP/WS and SIP TCP/TLS. */
  host: string;
  sipPort: number;
  /** SIP over TLS: only when a certificate is configured. */
  sipTlsPort?: number;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  dataDir: string;
  domain: string;
  /** Unset: SQLite in dataDir; a postgres:// URL: PostgreSQL. */
  dbUrl?: string;
  /** Server name in Server/User-Agent headers (all a scanner learns). */
  serverName: string;
  /** Serve the built web client from dist/client (off in some tests). */
  serveClient: boolean;
  /** Create demo users when the user table is empty. */
  seedDemoUsers: boolean;
  parser: ParserLimits;
  limits: SipLimits;
  timers: TimerSettings;
  auth: AuthSettings;
  registrar: RegistrarSettings;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Stable id of this Front End (OCS_FRONT_END_ID); unset: made once and kept in the data dir. */
  frontEndId?: string;
  /**
   * The address the other Front Ends of a pool reach this one's SIP listener on (OCS_POOL_HOST);
   * unset: `host`, or this machine's first external IPv4 address when `host` is a wildcard.
   */
  poolHost?: string;
  /** Pool heartbeat (ms): membership refresh; a member silent for 3 heartbeats is gone. */
  poolHeartbeatMs: number;
  /** scrypt cost (log2 N) for new password hashes; see server/db/password.ts for the measured trade-off. */
  scryptLog2N?: number;
}

export const DEFAULT_LIMITS: SipLimits = {
  maxConnectionsPerIp: 1_000,
  maxRequestsPerSecondPerIp: 2_000,
  idleTimeoutMs: 120_000,
  messageAssemblyTimeoutMs: 10_000,
  maxConnections: 50_000,
};

export const DEFAULT_AUTH: AuthSettings = {
  digestAlgorithms: ['MD5', 'SHA-256'],
  nonceTtlMs: 300_000,
  maxFailures: 5,
  lockoutMs: 300_000,
  tokenTtlMs: 12 * 3600_000,
};

export const DEFAULT_REGISTRAR: RegistrarSettings = {
  minExpires: 60,
  maxExpires: 7_200,
  defaultExpires: 3_600,
  maxBindingsPerAor: 10,
};

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535 * 1_000_000) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const algorithms = (env.OCS_DIGEST_ALGORITHMS ?? 'MD5,SHA-256').split(',').map((s) => s.trim().toUpperCase());
  for (const a of algorithms) if (a !== 'MD5' && a !== 'SHA-256') throw new Error(`OCS_DIGEST_ALGORITHMS: unknown algorithm "${a}"`);
  const config: Config = {
    httpPort: int(env, 'OCS_HTTP_PORT', 8080),
    host: env.OCS_HOST ?? '0.0.0.0',
    sipPort: int(env, 'OCS_SIP_PORT', 5060),
    sipTlsPort: env.OCS_SIP_TLS_PORT ? int(env, 'OCS_SIP_TLS_PORT', 5061) : undefined,
    tlsCertFile: env.OCS_TLS_CERT || undefined,
    tlsKeyFile: env.OCS_TLS_KEY || undefined,
    dataDir: resolve(env.OCS_DATA_DIR ?? './data'),
    domain: (env.OCS_DOMAIN ?? 'ocs.test').toLowerCase(),
    dbUrl: env.OCS_DB || undefined,
    serverName: env.OCS_SERVER_NAME ?? 'OCS-Web',
    serveClient: env.OCS_SERVE_CLIENT !== '0',
    seedDemoUsers: env.OCS_DEMO_USERS !== '0',
    parser: { ...DEFAULT_PARSER_LIMITS },
    limits: {
      ...DEFAULT_LIMITS,
      maxConnectionsPerIp: int(env, 'OCS_MAX_CONNECTIONS_PER_IP', DEFAULT_LIMITS.maxConnectionsPerIp),
      maxRequestsPerSecondPerIp: int(env, 'OCS_MAX_REQUESTS_PER_SECOND_PER_IP', DEFAULT_LIMITS.maxRequestsPerSecondPerIp),
    },
    timers: { ...DEFAULT_TIMERS },
    auth: { ...DEFAULT_AUTH, digestAlgorithms: algorithms as DigestAlgorithm[] },
    registrar: { ...DEFAULT_REGISTRAR },
    logLevel: (env.OCS_LOG_LEVEL as Config['logLevel']) ?? 'info',
    frontEndId: env.OCS_FRONT_END_ID || undefined,
    poolHost: env.OCS_POOL_HOST || undefined,
    poolHeartbeatMs: int(env, 'OCS_POOL_HEARTBEAT_MS', 5_000),
    scryptLog2N: env.OCS_SCRYPT_LOG2N ? int(env, 'OCS_SCRYPT_LOG2N', 11) : undefined,
  };
  return { ...config, ...overrides };
}
