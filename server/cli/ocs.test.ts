import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase } from '../db/index';
import { dbEngines, pgTestDatabase, sqliteTestDir } from '../db/testing';
import { runCli } from './ocs';

interface Run {
  code: number;
  out: string;
  err: string;
}

/** One CLI environment per engine: a temp data dir, and a fresh PostgreSQL database when testing that engine. */
async function cliEnv(engine: 'sqlite' | 'postgres') {
  const tmp = sqliteTestDir();
  const database = engine === 'postgres' ? await pgTestDatabase() : undefined;
  // Cheap scrypt keeps the 10,000-user import quick here; the hash code path is the production one.
  const env: NodeJS.ProcessEnv = { OCS_DATA_DIR: tmp.dir, OCS_DOMAIN: 'Example.COM', OCS_SCRYPT_LOG2N: '4', ...(database ? { OCS_DB: database.url } : {}) };
  const run = async (...argv: string[]): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out: out.join('\n'), err: err.filter((l) => !l.startsWith('db: applied migrations')).join('\n') };
  };
  return {
    env,
    dir: tmp.dir,
    run,
    async cleanup() {
      await database?.drop();
      tmp.remove();
    },
  };
}

for (const engine of dbEngines()) {
  describe(`ocs CLI on ${engine.name}`, { skip: engine.skip }, () => {
    test('user add / list / passwd / disable / enable with exit codes and clear errors', async () => {
      const cli = await cliEnv(engine.name);
      try {
        let r = await cli.run('user', 'add', 'Alice', '--password', 'alice-pass', '--display-name', 'Alice L', '--phone', '+14255550100', '--admin');
        assert.deepEqual([r.code, r.out], [0, 'created user alice (sip:alice@example.com) as administrator']);
        r = await cli.run('user', 'add', 'alice', '--password', 'other-pass');
        assert.deepEqual([r.code, r.err], [1, 'error: user "alice" already exists']);
        r = await cli.run('user', 'add', 'bob', '--password', 'short');
        assert.equal(r.code, 1);
        assert.match(r.err, /^error: password must be 8-128 characters$/);
        r = await cli.run('user', 'add', 'bob', '--password', 'bob-password', '--phone', '555');
        assert.equal(r.code, 1);
        assert.match(r.err, /phone must be E\.164/);
        r = await cli.run('user', 'add', 'bob');
        assert.equal(r.code, 2);
        assert.match(r.err, /missing --password/);
        r = await cli.run('user', 'add', 'bob', '--password', 'bob-password', '--bogus');
        assert.equal(r.code, 2);
        r = await cli.run('user', 'frobnicate');
        assert.equal(r.code, 2);
        assert.match(r.err, /usage: npm run ocs/);
        assert.equal((await cli.run('user', 'add', 'bob', '--password', 'bob-password')).code, 0);

        r = await cli.run('user', 'list', '--json');
        const listed = JSON.parse(r.out) as { total: number; users: { name: string; admin: boolean; phone?: string; displayName: string }[] };
        assert.equal(listed.total, 2);
        assert.deepEqual(listed.users.map((u) => [u.name, u.admin, u.phone, u.displayName]), [['alice', true, '+14255550100', 'Alice L'], ['bob', false, undefined, '']]);
        r = await cli.run('user', 'list', '--search', 'ALI');
        assert.equal(r.code, 0);
        assert.match(r.out, /^NAME +DISPLAY NAME +PHONE +FLAGS +CREATED\nalice +Alice L +\+14255550100 +admin +\d{4}-/);
        assert.match(r.out, /1 of 1 users$/);

        assert.deepEqual(await cli.run('user', 'passwd', 'bob', '--password', 'new-bob-password'), { code: 0, out: 'password of bob changed', err: '' });
        assert.equal((await cli.run('user', 'passwd', 'nobody', '--password', 'new-password')).code, 1);
        assert.equal((await cli.run('user', 'disable', 'bob')).code, 0);
        assert.deepEqual(await cli.run('user', 'disable', 'nobody'), { code: 1, out: '', err: 'error: no user "nobody"' });

        const db = await openDatabase({ url: cli.env.OCS_DB, dataDir: cli.dir });
        try {
          assert.equal((await db.users.findByName('bob'))?.disabled, true);
          assert.equal(await db.users.verifyPassword('bob', 'new-bob-password'), undefined);
          assert.equal((await db.users.getDigestCredentials('alice'))?.realm, 'example.com', 'realm = OCS_DOMAIN');
        } finally {
          await db.close();
        }
        assert.equal((await cli.run('user', 'enable', 'bob')).code, 0);
        const db2 = await openDatabase({ url: cli.env.OCS_DB, dataDir: cli.dir });
        try {
          assert.ok(await db2.users.verifyPassword('bob', 'new-bob-password'));
        } finally {
          await db2.close();
        }
      } finally {
        await cli.cleanup();
      }
    });

    test('user import: 10,000 lines', async () => {
      const cli = await cliEnv(engine.name);
      try {
        const lines = ['name,password,display_name,phone'];
        for (let i = 0; i < 10_000; i++) lines.push(`user${i},pass-${i}-word,"User, No. ${i}",+1425555${String(i).padStart(4, '0')}`);
        const file = join(cli.dir, 'users.csv');
        writeFileSync(file, `${lines.join('\r\n')}\r\n`);
        const r = await cli.run('user', 'import', file);
        assert.equal(r.code, 0, r.err);
        assert.match(r.out, /^created 10000 of 10000 users in [\d.]+ s$/);
        const list = JSON.parse((await cli.run('user', 'list', '--json', '--limit', '1', '--search', 'user9999')).out) as { total: number; users: { displayName: string }[] };
        assert.deepEqual([list.total, list.users[0]?.displayName], [1, 'User, No. 9999']);
        // Importing the same file again creates nobody and names every line.
        const again = await cli.run('user', 'import', file);
        assert.equal(again.code, 1);
        assert.match(again.out, /^created 0 of 10000 users/);
        assert.equal(again.err.split('\n').length, 10_000);
      } finally {
        await cli.cleanup();
      }
    });

    test('user import: bad lines are reported with line numbers, good ones created, exit 1', async () => {
      const cli = await cliEnv(engine.name);
      try {
        const file = join(cli.dir, 'mixed.csv');
        writeFileSync(
          file,
          [
            'name,password,display_name,phone', // 1
            'ann,ann-password,"Ann ""The Admin"" Lee",+15550000001', // 2
            'Bad Name,password1,,', // 3
            'cid,short,,', // 4
            'dan,password1,"two', // 5  (quoted field spans into line 6)
            'lines",', // 6
            'eve,password1,,12345', // 7
            'ann,password1,,', // 8
            'fay,password1', // 9
            'gus,pass"word1,,', // 10
            '', // 11 (blank: ignored)
            'hal,secret-hal-password,,', // 12
          ].join('\n'),
        );
        const r = await cli.run('user', 'import', file);
        assert.equal(r.code, 1);
        assert.match(r.out, /^created 2 of 9 users in [\d.]+ s; 7 lines with errors$/);
        const errLines = r.err.split('\n');
        assert.deepEqual(
          errLines.map((l) => Number(/:(\d+): /.exec(l)?.[1])),
          [3, 4, 5, 7, 8, 9, 10],
        );
        assert.match(errLines[0]!, /mixed\.csv:3: name must be/);
        assert.match(errLines[1]!, /:4: password must be/);
        // A quoted field may span lines (RFC 4180), but a display name must not hold a line break.
        assert.match(errLines[2]!, /:5: display name must be/);
        assert.match(errLines[3]!, /:7: phone must be E\.164/);
        assert.match(errLines[4]!, /:8: duplicate name "ann" \(first on line 2\)/);
        assert.match(errLines[5]!, /:9: expected 4 fields, found 2/);
        assert.match(errLines[6]!, /:10: quote inside an unquoted field/);
        assert.ok(!`${r.out}${r.err}`.includes('secret-hal-password'), 'passwords from the file are never printed');
        const list = JSON.parse((await cli.run('user', 'list', '--json')).out) as { users: { name: string; displayName: string }[] };
        assert.deepEqual(list.users.map((u) => [u.name, u.displayName]), [['ann', 'Ann "The Admin" Lee'], ['hal', '']]);
        assert.deepEqual((await cli.run('user', 'import', join(cli.dir, 'missing.csv'))).code, 2);
        writeFileSync(join(cli.dir, 'bad-header.csv'), 'user,pass\nx,y\n');
        const bad = await cli.run('user', 'import', join(cli.dir, 'bad-header.csv'));
        assert.equal(bad.code, 1);
        assert.match(bad.err, /unknown column "user"/);
      } finally {
        await cli.cleanup();
      }
    });
  });
}

test('the CLI works as a separate process while a server holds the SQLite database open', async () => {
  const tmp = sqliteTestDir();
  const server = await openDatabase({ dataDir: tmp.dir, scryptCost: { log2N: 4 } });
  try {
    // The "server" keeps writing while the CLI process adds a user.
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing; i++) await server.settings.set(`tick.${i % 10}`, String(i));
    })();
    const child = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'ocs.ts'), 'user', 'add', 'zoe', '--password', 'zoe-password'],
        { env: { ...process.env, OCS_DATA_DIR: tmp.dir, OCS_DOMAIN: 'ocs.test', OCS_DB: '', OCS_SCRYPT_LOG2N: '4' }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    writing = false;
    await writes;
    assert.equal(child.code, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'created user zoe (sip:zoe@ocs.test)');
    assert.ok(await server.users.verifyPassword('zoe', 'zoe-password'), 'the server sees the user at once');
  } finally {
    await server.close();
    tmp.remove();
  }
});
