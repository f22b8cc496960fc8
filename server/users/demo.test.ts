import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dbEngines } from '../db/testing';
import { seedDemoUsers } from './demo';

for (const engine of dbEngines()) {
  describe(`demo users on ${engine.name}`, { skip: engine.skip }, () => {
    test('created once, on an empty user table, with working random passwords that are not logged', async () => {
      const db = await engine.open();
      try {
        const logs: string[] = [];
        const created = await seedDemoUsers(db, 'ocs.test', (m) => logs.push(m));
        assert.deepEqual(created?.map((u) => u.name), ['alice', 'bob', 'carol', 'dave']);
        assert.equal((await db.users.findByName('alice'))?.admin, true);
        assert.equal((await db.users.findByName('bob'))?.admin, false);
        for (const u of created!) {
          assert.ok(u.password.length >= 16);
          assert.ok(await db.users.verifyPassword(u.name, u.password));
          assert.ok(!logs.join('\n').includes(u.password));
        }
        assert.equal(new Set(created!.map((u) => u.password)).size, 4);
        assert.equal(await seedDemoUsers(db, 'ocs.test', (m) => logs.push(m)), undefined, 'second start: nothing');
        assert.equal(await db.users.count(), 4);
      } finally {
        await db.close();
      }
    });

    test('not created when users exist', async () => {
      const db = await engine.open();
      try {
        await db.users.create({ name: 'admin', password: 'password1', admin: true }, 'ocs.test');
        assert.equal(await seedDemoUsers(db, 'ocs.test', () => undefined), undefined);
        assert.equal(await db.users.count(), 1);
      } finally {
        await db.close();
      }
    });
  });
}
