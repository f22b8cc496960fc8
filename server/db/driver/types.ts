/**
 * The typed query layer every store uses. SQL is written once with `?` placeholders; the
 * PostgreSQL driver rewrites them to `$1..$n`. Booleans are stored as INTEGER 0/1 and times as
 * BIGINT ms epoch on both engines, so rows look the same whichever engine produced them.
 */
export type Engine = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | Buffer | null;

/** What a statement can run against: the driver itself (autocommit) or an open transaction. */
export interface Queryable {
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement without result rows; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Tx = Queryable;

export interface SqlDriver extends Queryable {
  readonly engine: Engine;
  /**
   * Runs `fn` in one write transaction: committed when it resolves, rolled back when it throws.
   * Not re-entrant: calling `transaction` or the driver's own methods from inside `fn` waits for
   * `fn` on SQLite (one connection). Use the `tx` argument inside.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A number that changes whenever another connection (another process) has committed since the
   * last call: SQLite's `PRAGMA data_version`. Absent where that is not cheap (PostgreSQL).
   */
  externalVersion?(): number;
  /**
   * PostgreSQL only (absent on SQLite): LISTEN on `channel` on a connection of its own, calling
   * `onPayload` for each NOTIFY (pg_notify) from any connection, ours included; the connection is
   * re-opened after a loss (notifications sent meanwhile are missed). Resolves with a stop function.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** True for a UNIQUE / PRIMARY KEY violation (SQLITE_CONSTRAINT_UNIQUE, SQLSTATE 23505). */
  isUniqueViolation(err: unknown): boolean;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Using the driver after close(). */
export class DbClosedError extends Error {
  override readonly name = 'DbClosedError';
  readonly code = 'DB_CLOSED';
  constructor() {
    super('database is closed');
  }
}

/** A statement handle used after its transaction ended (a stray await outside the transaction). */
export class TransactionEndedError extends Error {
  override readonly name = 'TransactionEndedError';
  readonly code = 'DB_TX_ENDED';
  constructor() {
    super('transaction already ended');
  }
}
