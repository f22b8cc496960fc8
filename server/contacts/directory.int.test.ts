/** GET /api/directory against a whole Front End: bearer required, name/display name search, no phones. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordOf, TestFrontEnd } from '../testing/frontend';

let t: TestFrontEnd;
let token: string;

before(async () => {
  t = await TestFrontEnd.start({ users: [{ name: 'alice', password: passwordOf('alice') }] });
  const users = t.fe.db.users;
  await users.create({ name: 'bob.smith', password: passwordOf('bob.smith'), displayName: 'Bob Smith', phone: '+14255550100' }, t.domain);
  await users.create({ name: 'bobby', password: passwordOf('bobby'), displayName: 'Robert Tables' }, t.domain);
  await users.create({ name: 'gone', password: passwordOf('gone'), displayName: 'Bob Gone' }, t.domain);
  await users.setDisabled('gone', true);
  token = await t.login('alice');
});
after(async () => {
  await t?.close();
});

async function get(query: string, auth: string | null = token): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${t.httpPort}/api/directory${query}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {}, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.json() };
}

test('directory search needs a bearer token', async () => {
  assert.equal((await get('?q=bob', null)).status, 401);
  assert.equal((await get('?q=bob', 'not-a-token')).status, 401);
});

test('matches name or display name of enabled users; returns name, display name and SIP URI only', async () => {
  const { status, body } = await get('?q=BOB');
  assert.equal(status, 200);
  assert.deepEqual(body, {
    items: [
      { name: 'bob.smith', displayName: 'Bob Smith', uri: `sip:bob.smith@${t.domain}` },
      { name: 'bobby', displayName: 'Robert Tables', uri: `sip:bobby@${t.domain}` },
    ],
  });
  assert.deepEqual((await get('?q=tables')).body, { items: [{ name: 'bobby', displayName: 'Robert Tables', uri: `sip:bobby@${t.domain}` }] });
  // A phone number is not searchable (it would reveal whose it is).
  assert.deepEqual((await get('?q=%2B1425')).body, { items: [] });
  // LIKE wildcards are literal.
  assert.deepEqual((await get('?q=%25')).body, { items: [] });
  assert.equal(((await get('?q=b&limit=1')).body as { items: unknown[] }).items.length, 1);
});

test('bad queries are 400', async () => {
  assert.equal((await get('')).status, 400);
  assert.equal((await get(`?q=${'a'.repeat(65)}`)).status, 400);
  assert.equal((await get('?q=a&limit=500')).status, 400);
});
