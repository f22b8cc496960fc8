import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from './index';
import type { MigrationSet } from './migrate';
import { dbEngines, pgTestDatabase, sqliteTestDir } from './testing';

const EXTRA: MigrationSet = {
  module: 'extra',
  migrations: [
    { version: 1, name: 'notes', up: 'CREATE TABLE extra_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' },
    { version: 2, name: 'notes author', up: (engine) => `ALTER TABLE extra_notes ADD COLUMN author TEXT${engine === 'postgres' ? " DEFAULT 'pg'" : " DEFAULT 'lite'"}` },
  ],
};

const versions = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
  (await db.sql.query<{ module: string; version: number }>('SELECT module, version FROM migrations ORDER BY module, version')).map((r) => `${r.module}@${r.version}`);

for (const engine of dbEngines()) {
  describe(`migrations on ${engine.name}`, { skip: engine.skip }, () => {
    test('a failing migration leaves nothing behind; bad version order is refused', async () => {
      const db = await engine.open();
      try {
        const broken: MigrationSet = { module: 'broken', migrations: [{ version: 1, name: 'ok', up: 'CREATE TABLE broken_a (x INTEGER)' }, { version: 2, name: 'bad', up: 'CREATE TABLE' }] };
        const { migrate } = await import('./migrate');
        await assert.rejects(migrate(db.sql, [broken]));
        assert.ok(!(await versions(db)).some((v) => v.startsWith('broken')));
        await assert.rejects(db.sql.query('SELECT x FROM broken_a'), 'DDL rolled back with the failed migration');
        await assert.rejects(migrate(db.sql, [{ module: 'x', migrations: [{ version: 2, name: 'a', up: '' }, { version: 1, name: 'b', up: '' }] }]), /increasing/);
      } finally {
        await db.close();
      }
    });
  });
}

async function twiceAndConcurrently(open: () => ReturnType<typeof openDatabase>) {
  // Several Front Ends starting at the same moment on one empty database.
  const first = await Promise.all([open(), open(), open(), open()]);
  await Promise.all(first.map((db) => db.close()));
  const again = await open();
  try {
    assert.deepEqual(await versions(again), ['core@1', 'extra@1', 'extra@2']);
    await again.sql.run('INSERT INTO extra_notes (id, body) VALUES (1, ?)', ['hi']);
    const row = await again.sql.get<{ author: string }>('SELECT author FROM extra_notes');
    assert.equal(row?.author, again.engine === 'postgres' ? 'pg' : 'lite');
    assert.equal(await again.users.count(), 0);
  } finally {
    await again.close();
  }
}

test('migrations run once when started concurrently and again later (sqlite, one file)', async () => {
  const tmp = sqliteTestDir();
  try {
    await twiceAndConcurrently(() => openDatabase({ dataDir: tmp.dir, migrations: [EXTRA] }));
  } finally {
    tmp.remove();
  }
});

const pg = dbEngines().find((e) => e.name === 'postgres')!;
test('migrations run once when started concurrently and again later (postgres, advisory lock)', { skip: pg.skip }, async () => {
  const database = await pgTestDatabase();
  try {
    await twiceAndConcurrently(() => openDatabase({ dataDir: '.', url: database.url, migrations: [EXTRA] }));
  } finally {
    await database.drop();
  }
});

test('unsupported database URLs are refused without echoing credentials', async () => {
  await assert.rejects(openDatabase({ dataDir: '.', url: 'mysql://root:hunter2@db/x' }), (err: Error) => err.name === 'UnsupportedDatabaseUrlError' && !err.message.includes('hunter2'));
});
