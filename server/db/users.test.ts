import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DuplicateUserError, UserNotFoundError, ValidationError } from './errors';
import { hashPassword } from './password';
import { openDatabase } from './index';
import { dbEngines, sqliteTestDir, TEST_SCRYPT } from './testing';

const REALM = 'ocs.test';

for (const engine of dbEngines()) {
  describe(`UserStore on ${engine.name}`, { skip: engine.skip }, () => {
    test('create stores credentials, never the password, and returns the user', async () => {
      const db = await engine.open();
      try {
        const user = await db.users.create({ name: 'Alice', password: 'wonderland', displayName: 'Alice Liddell', phone: '+14255550100', admin: true }, REALM);
        assert.equal(user.name, 'alice', 'names are stored lower case');
        assert.deepEqual(await db.users.findByName('ALICE'), user);
        assert.equal(await db.users.count(), 1);
        const row = await db.sql.get<Record<string, unknown>>('SELECT * FROM users');
        assert.ok(row);
        assert.ok(!JSON.stringify(row).includes('wonderland'), 'no plaintext password in the row');
        assert.match(String(row.password_hash), /^\$scrypt\$/);
        const digest = await db.users.getDigestCredentials('alice');
        assert.deepEqual(digest && { realm: digest.realm, disabled: digest.disabled }, { realm: REALM, disabled: false });
        assert.match(digest!.ha1Md5, /^[0-9a-f]{32}$/);
        assert.match(digest!.ha1Sha256, /^[0-9a-f]{64}$/);
      } finally {
        await db.close();
      }
    });

    test('validation errors name the field; duplicates are typed', async () => {
      const db = await engine.open();
      try {
        const invalid: [Parameters<typeof db.users.create>[0], string][] = [
          [{ name: '-bad', password: 'password1' }, 'name'],
          [{ name: 'a'.repeat(65), password: 'password1' }, 'name'],
          [{ name: 'bob smith', password: 'password1' }, 'name'],
          [{ name: 'bob', password: 'short' }, 'password'],
          [{ name: 'bob', password: 'x'.repeat(129) }, 'password'],
          [{ name: 'bob', password: 'password1', phone: '4255550100' }, 'phone'],
          [{ name: 'bob', password: 'password1', phone: '+0123' }, 'phone'],
          [{ name: 'bob', password: 'password1', displayName: 'a\r\nVia: x' }, 'displayName'],
        ];
        for (const [input, field] of invalid) {
          await assert.rejects(db.users.create(input, REALM), (err: unknown) => err instanceof ValidationError && err.field === field && err.message.includes(field === 'displayName' ? 'display name' : field), JSON.stringify(input));
        }
        await db.users.create({ name: 'bob', password: 'password1' }, REALM);
        await assert.rejects(db.users.create({ name: 'BOB', password: 'password2' }, REALM), DuplicateUserError);
        // Racing creations of one name: exactly one wins.
        const race = await Promise.allSettled([1, 2, 3].map(() => db.users.create({ name: 'carol', password: 'password1' }, REALM)));
        assert.equal(race.filter((r) => r.status === 'fulfilled').length, 1);
        assert.ok(race.every((r) => r.status === 'fulfilled' || r.reason instanceof DuplicateUserError));
        assert.equal(await db.users.count(), 2);
      } finally {
        await db.close();
      }
    });

    test('verifyPassword: right password only, disabled users fail, unknown users fail', async () => {
      const db = await engine.open();
      try {
        await db.users.create({ name: 'dave', password: 'password-d' }, REALM);
        assert.equal((await db.users.verifyPassword('dave', 'password-d'))?.name, 'dave');
        assert.equal(await db.users.verifyPassword('dave', 'password-x'), undefined);
        assert.equal(await db.users.verifyPassword('nobody', 'password-d'), undefined);
        await db.users.setDisabled('dave', true);
        assert.equal(await db.users.verifyPassword('dave', 'password-d'), undefined);
        assert.equal((await db.users.getDigestCredentials('dave'))?.disabled, true);
        assert.equal((await db.users.findByName('dave'))?.disabled, true);
        await db.users.setDisabled('dave', false);
        assert.equal((await db.users.verifyPassword('dave', 'password-d'))?.disabled, false);
      } finally {
        await db.close();
      }
    });

    test('setPassword changes both login and digest credentials; cheaper hashes are upgraded on login', async () => {
      const db = await engine.open({ scryptCost: { log2N: 5 } });
      try {
        await db.users.create({ name: 'erin', password: 'first-password' }, REALM);
        const before = await db.users.getDigestCredentials('erin');
        await db.users.setPassword('erin', 'second-password', 'other.realm');
        const after = await db.users.getDigestCredentials('erin');
        assert.equal(after?.realm, 'other.realm');
        assert.notEqual(after?.ha1Md5, before?.ha1Md5);
        assert.equal(await db.users.verifyPassword('erin', 'first-password'), undefined);
        assert.ok(await db.users.verifyPassword('erin', 'second-password'));
        await assert.rejects(db.users.setPassword('erin', 'short', REALM), ValidationError);
        await assert.rejects(db.users.setPassword('nobody', 'long-enough', REALM), UserNotFoundError);

        const old = await hashPassword('third-password', { log2N: 3, r: 8, p: 1 });
        await db.sql.run('UPDATE users SET password_hash = ? WHERE name = ?', [old, 'erin']);
        assert.ok(await db.users.verifyPassword('erin', 'third-password'));
        const deadline = Date.now() + 5_000;
        let stored = old;
        while (stored === old && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 10));
          stored = (await db.sql.get<{ password_hash: string }>('SELECT password_hash FROM users WHERE name = ?', ['erin']))!.password_hash;
        }
        assert.match(stored, /^\$scrypt\$ln=5,/);
        assert.ok(await db.users.verifyPassword('erin', 'third-password'));
      } finally {
        await db.close();
      }
    });

    test('setAdmin, update and not-found errors', async () => {
      const db = await engine.open();
      try {
        await db.users.create({ name: 'frank', password: 'password1', phone: '+442071838750' }, REALM);
        await db.users.setAdmin('frank', true);
        await db.users.update('frank', { displayName: 'Frank Sinatra' });
        assert.deepEqual(
          { ...(await db.users.findByName('frank')), id: 0, createdAt: 0 },
          { id: 0, createdAt: 0, name: 'frank', displayName: 'Frank Sinatra', phone: '+442071838750', admin: true, disabled: false },
        );
        await db.users.update('frank', { phone: null });
        assert.equal((await db.users.findByName('frank'))?.phone, undefined);
        await assert.rejects(db.users.update('frank', { phone: '12' }), (e: unknown) => e instanceof ValidationError && e.field === 'phone');
        await assert.rejects(db.users.setAdmin('ghost', true), UserNotFoundError);
        await assert.rejects(db.users.setDisabled('ghost', true), UserNotFoundError);
        await assert.rejects(db.users.update('ghost', { displayName: 'x' }), UserNotFoundError);
        assert.equal(await db.users.findByName('ghost'), undefined);
        assert.equal(await db.users.getDigestCredentials('ghost'), undefined);
      } finally {
        await db.close();
      }
    });

    test('list pages in name order and searches name, display name and phone case-insensitively', async () => {
      const db = await engine.open();
      try {
        const result = await db.users.createMany(
          [
            { name: 'user_b', password: 'password1', displayName: 'Bea Smith' },
            { name: 'user%a', password: 'password1' },
            { name: 'usera', password: 'password1', displayName: 'Ann SMITHSON', phone: '+15551234567' },
            { name: 'zed', password: 'password1' },
          ],
          REALM,
        );
        assert.equal(result.created, 3);
        assert.deepEqual(result.errors, [{ line: 2, message: result.errors[0]!.message }]);
        assert.match(result.errors[0]!.message, /^name /);
        const all = await db.users.list();
        assert.deepEqual(all.users.map((u) => u.name), ['user_b', 'usera', 'zed']);
        assert.equal(all.total, 3);
        const page = await db.users.list({ offset: 1, limit: 1 });
        assert.deepEqual([page.users.map((u) => u.name), page.total], [['usera'], 3]);
        assert.deepEqual((await db.users.list({ search: 'smith' })).users.map((u) => u.name), ['user_b', 'usera']);
        assert.deepEqual((await db.users.list({ search: '1234' })).users.map((u) => u.name), ['usera']);
        // LIKE wildcards in the search are literal.
        assert.deepEqual((await db.users.list({ search: '_' })).users.map((u) => u.name), ['user_b']);
        assert.equal((await db.users.list({ search: '%' })).total, 0);
      } finally {
        await db.close();
      }
    });

    test('createMany reports bad lines, in-file duplicates and existing names by line', async () => {
      const db = await engine.open();
      try {
        await db.users.create({ name: 'taken', password: 'password1' }, REALM);
        const result = await db.users.createMany(
          [
            { line: 2, name: 'ok1', password: 'password1', phone: '+15550001111' },
            { line: 3, name: 'Bad Name', password: 'password1' },
            { line: 4, name: 'ok2', password: 'short' },
            { line: 5, name: 'taken', password: 'password1' },
            { line: 6, name: 'OK1', password: 'password1' },
            { line: 7, name: 'ok3', password: 'password1', phone: 'nope' },
            { line: 8, name: 'ok4', password: 'password1', displayName: 'Four' },
          ],
          REALM,
        );
        assert.equal(result.created, 2);
        assert.deepEqual(result.errors.map((e) => e.line), [3, 4, 5, 6, 7]);
        assert.match(result.errors[0]!.message, /name/);
        assert.match(result.errors[1]!.message, /password/);
        assert.match(result.errors[2]!.message, /already exists/);
        assert.match(result.errors[3]!.message, /duplicate name "ok1" \(first on line 2\)/);
        assert.match(result.errors[4]!.message, /phone/);
        assert.ok(await db.users.verifyPassword('ok4', 'password1'));
        assert.equal((await db.users.findByName('ok4'))?.displayName, 'Four');
      } finally {
        await db.close();
      }
    });

    test('createMany stores 10,000 users', async () => {
      const db = await engine.open();
      try {
        const inputs = Array.from({ length: 10_000 }, (_, i) => ({ name: `bulk${i}`, password: `password-${i}` }));
        const result = await db.users.createMany(inputs, REALM);
        assert.deepEqual(result, { created: 10_000, errors: [] });
        assert.equal(await db.users.count(), 10_000);
        assert.ok(await db.users.verifyPassword('bulk9999', 'password-9999'));
      } finally {
        await db.close();
      }
    });
  });
}

test('UserStore on sqlite: a change committed by another connection (the admin CLI) is seen at once despite the read cache', async () => {
  const tmp = sqliteTestDir();
  const server = await openDatabase({ scryptCost: TEST_SCRYPT, dataDir: tmp.dir, url: undefined });
  const cli = await openDatabase({ scryptCost: TEST_SCRYPT, dataDir: tmp.dir, url: undefined });
  try {
    await server.users.create({ name: 'carol', password: 'password1' }, REALM);
    assert.equal((await server.users.getDigestCredentials('carol'))?.disabled, false);
    assert.equal((await server.users.findByName('carol'))?.disabled, false); // both cached now
    await cli.users.setDisabled('carol', true);
    assert.equal((await server.users.getDigestCredentials('carol'))?.disabled, true);
    assert.equal((await server.users.findByName('carol'))?.disabled, true);
    await server.users.setDisabled('carol', false); // this store's own write
    assert.equal((await server.users.getDigestCredentials('carol'))?.disabled, false);
    const copy = await server.users.findByName('carol');
    copy!.admin = true; // a caller changing its copy does not change the cache
    assert.equal((await server.users.findByName('carol'))?.admin, false);
  } finally {
    await cli.close();
    await server.close();
    tmp.remove();
  }
});
