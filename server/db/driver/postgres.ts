/**
 * PostgreSQL through a pg Pool: the store shared by a pool of Front Ends (Enterprise Edition).
 * Statements are written with `?` placeholders (as for SQLite) and rewritten to `$n` once per
 * distinct SQL text. BIGINT (int8) columns come back as JS numbers: every BIGINT we store is a
 * ms epoch or a row id, far below 2^53.
 */
import pg from 'pg';
import { DbClosedError, TransactionEndedError, type Queryable, type SqlDriver, type SqlValue, type Tx } from './types';

export interface PostgresOptions {
  url: string;
  /** Pool size (connections). */
  max?: number;
  log?: (msg: string) => void;
}

const INT8_OID = 20;

const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
} as unknown as pg.CustomTypesConfig;

const translated = new Map<string, string>();

/** `?` -> `$1..$n`, leaving `?` inside quoted strings, quoted identifiers and comments alone. */
export function toPositional(sql: string): string {
  const cached = translated.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  if (translated.size < 2_000) translated.set(sql, out);
  return out;
}

function queryable(run: (sql: string, params: readonly SqlValue[]) => Promise<pg.QueryResult>): Queryable {
  return {
    async query<T extends object>(sql: string, params: readonly SqlValue[] = []) {
      return (await run(toPositional(sql), params)).rows as T[];
    },
    async get<T extends object>(sql: string, params: readonly SqlValue[] = []) {
      return (await run(toPositional(sql), params)).rows[0] as T | undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      return (await run(toPositional(sql), params)).rowCount ?? 0;
    },
    async exec(sql: string) {
      // No parameters: pg uses the simple query protocol, which accepts several statements.
      await run(sql, []);
    },
  };
}

export function openPostgres(opts: PostgresOptions): SqlDriver {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10, types: typeParsers });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => opts.log?.(`postgres: idle connection error: ${err.message}`));
  // A backend can be terminated at any moment (failover, pg_terminate_backend): whatever state the
  // client is in (checked out, being released, ending), its 'error' event must have a listener or
  // it ends the process. Queries still fail on their own; the pool discards broken clients.
  pool.on('connect', (client) => {
    client.on('error', (err) => opts.log?.(`postgres: connection error: ${err.message}`));
  });
  let closed = false;
  /** Stop functions of the LISTEN connections, ended with the driver. */
  const listeners = new Set<() => Promise<void>>();

  const viaPool = (sql: string, params: readonly SqlValue[]) => {
    if (closed) return Promise.reject(new DbClosedError());
    return params.length ? pool.query(sql, params as unknown[]) : pool.query(sql);
  };

  return {
    engine: 'postgres',
    ...queryable(viaPool),

    async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      if (closed) throw new DbClosedError();
      const client = await pool.connect();
      // A checked-out client has no pool 'error' listener: a backend terminated mid-transaction
      // would otherwise be an unhandled 'error' event that ends the process. The failing query
      // rejects on its own; the client is then discarded instead of returned to the pool.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
        opts.log?.(`postgres: connection error in a transaction: ${err.message}`);
      };
      client.on('error', onError);
      let open = true;
      const tx = queryable((sql, params) => {
        if (!open) return Promise.reject(new TransactionEndedError());
        return params.length ? client.query(sql, params as unknown[]) : client.query(sql);
      });
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          // The connection itself failed: do not hand it back to the pool.
          broken = rollbackErr as Error;
        }
        throw err;
      } finally {
        open = false;
        client.off('error', onError);
        client.release(broken);
      }
    },

    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new RangeError(`listen: bad channel name ${channel}`);
      if (closed) throw new DbClosedError();
      let client: pg.Client | undefined;
      let retry: NodeJS.Timeout | undefined;
      let stopped = false;
      const open = async (): Promise<void> => {
        if (stopped || closed) return;
        const c = new pg.Client({ connectionString: opts.url, types: typeParsers });
        c.on('error', (err) => opts.log?.(`postgres: LISTEN ${channel} connection error: ${err.message}`));
        c.on('notification', (n) => {
          if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
        });
        c.on('end', () => {
          if (client !== c) return;
          client = undefined;
          if (!stopped && !closed) retry = setTimeout(() => void open(), 1_000).unref();
        });
        try {
          await c.connect();
          await c.query(`LISTEN ${channel}`);
          client = c;
        } catch (err) {
          opts.log?.(`postgres: LISTEN ${channel} failed (${(err as Error).message}); retrying in 1 s`);
          void c.end().catch(() => undefined);
          if (!stopped && !closed) retry = setTimeout(() => void open(), 1_000).unref();
        }
      };
      const stop = async (): Promise<void> => {
        stopped = true;
        if (retry) clearTimeout(retry);
        listeners.delete(stop);
        const c = client;
        client = undefined;
        await c?.end().catch(() => undefined);
      };
      listeners.add(stop);
      await open();
      return stop;
    },

    isUniqueViolation(err: unknown): boolean {
      return (err as { code?: unknown } | null)?.code === '23505';
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}
