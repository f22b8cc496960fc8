/**
 * The back-end database: one schema behind a typed query layer, on SQLite (embedded, the
 * default: `<dataDir>/ocs.sqlite`) or PostgreSQL (`postgres://...`, shared by a pool of Front
 * Ends). Services reach storage only through the stores on `Db`; writes go through `queue`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BindingStore } from './bindings';
import { openPostgres } from './driver/postgres';
import { openSqlite } from './driver/sqlite';
import type { Engine, SqlDriver } from './driver/types';
import { migrate, type MigrationSet } from './migrate';
import { checkScryptCost, DEFAULT_SCRYPT_COST, type ScryptCost } from './password';
import { WriteQueue, type WriteQueueOptions } from './queue';
import { CORE_MIGRATIONS } from './schema';
import { SettingsStore } from './settings';
import { UserStore } from './users';

export interface OpenDatabaseOptions {
  /** Unset: SQLite in dataDir. `postgres://` / `postgresql://`: PostgreSQL. `sqlite:<file>`: SQLite at that file. */
  url?: string;
  dataDir: string;
  log?: (msg: string) => void;
  /** Password hashing cost for new hashes (see password.ts for the measured figures). */
  scryptCost?: Partial<ScryptCost>;
  queue?: WriteQueueOptions;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** Extra migration sets (module name + versions) for services that own tables. */
  migrations?: readonly MigrationSet[];
  /** SQLite busy timeout: how long a write waits for another process (the CLI) to commit (ms). */
  busyTimeoutMs?: number;
}

export interface Db {
  readonly engine: Engine;
  readonly users: UserStore;
  readonly bindings: BindingStore;
  readonly settings: SettingsStore;
  readonly queue: WriteQueue;
  /** The typed query layer, for stores built on this database. Write through `queue`. */
  readonly sql: SqlDriver;
  /** Flushes the queue, then closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

export const SQLITE_FILE_NAME = 'ocs.sqlite';

export class UnsupportedDatabaseUrlError extends Error {
  override readonly name = 'UnsupportedDatabaseUrlError';
  readonly code = 'DB_URL_UNSUPPORTED';
  constructor(url: string) {
    // Only the scheme: the URL may carry a password.
    super(`unsupported database URL scheme "${url.split(':')[0]}:" (use postgres://... or leave OCS_DB unset for SQLite)`);
  }
}

function openDriver(opts: OpenDatabaseOptions): SqlDriver {
  const url = opts.url?.trim();
  if (!url) {
    mkdirSync(opts.dataDir, { recursive: true });
    return openSqlite({ file: join(opts.dataDir, SQLITE_FILE_NAME), busyTimeoutMs: opts.busyTimeoutMs });
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres({ url, max: opts.poolSize, log: opts.log });
  if (/^sqlite:/i.test(url)) {
    const file = resolve(opts.dataDir, url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
    mkdirSync(resolve(file, '..'), { recursive: true });
    return openSqlite({ file, busyTimeoutMs: opts.busyTimeoutMs });
  }
  throw new UnsupportedDatabaseUrlError(url);
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  const cost = checkScryptCost({ ...DEFAULT_SCRYPT_COST, ...opts.scryptCost });
  const sql = openDriver(opts);
  try {
    await migrate(sql, [CORE_MIGRATIONS, ...(opts.migrations ?? [])], opts.log);
  } catch (err) {
    await sql.close().catch(() => undefined);
    throw err;
  }
  const queue = new WriteQueue(sql, { log: opts.log, ...opts.queue });
  let closing: Promise<void> | undefined;
  return {
    engine: sql.engine,
    sql,
    queue,
    users: new UserStore(sql, queue, cost),
    bindings: new BindingStore(sql, queue),
    settings: new SettingsStore(sql, queue),
    close() {
      closing ??= queue.close().then(() => sql.close());
      return closing;
    },
  };
}

export type { Engine, Queryable, SqlDriver, SqlValue, Tx } from './driver/types';
export type { Migration, MigrationSet } from './migrate';
export type { ScryptCost } from './password';
export type { WriteOp, WriteQueueOptions, WriteQueueStats } from './queue';
export type { Binding } from './bindings';
export type { DigestCredentials, NewUserInput, BulkResult, UserListOptions, User } from './users';
export { bindingKey, BindingStore } from './bindings';
export { SettingsStore } from './settings';
export { UserStore } from './users';
export { WriteQueue } from './queue';
export { DEFAULT_SCRYPT_COST } from './password';
export * from './errors';
