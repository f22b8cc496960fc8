/**
 * Schema migrations. Each module (the core stores here; later ones may add their own set) has an
 * ordered list of versions; the `migrations` table records (module, version) once applied. All
 * pending migrations run in one transaction, so a failure leaves the schema as it was (PostgreSQL
 * DDL is transactional; SQLite's is too). Two Front Ends starting at once on PostgreSQL serialize
 * on an advisory lock held for that transaction; on SQLite, BEGIN IMMEDIATE does the same for
 * several processes on one file. The second one then finds nothing left to do.
 */
import type { Engine, SqlDriver, Tx } from './driver/types';

export interface Migration {
  version: number;
  name: string;
  /** Portable SQL, or a function for the places where the engines differ. Several statements allowed. */
  up: string | ((engine: Engine) => string);
}

export interface MigrationSet {
  module: string;
  migrations: readonly Migration[];
}

/** Arbitrary but fixed: pg_advisory_xact_lock key for "OCS schema migrations". */
const PG_MIGRATION_LOCK = 7_310_420_001;

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS migrations (
  module TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (module, version)
)`;

function checkOrder(set: MigrationSet): void {
  let last = 0;
  for (const m of set.migrations) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new Error(`migrations for "${set.module}" must have increasing positive versions (at "${m.name}")`);
    }
    last = m.version;
  }
}

async function lock(driver: SqlDriver, tx: Tx): Promise<void> {
  if (driver.engine === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
}

/** Applies what is missing; returns "module@version name" for each migration it applied. */
export async function migrate(driver: SqlDriver, sets: readonly MigrationSet[], log?: (msg: string) => void): Promise<string[]> {
  for (const set of sets) checkOrder(set);
  return driver.transaction(async (tx) => {
    await lock(driver, tx);
    await tx.exec(MIGRATIONS_TABLE);
    const rows = await tx.query<{ module: string; version: number }>('SELECT module, version FROM migrations');
    const applied = new Set(rows.map((r) => `${r.module}@${Number(r.version)}`));
    const done: string[] = [];
    for (const set of sets) {
      const known = new Set(set.migrations.map((m) => m.version));
      for (const r of rows) {
        // A newer Front End of the pool migrated further; additive migrations keep us working.
        if (r.module === set.module && !known.has(Number(r.version))) log?.(`db: schema ${set.module}@${r.version} is newer than this build`);
      }
      for (const m of set.migrations) {
        if (applied.has(`${set.module}@${m.version}`)) continue;
        await tx.exec(typeof m.up === 'string' ? m.up : m.up(driver.engine));
        await tx.run('INSERT INTO migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)', [set.module, m.version, m.name, Date.now()]);
        done.push(`${set.module}@${m.version} ${m.name}`);
      }
    }
    if (done.length) log?.(`db: applied migrations: ${done.join(', ')}`);
    return done;
  });
}
