import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dbEngines } from '../db/testing';
import type { Db } from '../db/index';
import type { ContactChange } from '../../shared/contacts';
import { CONTACTS_MIGRATIONS } from './schema';
import { ContactService } from './service';
import { ContactError } from './errors';

const DOMAIN = 'example.test';

async function withService(
  engine: ReturnType<typeof dbEngines>[number],
  fn: (svc: ContactService, db: Db) => Promise<void>,
  limits = {},
): Promise<void> {
  const db = await engine.open({ migrations: [CONTACTS_MIGRATIONS] });
  try {
    for (const name of ['alice', 'bob', 'carol']) await db.users.create({ name, password: `${name}-password`, displayName: name.toUpperCase() }, DOMAIN);
    await fn(new ContactService({ db, domain: DOMAIN, limits }), db);
  } finally {
    await db.close();
  }
}

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof ContactError && err.code === code);
}

for (const engine of dbEngines()) {
  test(`every command and its changes on ${engine.name}`, { skip: engine.skip }, async () => {
    await withService(engine, async (svc) => {
      const seen: [string, ContactChange][] = [];
      svc.onChange((owner, c) => seen.push([owner, c]));

      const empty = await svc.snapshot('alice');
      assert.equal(empty.version, 0);
      assert.deepEqual(empty.groups, [{ id: 1, name: 'Other Contacts' }]);

      const g = await svc.apply('alice', { op: 'addGroup', name: 'Team' });
      assert.equal(g.version, 1);
      assert.equal(g.groupId, 2);
      const a = await svc.apply('alice', { op: 'add', uri: 'Bob@Example.Test', groupId: 2 });
      assert.equal(a.version, 2);
      await svc.apply('alice', { op: 'add', uri: 'sip:dave@other.test', displayName: 'Dave' });
      let list = await svc.snapshot('alice');
      assert.equal(list.version, 3);
      assert.deepEqual(list.contacts, [
        { uri: 'sip:bob@example.test', displayName: 'BOB', groupId: 2, accessLevel: 'colleague', accessLevelSet: false },
        { uri: 'sip:dave@other.test', displayName: 'Dave', groupId: 1, accessLevel: 'public', accessLevelSet: false },
      ]);

      assert.equal((await svc.apply('alice', { op: 'move', uri: 'sip:bob@example.test', groupId: 1 })).version, 4);
      // No change, no new version.
      assert.deepEqual(await svc.apply('alice', { op: 'move', uri: 'sip:bob@example.test', groupId: 1 }), { version: 4, changes: [] });
      await svc.apply('alice', { op: 'renameGroup', groupId: 2, name: 'Friends' });
      await svc.apply('alice', { op: 'rename', uri: 'sip:bob@example.test', displayName: 'Bobby' });
      await svc.apply('alice', { op: 'setAccessLevel', uri: 'sip:bob@example.test', level: 'workgroup' });
      assert.equal(await svc.accessLevel('alice', 'sip:bob@example.test'), 'workgroup');
      await svc.apply('alice', { op: 'move', uri: 'sip:dave@other.test', groupId: 2 });
      const rg = await svc.apply('alice', { op: 'removeGroup', groupId: 2 });
      assert.deepEqual(
        rg.changes.map((c) => c.kind),
        ['contactMoved', 'groupRemoved'],
      );
      await svc.apply('alice', { op: 'remove', uri: 'sip:dave@other.test' });
      list = await svc.snapshot('alice');
      assert.deepEqual(list.groups, [{ id: 1, name: 'Other Contacts' }]);
      assert.deepEqual(list.contacts, [{ uri: 'sip:bob@example.test', displayName: 'Bobby', groupId: 1, accessLevel: 'workgroup', accessLevelSet: true }]);
      assert.deepEqual(list.accessLevels, [{ uri: 'sip:bob@example.test', level: 'workgroup' }]);
      // Group ids are not reused after a removal.
      assert.equal((await svc.apply('alice', { op: 'addGroup', name: 'Friends' })).groupId, 3);

      assert.deepEqual(
        seen.map(([o, c]) => `${o}:${c.kind}@${c.version}`),
        [
          'alice:groupAdded@1', 'alice:contactAdded@2', 'alice:contactAdded@3', 'alice:contactMoved@4', 'alice:groupRenamed@5',
          'alice:contactRenamed@6', 'alice:accessLevel@7', 'alice:contactMoved@8', 'alice:contactMoved@9', 'alice:groupRemoved@9',
          'alice:contactRemoved@10', 'alice:groupAdded@11',
        ],
      );
      // Another user's list is untouched.
      assert.equal((await svc.snapshot('bob')).contacts.length, 0);
    });
  });

  test(`refusals name the fault and change nothing on ${engine.name}`, { skip: engine.skip }, async () => {
    await withService(engine, async (svc) => {
      await refused(svc.apply('alice', { op: 'add', uri: 'sip:nobody@example.test' }), 'NO_SUCH_USER');
      await refused(svc.apply('alice', { op: 'add', uri: 'tel:+14255550100' }), 'INVALID_URI');
      await refused(svc.apply('alice', { op: 'add', uri: 'sip:bob@example.test', groupId: 9 }), 'NO_SUCH_GROUP');
      await svc.apply('alice', { op: 'add', uri: 'sip:bob@example.test' });
      await refused(svc.apply('alice', { op: 'add', uri: 'sip:BOB@example.test' }), 'ALREADY_IN_LIST');
      await refused(svc.apply('alice', { op: 'remove', uri: 'sip:carol@example.test' }), 'NOT_IN_LIST');
      await refused(svc.apply('alice', { op: 'move', uri: 'sip:bob@example.test', groupId: 5 }), 'NO_SUCH_GROUP');
      await refused(svc.apply('alice', { op: 'removeGroup', groupId: 1 }), 'DEFAULT_GROUP');
      await refused(svc.apply('alice', { op: 'addGroup', name: ' other contacts ' }), 'GROUP_EXISTS');
      await refused(svc.apply('alice', { op: 'addGroup', name: 'a\nb' }), 'INVALID_COMMAND');
      const list = await svc.snapshot('alice');
      assert.equal(list.version, 1);
      assert.equal(list.contacts.length, 1);
    });
  });

  test(`limits on ${engine.name}`, { skip: engine.skip }, async () => {
    await withService(
      engine,
      async (svc) => {
        for (let i = 0; i < 3; i++) await svc.apply('alice', { op: 'add', uri: `sip:u${i}@other.test` });
        await refused(svc.apply('alice', { op: 'add', uri: 'sip:u9@other.test' }), 'LIMIT');
        await svc.apply('alice', { op: 'addGroup', name: 'G2' });
        await refused(svc.apply('alice', { op: 'addGroup', name: 'G3' }), 'LIMIT');
        await svc.apply('alice', { op: 'setAccessLevel', uri: 'sip:x@other.test', level: 'blocked' });
        await refused(svc.apply('alice', { op: 'setAccessLevel', uri: 'sip:y@other.test', level: 'blocked' }), 'LIMIT');
        // Changing an existing entry is not a new one.
        await svc.apply('alice', { op: 'setAccessLevel', uri: 'sip:x@other.test', level: 'personal' });
        assert.equal((await svc.list('alice')).length, 3);
      },
      { maxContacts: 3, maxGroups: 2, maxAccessEntries: 1 },
    );
  });

  test(`access levels: defaults, explicit, cleared, cache invalidated on ${engine.name}`, { skip: engine.skip }, async () => {
    await withService(engine, async (svc) => {
      assert.equal(await svc.accessLevel('alice', 'sip:bob@example.test'), 'colleague');
      assert.equal(await svc.accessLevel('alice', 'sip:eve@elsewhere.test'), 'public');
      assert.equal(await svc.accessLevel('alice', 'sip:alice@example.test'), 'personal');
      assert.equal(await svc.accessLevel('alice', 'not a uri'), 'public');
      // Blocking someone who is not in the list.
      const r = await svc.apply('alice', { op: 'setAccessLevel', uri: 'sip:bob@example.test', level: 'blocked' });
      assert.deepEqual(r.changes, [{ kind: 'accessLevel', version: 1, uri: 'sip:bob@example.test', level: 'blocked', explicit: 'blocked' }]);
      assert.equal(await svc.accessLevel('alice', 'sip:Bob@EXAMPLE.test;transport=tcp'), 'blocked');
      assert.equal(await svc.accessLevel('bob', 'sip:alice@example.test'), 'colleague');
      const cleared = await svc.apply('alice', { op: 'setAccessLevel', uri: 'sip:bob@example.test', level: null });
      assert.equal(cleared.changes[0]?.kind === 'accessLevel' && cleared.changes[0].level, 'colleague');
      assert.equal(await svc.accessLevel('alice', 'sip:bob@example.test'), 'colleague');
    });
  });

  test(`concurrent commands on one list keep versions dense on ${engine.name}`, { skip: engine.skip }, async () => {
    await withService(engine, async (svc) => {
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => svc.apply('alice', { op: 'add', uri: `sip:p${i % 10}@other.test` })));
      const ok = results.filter((r) => r.status === 'fulfilled');
      assert.equal(ok.length, 10);
      const versions = ok.map((r) => (r as PromiseFulfilledResult<{ version: number }>).value.version).sort((a, b) => a - b);
      assert.deepEqual(versions, Array.from({ length: 10 }, (_, i) => i + 1));
      assert.equal((await svc.snapshot('alice')).version, 10);
    });
  });
}
