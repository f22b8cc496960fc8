import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dbEngines } from '../testing';
import { toPositional } from './postgres';

test('? placeholders become $n outside quotes and comments', () => {
  assert.equal(toPositional('SELECT a FROM t WHERE a = ? AND b = ?'), 'SELECT a FROM t WHERE a = $1 AND b = $2');
  assert.equal(toPositional(`SELECT '?', "q?" FROM t WHERE x = ? -- why?\nAND y = ?`), `SELECT '?', "q?" FROM t WHERE x = $1 -- why?\nAND y = $2`);
  assert.equal(toPositional(`SELECT 'it''s ?' WHERE z = ?`), `SELECT 'it''s ?' WHERE z = $1`);
});

for (const engine of dbEngines()) {
  describe(`query layer on ${engine.name}`, { skip: engine.skip }, () => {
    test('query, get, run, exec and types round-trip', async () => {
      const db = await engine.open();
      try {
        await db.sql.exec('CREATE TABLE t_demo (id INTEGER PRIMARY KEY, label TEXT NOT NULL, at BIGINT, score DOUBLE PRECISION); CREATE INDEX t_demo_label ON t_demo (label)');
        assert.equal(await db.sql.run('INSERT INTO t_demo (id, label, at, score) VALUES (?, ?, ?, ?), (?, ?, ?, ?)', [1, 'a', 1_700_000_000_000, 0.7, 2, 'b', null, 1]), 2);
        const rows = await db.sql.query<{ id: number; label: string; at: number | null; score: number }>('SELECT id, label, at, score FROM t_demo ORDER BY id');
        assert.deepEqual(rows, [
          { id: 1, label: 'a', at: 1_700_000_000_000, score: 0.7 },
          { id: 2, label: 'b', at: null, score: 1 },
        ]);
        assert.deepEqual(await db.sql.get('SELECT label FROM t_demo WHERE id = ?', [2]), { label: 'b' });
        assert.equal(await db.sql.get('SELECT label FROM t_demo WHERE id = ?', [3]), undefined);
        const returned = await db.sql.query<{ id: number }>('INSERT INTO t_demo (id, label) VALUES (?, ?) RETURNING id', [5, 'e']);
        assert.deepEqual(returned, [{ id: 5 }]);
      } finally {
        await db.close();
      }
    });

    test('a transaction commits on success and rolls back when its function throws', async () => {
      const db = await engine.open();
      try {
        await db.sql.exec('CREATE TABLE t_tx (k TEXT PRIMARY KEY)');
        await db.sql.transaction(async (tx) => {
          await tx.run('INSERT INTO t_tx (k) VALUES (?)', ['kept']);
        });
        await assert.rejects(
          db.sql.transaction(async (tx) => {
            await tx.run('INSERT INTO t_tx (k) VALUES (?)', ['dropped']);
            throw new Error('boom');
          }),
          /boom/,
        );
        const err = await db.sql.run('INSERT INTO t_tx (k) VALUES (?)', ['kept']).catch((e: unknown) => e);
        assert.equal(db.sql.isUniqueViolation(err), true);
        assert.equal(db.sql.isUniqueViolation(new Error('other')), false);
        assert.deepEqual(await db.sql.query('SELECT k FROM t_tx'), [{ k: 'kept' }]);
      } finally {
        await db.close();
      }
    });

    test('a statement issued while a transaction is open does not join it', async () => {
      const db = await engine.open();
      try {
        await db.sql.exec('CREATE TABLE t_iso (k TEXT PRIMARY KEY)');
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const tx = db.sql.transaction(async (t) => {
          await t.run('INSERT INTO t_iso (k) VALUES (?)', ['in-tx']);
          await gate;
          throw new Error('roll back');
        });
        const outside = db.sql.run('INSERT INTO t_iso (k) VALUES (?)', ['outside']);
        release();
        await assert.rejects(tx, /roll back/);
        await outside;
        assert.deepEqual(await db.sql.query('SELECT k FROM t_iso'), [{ k: 'outside' }]);
      } finally {
        await db.close();
      }
    });

    test('using the database after close fails with DbClosedError; close is idempotent', async () => {
      const db = await engine.open();
      await db.close();
      await db.close();
      await assert.rejects(db.sql.query('SELECT 1'), (err: Error) => err.name === 'DbClosedError');
    });
  });
}
