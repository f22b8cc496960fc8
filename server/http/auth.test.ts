import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, type Harness } from './testing/harness';

describe('bearer authentication and admin role', () => {
  let h: Harness;
  let alice: string;
  let root: string;
  before(async () => {
    h = await makeHarness();
    alice = await h.login('alice', 'wonderland');
    root = await h.login('root', 'rootpassword');
  });
  after(async () => { await h.app.close(); });

  const get = (url: string, token?: string) =>
    h.app.inject({ method: 'GET', url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  test('GET /api/me returns the signed-in user', async () => {
    const res = await get('/api/me', alice);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      user: { name: 'alice', displayName: 'Alice Liddell', admin: false, uri: 'sip:alice@example.test' },
      domain: 'example.test',
    });
  });

  test('no token, a malformed header, a forged or foreign token: 401 with WWW-Authenticate', async () => {
    const forged = `${alice.slice(0, -4)}AAAA`;
    for (const headers of [{}, { authorization: 'Basic YWxpY2U6d29uZGVybGFuZA==' }, { authorization: `Bearer ${forged}` },
      { authorization: 'Bearer' }, { authorization: `bearer ${alice} extra` }]) {
      const res = await h.app.inject({ method: 'GET', url: '/api/me', headers });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.json().error.code, 'UNAUTHENTICATED');
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    }
  });

  test('admin endpoints: 401 without a token, 403 for a non-admin token, 200 for an admin', async () => {
    for (const url of ['/api/admin/users', '/api/admin/registrations', '/api/admin/health']) {
      assert.equal((await get(url)).statusCode, 401, url);
      const forbidden = await get(url, alice);
      assert.equal(forbidden.statusCode, 403, url);
      assert.equal(forbidden.json().error.code, 'FORBIDDEN');
      assert.equal((await get(url, root)).statusCode, 200, url);
    }
    const post = await h.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: `Bearer ${alice}` },
      payload: { name: 'mallory', password: 'password123', admin: true } });
    assert.equal(post.statusCode, 403);
    assert.equal(h.users.findByName('mallory'), undefined);
  });

  test('a token stops working once its user is disabled, and admin rights follow the store', async () => {
    await h.users.create({ name: 'carol', displayName: 'Carol', password: 'carolpass', admin: true, realm: 'example.test' });
    const carol = await h.login('carol', 'carolpass');
    assert.equal((await get('/api/admin/users', carol)).statusCode, 200);
    h.users.setAdmin('carol', false);
    assert.equal((await get('/api/admin/users', carol)).statusCode, 403);
    h.users.setDisabled('carol', true);
    assert.equal((await get('/api/me', carol)).statusCode, 401);
  });

  test('unknown API paths are JSON 404s', async () => {
    const res = await get('/api/nothing-here', alice);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NOT_FOUND');
  });
});
