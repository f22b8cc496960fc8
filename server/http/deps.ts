/**
 * What the HTTP layer needs from the rest of the Front End, declared as narrow structural
 * interfaces so that server/db, server/auth and the Registrar can be passed in as they are
 * (the composition root wires them) and tests can use small real in-memory implementations.
 * Methods may be synchronous or asynchronous; the HTTP layer always awaits.
 */
import type { Config } from '../config';
import type { RegistrationBinding } from '../../shared/api/admin';

export type MaybePromise<T> = T | Promise<T>;

export interface HttpUser {
  id: unknown;
  name: string;
  displayName: string;
  phone?: string | null;
  admin: boolean;
  disabled: boolean;
  /** Date, epoch milliseconds or ISO string: normalised to ISO 8601 on the wire. */
  createdAt: Date | number | string;
}

export interface UserListPage {
  items: HttpUser[];
  total: number;
}

export interface NewUser {
  name: string;
  displayName: string;
  password: string;
  phone?: string;
  admin?: boolean;
  /** Digest realm for the stored HA1 (our SIP domain). */
  realm: string;
}

export interface HttpUserStore {
  /** Resolves undefined for an unknown user, a wrong password or (at the caller's choice) a disabled user. */
  verifyPassword(name: string, password: string): Promise<HttpUser | undefined>;
  findByName(name: string): MaybePromise<HttpUser | undefined>;
  list(query: { offset: number; limit: number; search?: string }): MaybePromise<UserListPage | HttpUser[]>;
  create(user: NewUser): MaybePromise<unknown>;
  setDisabled(name: string, disabled: boolean): MaybePromise<unknown>;
  setAdmin(name: string, admin: boolean): MaybePromise<unknown>;
  setPassword(name: string, password: string, realm: string): MaybePromise<unknown>;
}

export interface TokenClaims {
  sub: string;
  admin: boolean;
  exp: number;
}

export interface HttpTokenService {
  issue(claims: { sub: string; admin: boolean }): { token: string; expiresAt: Date | number | string };
  verify(token: string): TokenClaims | undefined;
}

export interface HttpLockout {
  isLocked(keys: string[]): { locked: boolean; retryAfterSec?: number };
  fail(keys: string[]): unknown;
  succeed(keys: string[]): unknown;
}

/** `ready` false answers /healthz with 503; the rest is reported as is. */
export interface HealthReport {
  ready: boolean;
  [detail: string]: unknown;
}

export interface HttpLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AdminView {
  /** Every current Registrar binding (who is signed in on which endpoints). */
  registrations(): Promise<RegistrationBinding[]>;
}

export interface HttpDeps {
  config: Config;
  users: HttpUserStore;
  tokens: HttpTokenService;
  lockout: HttpLockout;
  health: () => MaybePromise<HealthReport>;
  log: HttpLog;
  admin?: AdminView;
  /** Where the built client lives; default `<cwd>/dist/client`. */
  clientDir?: string;
}

/** Keys the Lockout counts failures under: one per user name, one per client address. */
export function lockoutKeys(name: string | undefined, ip: string): { user?: string; ip: string } {
  return name === undefined ? { ip: `ip:${ip}` } : { user: `user:${name}`, ip: `ip:${ip}` };
}

export function toIso(value: Date | number | string): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
