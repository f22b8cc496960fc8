import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log';
import { dbEngines } from '../db/testing';
import { AVAILABILITY as A } from '../../shared/presence/availability';
import { PublicationIndex } from './publications';
import { PRESENCE_MIGRATIONS, PublicationRecords } from './store';

const log = createLogger('silent');

test('publications: one per endpoint, entity-tags rotate, expiry removes and announces', async () => {
  const idx = new PublicationIndex({ frontEnd: 'fe1', log });
  const changes: string[] = [];
  idx.onChange((o) => changes.push(o));
  const a = idx.create('alice', 'ep1', { availability: A.away, userSet: true }, 600);
  const again = idx.create('alice', 'ep1', { availability: A.busy, userSet: true }, 600);
  assert.equal(idx.forOwner('alice').length, 1, 'a new initial PUBLISH replaces the endpoint\'s old one');
  assert.equal(idx.find('alice', a.etag), undefined);
  const old = again.etag;
  idx.update(again, 600);
  assert.notEqual(again.etag, old);
  assert.equal(idx.find('alice', old), undefined);
  assert.equal(idx.find('bob', again.etag), undefined, 'an entity-tag is only its owner\'s');
  idx.create('alice', 'ep2', { availability: A.available, userSet: false }, 1);
  idx.create('alice', 'flow:f1', { availability: A.available, userSet: false }, 600);
  assert.equal(changes.length, 4, 'a refresh without a body announces nothing');
  const deadline = Date.now() + 5_000;
  while (idx.forOwner('alice').length !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(idx.forOwner('alice').map((p) => p.endpoint).sort(), ['ep1', 'flow:f1'], 'ep2 expired');
  idx.retainEndpoints('alice', new Set());
  assert.deepEqual(idx.forOwner('alice').map((p) => p.endpoint), ['flow:f1'], 'unregistered endpoints lose theirs; unbound ones live with their flow');
  idx.flowClosed('f1');
  assert.equal(idx.size, 0);
  idx.close();
});

for (const engine of dbEngines()) {
  test(`publication records on ${engine.name}: upsert per endpoint, live list, restore`, { skip: engine.skip }, async () => {
    const db = await engine.open({ migrations: [PRESENCE_MIGRATIONS] });
    try {
      const records = new PublicationRecords(db);
      const idx = new PublicationIndex({ records, frontEnd: 'fe1', log });
      const p = idx.create('alice', 'ep1', { availability: A.brb, userSet: true, note: 'x' }, 600);
      idx.update(p, 600, { availability: A.away, userSet: true });
      idx.create('bob', 'ep9', { availability: A.available, userSet: false }, 600);
      idx.flushWrites();
      await db.queue.flush();
      const live = await records.listLive(Date.now());
      assert.equal(live.length, 2);
      const alice = live.find((r) => r.owner === 'alice')!;
      assert.equal(alice.etag, p.etag);
      assert.equal(alice.state.availability, A.away);
      const restored = new PublicationIndex({ frontEnd: 'fe2', log });
      assert.equal(restored.restore(live, (r) => r.owner === 'alice'), 1, 'only endpoints still registered come back');
      assert.equal(restored.find('alice', p.etag)?.state.availability, A.away);
      idx.remove(p);
      idx.flushWrites();
      await db.queue.flush();
      assert.equal((await records.listLive(Date.now())).length, 1);
      idx.close();
      restored.close();
    } finally {
      await db.close();
    }
  });
}
