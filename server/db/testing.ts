/**
 * Test support: run a DB test on every engine. SQLite always (a temp dir per open); PostgreSQL
 * when OCS_TEST_PG_URL points at a server where we may create databases (start one with
 * `export OCS_TEST_PG_URL=$(scripts/pg-test-cluster.sh start)`). Each PostgreSQL open() gets its
 * own database, dropped on close, so tests run in parallel without colliding. Without the
 * variable the PostgreSQL cases are reported as skipped, with the reason.
 *
 *   for (const engine of dbEngines()) {
 *     test(`bindings on ${engine.name}`, { skip: engine.skip }, async () => {
 *       const db = await engine.open();
 *       try { ... } finally { await db.close(); }
 *     });
 *   }
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine } from './driver/types';
import { openDatabase, type Db, type OpenDatabaseOptions } from './index';

export interface TestEngine {
  name: Engine;
  /** Set when this engine cannot run here; pass it as node:test's `skip` option. */
  skip?: string;
  /** A fresh, migrated, empty database; close() also deletes it. */
  open(opts?: Partial<OpenDatabaseOptions>): Promise<Db>;
}

export const PG_SKIP_REASON = 'PostgreSQL: OCS_TEST_PG_URL not set (export OCS_TEST_PG_URL=$(scripts/pg-test-cluster.sh start))';

/** Cheap hashing keeps tests fast; the hash format and code path are the production ones. */
export const TEST_SCRYPT = { log2N: 4 };

let counter = 0;

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${++counter}_${randomBytes(4).toString('hex')}`;
}

/** A temp directory for a SQLite test database, with its remover. */
export function sqliteTestDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ocs-db-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new empty PostgreSQL database on the OCS_TEST_PG_URL server (for tests that open it twice,
 * e.g. two Front Ends, or hand the URL to a child process).
 */
export async function pgTestDatabase(baseUrl = process.env.OCS_TEST_PG_URL): Promise<{ url: string; drop(): Promise<void> }> {
  if (!baseUrl) throw new Error(PG_SKIP_REASON);
  const name = uniqueName('ocs_t');
  await admin(baseUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    drop() {
      // WITH (FORCE) (PostgreSQL 13+) ends connections a failed test left open.
      dropped ??= admin(baseUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
      return dropped;
    },
  };
}

function withCleanup(db: Db, cleanup: () => Promise<void> | void): Db {
  let closing: Promise<void> | undefined;
  return {
    ...db,
    close() {
      closing ??= db.close().then(cleanup);
      return closing;
    },
  };
}

export function dbEngines(): TestEngine[] {
  const pgUrl = process.env.OCS_TEST_PG_URL;
  return [
    {
      name: 'sqlite',
      async open(opts = {}) {
        const tmp = sqliteTestDir();
        try {
          return withCleanup(await openDatabase({ scryptCost: TEST_SCRYPT, ...opts, dataDir: tmp.dir, url: undefined }), tmp.remove);
        } catch (err) {
          tmp.remove();
          throw err;
        }
      },
    },
    {
      name: 'postgres',
      skip: pgUrl ? undefined : PG_SKIP_REASON,
      async open(opts = {}) {
        const database = await pgTestDatabase(pgUrl);
        try {
          return withCleanup(await openDatabase({ scryptCost: TEST_SCRYPT, dataDir: tmpdir(), ...opts, url: database.url }), () => database.drop());
        } catch (err) {
          await database.drop();
          throw err;
        }
      },
    },
  ];
}
