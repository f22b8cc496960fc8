/**
 * SQLite through better-sqlite3: the embedded (Standard Edition) store, one file in the data dir.
 * better-sqlite3 is synchronous and this process has one connection, so an async transaction must
 * not interleave with other statements: a promise-chain lock serializes transactions, and
 * statements outside a transaction wait while one is open. Other processes (the admin CLI while
 * the server runs) are handled by WAL mode plus a busy timeout, and write transactions start with
 * BEGIN IMMEDIATE so they take the write lock up front instead of failing on upgrade.
 * The busy wait is synchronous (it blocks the thread), so two connections of one process to one
 * file would deadlock while one awaits inside its transaction: connections to the same file in
 * one process (tests, several Front Ends in one process) therefore share one lock.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DbClosedError, TransactionEndedError, type Queryable, type SqlDriver, type SqlValue, type Tx } from './types';

export interface SqliteOptions {
  file: string;
  /** How long a statement waits for another process's write lock (ms). */
  busyTimeoutMs?: number;
}

type Statement = Database.Statement<unknown[], unknown>;

interface FileLock {
  tail: Promise<void>;
  /** Transactions started or waiting; statements outside a transaction queue behind them. */
  pending: number;
  connections: number;
}

const fileLocks = new Map<string, FileLock>();

function acquireFileLock(file: string): { lock: FileLock; release(): void } {
  const key = resolve(file);
  let lock = fileLocks.get(key);
  if (!lock) fileLocks.set(key, (lock = { tail: Promise.resolve(), pending: 0, connections: 0 }));
  lock.connections++;
  const held = lock;
  return {
    lock: held,
    release() {
      if (--held.connections === 0 && fileLocks.get(key) === held) fileLocks.delete(key);
    },
  };
}

export function openSqlite(opts: SqliteOptions): SqlDriver {
  const db = new Database(opts.file, { timeout: opts.busyTimeoutMs ?? 10_000 });
  db.pragma('journal_mode = WAL');
  // NORMAL is the recommended pairing with WAL: a crash of the process loses nothing; a power cut
  // may lose the last transactions but never corrupts the file.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');

  const statements = new Map<string, Statement>();
  let closed = false;
  const { lock, release } = acquireFileLock(opts.file);

  function prepare(sql: string): Statement {
    if (closed) throw new DbClosedError();
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, stmt);
    }
    return stmt;
  }

  // Synchronous primitives; callers decide about the lock.
  const direct = {
    all<T>(sql: string, params: readonly SqlValue[]): T[] {
      const stmt = prepare(sql);
      if (!stmt.reader) {
        stmt.run(...params);
        return [];
      }
      return stmt.all(...params) as T[];
    },
    run(sql: string, params: readonly SqlValue[]): number {
      const stmt = prepare(sql);
      if (stmt.reader) return stmt.all(...params).length;
      return stmt.run(...params).changes;
    },
    exec(sql: string): void {
      if (closed) throw new DbClosedError();
      db.exec(sql);
    },
  };

  /** Runs `fn` now when no transaction is open, else after it (one connection, no interleaving). */
  function outside<T>(fn: () => T): Promise<T> {
    if (closed) return Promise.reject(new DbClosedError());
    if (lock.pending === 0) {
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return withLock(async () => fn());
  }

  function withLock<T>(fn: () => Promise<T>): Promise<T> {
    lock.pending++;
    const run = lock.tail.then(async () => {
      try {
        return await fn();
      } finally {
        lock.pending--;
      }
    });
    lock.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  function queryable(sync: typeof direct, guard: () => void, wrap: <T>(fn: () => T) => Promise<T>): Queryable {
    return {
      query: <T extends object>(sql: string, params: readonly SqlValue[] = []) => wrap(() => (guard(), sync.all<T>(sql, params))),
      get: <T extends object>(sql: string, params: readonly SqlValue[] = []) => wrap((): T | undefined => (guard(), sync.all<T>(sql, params)[0])),
      run: (sql: string, params: readonly SqlValue[] = []) => wrap(() => (guard(), sync.run(sql, params))),
      exec: (sql: string) => wrap(() => (guard(), sync.exec(sql))),
    };
  }

  const settle = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  };

  const dataVersion = db.prepare('PRAGMA data_version').pluck();

  return {
    engine: 'sqlite',
    ...queryable(direct, () => undefined, outside),

    externalVersion(): number {
      if (closed) throw new DbClosedError();
      return Number(dataVersion.get());
    },

    transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new DbClosedError());
      return withLock(async () => {
        let open = true;
        const tx = queryable(direct, () => {
          if (!open) throw new TransactionEndedError();
        }, settle);
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(tx);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        } finally {
          open = false;
        }
      });
    },

    isUniqueViolation(err: unknown): boolean {
      const code = (err as { code?: unknown } | null)?.code;
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
    },

    async close(): Promise<void> {
      if (closed) return;
      await lock.tail;
      if (closed) return;
      closed = true;
      statements.clear();
      db.close();
      release();
    },
  };
}
