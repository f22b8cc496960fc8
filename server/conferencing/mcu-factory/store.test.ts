/** The store's compare-and-set assignment (what keeps a pool's Front Ends agreeing) and pruning, on both engines. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbEngines } from '../../db/testing';
import { MCU_FACTORY_MIGRATIONS } from './schema';
import { McuStore } from './store';
import { registration } from './testing';

for (const engine of dbEngines()) {
  describe(`MCU store on ${engine.name}`, { skip: engine.skip }, () => {
    test('assign only fills an empty slot or replaces the expected MCU; the winner is returned', async () => {
      const db = await engine.open({ migrations: [MCU_FACTORY_MIGRATIONS] });
      try {
        const store = new McuStore(db);
        assert.equal(await store.assign('c', 'audio', 'a', undefined, 1), 'a');
        assert.equal(await store.assign('c', 'audio', 'b', undefined, 2), 'a', 'someone assigned first: theirs holds');
        assert.equal(await store.assign('c', 'audio', 'b', 'stale', 3), 'a', 'replacing an MCU that is no longer there: no-op');
        assert.equal(await store.assign('c', 'audio', 'b', 'a', 4), 'b');
        assert.equal(await store.assign('c', 'video', 'a', undefined, 5), 'a', 'media types are separate slots');
        assert.deepEqual(await store.assignments('c'), [
          { mediaType: 'audio', mcuId: 'b' },
          { mediaType: 'video', mcuId: 'a' },
        ]);
      } finally {
        await db.close();
      }
    });

    test('pending conferences count assignments since the last report; prune drops long-silent MCUs and their old assignments', async () => {
      const db = await engine.open({ migrations: [MCU_FACTORY_MIGRATIONS] });
      try {
        const store = new McuStore(db);
        assert.equal(await store.register(registration('old'), 100), true);
        assert.equal(await store.register(registration('new'), 100), true);
        await store.assign('c1', 'audio', 'new', undefined, 150);
        await store.assign('c1', 'video', 'new', undefined, 150);
        await store.assign('c2', 'audio', 'old', undefined, 150);
        assert.equal((await store.get('new'))?.pendingConferences, 1, 'one conference, two media types');
        await store.reportLoad('new', { mcuId: 'new', at: 0, conferences: 1, users: 0, transports: 0, producers: 0, consumers: 0, cpu: 0, workers: [] }, 200);
        assert.equal((await store.get('new'))?.pendingConferences, 0);
        assert.equal((await store.get('new'))?.load?.conferences, 1);

        assert.deepEqual(await store.prune(200), { mcus: 1, assignments: 1 });
        assert.deepEqual((await store.list()).map((m) => m.mcuId), ['new']);
        assert.deepEqual(await store.assignments('c2'), []);
        assert.equal((await store.assignments('c1')).length, 2);
      } finally {
        await db.close();
      }
    });
  });
}
