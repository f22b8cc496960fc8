import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbEngines } from '../db/testing';
import { PoolHomes } from './homes';
import { POOL_MIGRATIONS } from './schema';

/** A member list: ids in `live` are live members (ourselves excluded by the caller). */
function membersOf(live: Set<string>, self: string) {
  return { others: () => [...live].filter((id) => id !== self).map((id) => ({ id, host: '127.0.0.1', port: 5060 })), get: (id: string) => (live.has(id) && id !== self ? { id, host: '127.0.0.1', port: 5060 } : undefined) };
}

for (const engine of dbEngines()) {
  describe(`PoolHomes on ${engine.name}`, { skip: engine.skip }, () => {
    test('the first member asked claims a home; the others see it; it moves only when its member is gone; an ended one is freed', async () => {
      const db = await engine.open({ migrations: [POOL_MIGRATIONS] });
      try {
        const live = new Set(['fe1', 'fe2', 'fe3']);
        const fe1 = new PoolHomes(db, 'fe1', membersOf(live, 'fe1'));
        const fe2 = new PoolHomes(db, 'fe2', membersOf(live, 'fe2'));
        const fe3 = new PoolHomes(db, 'fe3', membersOf(live, 'fe3'));
        assert.equal(await fe2.homeOf('conference:a'), 'fe2');
        assert.equal(await fe1.homeOf('conference:a'), 'fe2');
        assert.equal(await fe3.homeOf('conference:a'), 'fe2');
        live.delete('fe2'); // fe2 missed its heartbeats
        assert.equal(await fe3.homeOf('conference:a'), 'fe3', 'taken over');
        assert.equal(await fe1.homeOf('conference:a'), 'fe3', 'and not taken again by another member');
        await fe1.release('conference:a');
        assert.equal(await fe1.homeOf('conference:a'), 'fe1', 'freed: the next one asked claims it');
      } finally {
        await db.close();
      }
    });

    test('alone, everything is home here', async () => {
      const db = await engine.open({ migrations: [POOL_MIGRATIONS] });
      try {
        assert.equal(await new PoolHomes(db, 'solo', membersOf(new Set(), 'solo')).homeOf('conference:x'), 'solo');
      } finally {
        await db.close();
      }
    });
  });
}
