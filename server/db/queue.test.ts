import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QueueClosedError, QueueFullError } from './errors';
import { dbEngines } from './testing';

for (const engine of dbEngines()) {
  describe(`write queue on ${engine.name}`, { skip: engine.skip }, () => {
    test('ops enqueued in one tick commit together, in order, with their results', async () => {
      const db = await engine.open();
      try {
        await db.sql.exec('CREATE TABLE q_log (seq INTEGER PRIMARY KEY, v TEXT NOT NULL)');
        const before = db.queue.stats.batches;
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => db.queue.enqueue(async (tx) => (await tx.run('INSERT INTO q_log (seq, v) VALUES (?, ?)', [i, `v${i}`]), i * 2))),
        );
        assert.deepEqual(results, Array.from({ length: 50 }, (_, i) => i * 2));
        assert.equal(db.queue.stats.batches - before, 1, 'one transaction for the burst');
        const rows = await db.sql.query<{ seq: number }>('SELECT seq FROM q_log ORDER BY seq');
        assert.equal(rows.length, 50);
      } finally {
        await db.close();
      }
    });

    test('group commit: ops of several turns right after a batch share the next transaction', async () => {
      const db = await engine.open({ queue: { minIntervalMs: 50 } });
      try {
        await db.sql.exec('CREATE TABLE q_group (seq INTEGER PRIMARY KEY)');
        const insert = (i: number) => db.queue.enqueue((tx) => tx.run('INSERT INTO q_group (seq) VALUES (?)', [i]));
        await insert(0); // idle: starts on the next turn
        const before = db.queue.stats.batches;
        const later: Promise<number>[] = [];
        for (let i = 1; i <= 5; i++) {
          later.push(insert(i));
          await new Promise((r) => setImmediate(r)); // each in its own turn of the event loop
        }
        await Promise.all(later);
        assert.equal(db.queue.stats.batches - before, 1, 'five turns, one commit');
        assert.equal((await db.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM q_group'))?.n, 6);
      } finally {
        await db.close();
      }
    });

    test('later ops see earlier ones (order is preserved across and within batches)', async () => {
      const db = await engine.open({ queue: { maxBatch: 7 } });
      try {
        await db.sql.exec('CREATE TABLE q_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, trail TEXT NOT NULL)');
        await db.sql.run('INSERT INTO q_counter (id, n, trail) VALUES (1, 0, ?)', ['']);
        const ops = Array.from({ length: 40 }, (_, i) =>
          db.queue.enqueue((tx) => tx.run("UPDATE q_counter SET n = n + 1, trail = trail || ? WHERE id = 1", [`${i},`])),
        );
        await Promise.all(ops);
        const row = await db.sql.get<{ n: number; trail: string }>('SELECT n, trail FROM q_counter');
        assert.equal(row?.n, 40);
        assert.equal(row?.trail, Array.from({ length: 40 }, (_, i) => `${i},`).join(''));
        assert.ok(db.queue.stats.batches >= 6, 'batches are bounded by maxBatch');
      } finally {
        await db.close();
      }
    });

    test('a failing op rejects only its own promise; the rest of its batch commits', async () => {
      const db = await engine.open();
      try {
        await db.sql.exec('CREATE TABLE q_unique (k TEXT PRIMARY KEY)');
        const put = (k: string) => db.queue.enqueue(async (tx) => void (await tx.run('INSERT INTO q_unique (k) VALUES (?)', [k])));
        const outcomes = await Promise.allSettled([put('a'), put('b'), put('a'), put('c'), db.queue.enqueue(() => { throw new Error('not SQL'); }), put('d')]);
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
        );
        assert.equal(db.sql.isUniqueViolation((outcomes[2] as PromiseRejectedResult).reason), true);
        assert.match(String((outcomes[4] as PromiseRejectedResult).reason), /not SQL/);
        const keys = (await db.sql.query<{ k: string }>('SELECT k FROM q_unique ORDER BY k')).map((r) => r.k);
        assert.deepEqual(keys, ['a', 'b', 'c', 'd']);
        assert.equal(db.queue.stats.failed, 2);
      } finally {
        await db.close();
      }
    });

    test('many failing ops in one batch: each rejected alone, the others committed', async () => {
      const db = await engine.open();
      try {
        await db.sql.exec('CREATE TABLE q_many (k INTEGER PRIMARY KEY)');
        await db.sql.run('INSERT INTO q_many (k) VALUES (0)');
        // Each op inserts its own key; those whose key is a multiple of 3 then hit the existing 0 and fail.
        const outcomes = await Promise.allSettled(
          Array.from({ length: 300 }, (_, i) =>
            db.queue.enqueue(async (tx) => {
              await tx.run('INSERT INTO q_many (k) VALUES (?)', [i + 1]);
              if ((i + 1) % 3 === 0) await tx.run('INSERT INTO q_many (k) VALUES (0)');
            }),
          ),
        );
        const rejected = outcomes.filter((o) => o.status === 'rejected').length;
        assert.equal(rejected, 100);
        const keys = (await db.sql.query<{ k: number }>('SELECT k FROM q_many ORDER BY k')).map((r) => Number(r.k));
        assert.deepEqual(keys, [0, ...Array.from({ length: 300 }, (_, i) => i + 1).filter((k) => k % 3 !== 0)], 'a failed op leaves none of its writes');
      } finally {
        await db.close();
      }
    });

    test('when COMMIT itself fails, each op is retried alone and only the offender is rejected', async () => {
      const db = await engine.open();
      try {
        // A deferred foreign key is checked at COMMIT, so no op fails while the batch runs.
        await db.sql.exec('CREATE TABLE q_parent (id INTEGER PRIMARY KEY); CREATE TABLE q_child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES q_parent (id) DEFERRABLE INITIALLY DEFERRED)');
        await db.sql.run('INSERT INTO q_parent (id) VALUES (1)');
        const child = (id: number, parent: number) => db.queue.enqueue(async (tx) => void (await tx.run('INSERT INTO q_child (id, parent) VALUES (?, ?)', [id, parent])));
        const outcomes = await Promise.allSettled([child(1, 1), child(2, 99), child(3, 1)]);
        assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
        assert.deepEqual((await db.sql.query<{ id: number }>('SELECT id FROM q_child ORDER BY id')).map((r) => Number(r.id)), [1, 3]);
      } finally {
        await db.close();
      }
    });

    test('a full queue refuses with QueueFullError; flush waits; close refuses new work', async () => {
      const db = await engine.open({ queue: { maxQueued: 3 } });
      try {
        await db.sql.exec('CREATE TABLE q_full (k INTEGER PRIMARY KEY)');
        const accepted = [1, 2, 3].map((k) => db.queue.enqueue(async (tx) => void (await tx.run('INSERT INTO q_full (k) VALUES (?)', [k]))));
        await assert.rejects(db.queue.enqueue(() => undefined), (err: unknown) => err instanceof QueueFullError && err.code === 'DB_QUEUE_FULL');
        assert.equal(db.queue.stats.queued, 3);
        await db.queue.flush();
        assert.equal(db.queue.stats.queued, 0);
        await Promise.all(accepted);
        assert.equal((await db.sql.query('SELECT k FROM q_full')).length, 3);
        await db.queue.close();
        await assert.rejects(db.queue.enqueue(() => undefined), QueueClosedError);
      } finally {
        await db.close();
      }
    });

    test('a writer awaiting one write after another does not starve timers', async () => {
      const db = await engine.open();
      try {
        let timerFired = false;
        setTimeout(() => (timerFired = true), 1);
        let writes = 0;
        // Without a yield between batches this loop would run in microtasks and the timer never fire.
        while (!timerFired && writes < 100_000) {
          await db.settings.set('k', String(writes));
          writes++;
        }
        assert.equal(timerFired, true);
        assert.equal(await db.settings.get('k'), String(writes - 1));
      } finally {
        await db.close();
      }
    });

    test('close() flushes what is queued', async () => {
      const db = await engine.open();
      await db.sql.exec('CREATE TABLE q_close (k INTEGER PRIMARY KEY)');
      const pending = Array.from({ length: 20 }, (_, k) => db.queue.enqueue(async (tx) => void (await tx.run('INSERT INTO q_close (k) VALUES (?)', [k]))));
      const stats = db.queue.stats;
      await db.close();
      await Promise.all(pending);
      assert.equal(stats.queued, 20);
      assert.equal(db.queue.stats.ops - stats.ops, 20);
    });
  });
}
