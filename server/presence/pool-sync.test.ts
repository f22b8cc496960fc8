import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../log';
import { PresencePoolSync, type PresencePoolPort, type PresenceShare } from './pool-sync';

/** A pool of members whose bus is a list: what we published, and a way to deliver what others did. */
function pool(others: string[]) {
  const sent: unknown[] = [];
  const handlers: ((from: string, data: unknown) => void)[] = [];
  const memberListeners: (() => void)[] = [];
  const port: PresencePoolPort = {
    active: true,
    others: () => others,
    onMembersChange: (l) => void memberListeners.push(l),
    publish: async (_topic, data) => (sent.push(data), JSON.stringify(data).length < 200),
    subscribe: (_topic, l) => (handlers.push(l), () => undefined),
  };
  return {
    port, sent, deliver: (from: string, data: unknown) => handlers.forEach((h) => h(from, data)),
    leave: (id: string) => { others.splice(others.indexOf(id), 1); memberListeners.forEach((l) => l()); },
  };
}

const busy = { endpoint: 'e1', state: { availability: 6500 }, at: 5 } as unknown as PresenceShare['publications'][number];

test('shares announced by other members add up; an empty share removes the member; a member that leaves takes its share', async () => {
  const p = pool(['fe2', 'fe3']);
  const sync = new PresencePoolSync({ pool: p.port, loadShares: async () => new Map(), log: createLogger('silent') });
  const changed: string[] = [];
  sync.onChange((u) => changed.push(u));
  p.deliver('fe2', { user: 'bob', endpoints: 1, publications: [busy] });
  p.deliver('fe3', { user: 'bob', endpoints: 2, publications: [] });
  assert.equal(sync.endpoints('bob'), 3);
  assert.deepEqual(sync.publications('bob'), [busy]);
  p.deliver('fe3', { user: 'bob', endpoints: 0, publications: [] });
  assert.equal(sync.endpoints('bob'), 1);
  p.deliver('fe2', { user: 'bob', endpoints: 'x' });
  p.deliver('fe2', null);
  assert.equal(sync.endpoints('bob'), 1, 'malformed events change nothing');
  p.leave('fe2');
  assert.equal(sync.endpoints('bob'), 0);
  assert.deepEqual(changed, ['bob', 'bob', 'bob', 'bob']);
});

test('our share goes out; one too big for an event goes as a reload, and the receiver reads the database', async () => {
  const p = pool(['fe2']);
  const loads: string[] = [];
  const sync = new PresencePoolSync({
    pool: p.port,
    loadShares: async (user, members) => (loads.push(`${user}@${members.join(',')}`), new Map([['fe2', { endpoints: 1, publications: [busy] }]])),
    log: createLogger('silent'),
  });
  sync.announce('alice', () => ({ endpoints: 1, publications: [] }));
  sync.announce('alice', () => ({ endpoints: 1, publications: Array.from({ length: 5 }, () => busy) }));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(p.sent.map((d) => Object.keys(d as object).join(',')), ['user,endpoints,publications', 'user,endpoints,publications', 'user,endpoints,reload']);
  p.deliver('fe2', { user: 'carol', endpoints: 1, reload: true });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(loads, ['carol@fe2']);
  assert.deepEqual(sync.publications('carol'), [busy]);
  await sync.load('dave');
  assert.equal(sync.endpoints('dave'), 1, "the first watch reads the others' shares");
});
