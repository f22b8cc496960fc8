import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from './index';
import { dbEngines, pgTestDatabase, sqliteTestDir } from './testing';

for (const engine of dbEngines()) {
  describe(`SettingsStore on ${engine.name}`, { skip: engine.skip }, () => {
    test('get, set, overwrite and delete', async () => {
      const db = await engine.open();
      try {
        assert.equal(await db.settings.get('im.filter'), undefined);
        await db.settings.set('im.filter', '{"on":true}');
        await db.settings.set('im.filter', '{"on":false}');
        assert.equal(await db.settings.get('im.filter'), '{"on":false}');
        assert.equal(await db.settings.delete('im.filter'), true);
        assert.equal(await db.settings.delete('im.filter'), false);
        assert.equal(await db.settings.get('im.filter'), undefined);
      } finally {
        await db.close();
      }
    });
  });
}

// Two Front Ends on one database asking at the same moment must end up with the same secret.
async function sharedSecretCase(open: () => Promise<Awaited<ReturnType<typeof openDatabase>>>) {
  const fronts = await Promise.all([open(), open(), open()]);
  try {
    const secrets = await Promise.all(fronts.flatMap((db) => [db.settings.getOrCreateSecret('token.key'), db.settings.getOrCreateSecret('token.key')]));
    assert.equal(secrets[0]!.length, 32);
    for (const s of secrets) assert.ok(s.equals(secrets[0]!));
    const other = await fronts[0]!.settings.getOrCreateSecret('nonce.key');
    assert.ok(!other.equals(secrets[0]!), 'each key has its own secret');
  } finally {
    await Promise.all(fronts.map((db) => db.close()));
  }
}

test('getOrCreateSecret: one secret shared by every Front End (sqlite, one file)', async () => {
  const tmp = sqliteTestDir();
  try {
    await sharedSecretCase(() => openDatabase({ dataDir: tmp.dir }));
  } finally {
    tmp.remove();
  }
});

const pg = dbEngines().find((e) => e.name === 'postgres')!;
test('getOrCreateSecret: one secret shared by every Front End (postgres, one database)', { skip: pg.skip }, async () => {
  const database = await pgTestDatabase();
  try {
    await sharedSecretCase(() => openDatabase({ dataDir: '.', url: database.url }));
  } finally {
    await database.drop();
  }
});
