import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bindingKey, type Binding } from './bindings';
import { dbEngines } from './testing';

const T0 = 1_800_000_000_000;

function binding(over: Partial<Binding> = {}): Binding {
  return { aor: 'sip:alice@ocs.test', contact: 'sip:alice@192.0.2.1:5060;transport=tcp', frontEnd: 'fe1', expiresAt: T0 + 3_600_000, q: 1, callId: 'call-1', cseq: 1, updatedAt: T0, ...over };
}

test('bindingKey: instance + reg-id, instance alone, else the contact', () => {
  assert.equal(bindingKey({ contact: 'sip:a@h', instanceId: '<urn:uuid:1>', regId: 2 }), '<urn:uuid:1>;reg-id=2');
  assert.equal(bindingKey({ contact: 'sip:a@h', instanceId: '<urn:uuid:1>' }), '<urn:uuid:1>');
  assert.equal(bindingKey({ contact: 'sip:a@h' }), 'sip:a@h');
});

for (const engine of dbEngines()) {
  describe(`BindingStore on ${engine.name}`, { skip: engine.skip }, () => {
    test('upsert round-trips every field and replaces a binding with the same key', async () => {
      const db = await engine.open();
      try {
        const full = binding({
          instanceId: '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>',
          regId: 1,
          flowId: 'ws-17',
          q: 0.7,
          userAgent: 'sip.js/0.21.2',
          path: ['<sip:fe1.ocs.test;lr;ob>', '<sip:edge;lr>'],
          gruu: 'sip:alice@ocs.test;gr=urn:uuid:00000000-0000-1000-8000-000A95A0E128',
        });
        await db.bindings.upsert(full);
        assert.deepEqual(await db.bindings.listByAor(full.aor), [full]);
        // Same instance + reg-id from a new contact address (the UA moved): one binding, updated.
        const moved = { ...full, contact: 'sip:alice@198.51.100.9:5060;transport=ws', cseq: 2, updatedAt: T0 + 1 };
        await db.bindings.upsert(moved);
        assert.deepEqual(await db.bindings.listByAor(full.aor), [moved]);
        // Without instance, the contact is the key.
        await db.bindings.upsert(binding({ contact: 'sip:alice@192.0.2.2', q: 0.5 }));
        await db.bindings.upsert(binding({ contact: 'sip:alice@192.0.2.2', q: 0.4, cseq: 9 }));
        const list = await db.bindings.listByAor(full.aor);
        assert.equal(list.length, 2);
        assert.deepEqual(list.map((b) => b.q), [0.7, 0.4], 'highest q first');
        assert.equal(list[1]!.cseq, 9);
        assert.equal(list[1]!.instanceId, undefined);
      } finally {
        await db.close();
      }
    });

    test('remove by key, by flow, by front end and expired ones', async () => {
      const db = await engine.open();
      try {
        const a1 = binding({ contact: 'sip:a@1', flowId: 'f1' });
        const a2 = binding({ contact: 'sip:a@2', instanceId: '<urn:uuid:2>', regId: 1, flowId: 'f2' });
        const b1 = binding({ aor: 'sip:bob@ocs.test', contact: 'sip:b@1', frontEnd: 'fe2', flowId: 'f1', expiresAt: T0 - 1 });
        const b2 = binding({ aor: 'sip:bob@ocs.test', contact: 'sip:b@2', frontEnd: 'fe2', expiresAt: T0 + 10 });
        await Promise.all([a1, a2, b1, b2].map((b) => db.bindings.upsert(b)));
        assert.equal((await db.bindings.listAll()).length, 4);
        assert.deepEqual((await db.bindings.listByFrontEnd('fe2')).map((b) => b.contact).sort(), ['sip:b@1', 'sip:b@2']);

        assert.equal(await db.bindings.remove(a2.aor, bindingKey(a2)), 1);
        assert.equal(await db.bindings.remove(a2.aor, 'sip:a@2'), 0, 'an instance binding is not keyed by its contact');
        assert.equal(await db.bindings.removeExpired(T0), 1);
        assert.equal(await db.bindings.removeByFlow('f1'), 1);
        assert.deepEqual((await db.bindings.listAll()).map((b) => b.contact), ['sip:b@2']);
        assert.equal(await db.bindings.removeByFrontEnd('fe2'), 1);
        assert.deepEqual(await db.bindings.listAll(), []);
      } finally {
        await db.close();
      }
    });
  });
}
