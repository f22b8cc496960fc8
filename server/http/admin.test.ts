import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, type Harness } from './testing/harness';

describe('admin API', () => {
  let h: Harness;
  let root: string;
  before(async () => {
    h = await makeHarness({
      admin: {
        registrations: async () => [{
          user: 'alice', aor: 'sip:alice@example.test', contact: '<sip:abc@df.invalid;transport=ws>',
          instanceId: '<urn:uuid:1>', transport: 'WS', remote: '127.0.0.1:5000', expiresAt: new Date(0).toISOString(),
        }],
      },
    });
    root = await h.login('root', 'rootpassword');
    for (let i = 0; i < 12; i++) {
      await h.users.create({ name: `user${String(i).padStart(2, '0')}`, displayName: `Test User ${i}`, password: 'password1', realm: 'example.test' });
    }
  });
  after(async () => { await h.app.close(); });

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${root}` }, ...(payload ? { payload } : {}) });

  test('lists users with paging and search', async () => {
    const page = await call('GET', '/api/admin/users?offset=2&limit=5');
    assert.equal(page.statusCode, 200);
    const body = page.json();
    assert.equal(body.total, 14);
    assert.equal(body.users.length, 5);
    assert.equal(body.offset, 2);
    assert.equal(body.users[0].uri, `sip:${body.users[0].name}@example.test`);
    assert.ok(!Number.isNaN(Date.parse(body.users[0].createdAt)));
    assert.ok(!('hash' in body.users[0]) && !('salt' in body.users[0]) && !('id' in body.users[0]));

    const found = (await call('GET', '/api/admin/users?search=liddell')).json();
    assert.deepEqual(found.users.map((u: { name: string }) => u.name), ['alice']);
    assert.equal((await call('GET', '/api/admin/users?limit=0')).statusCode, 400);
    assert.equal((await call('GET', '/api/admin/users?limit=1000')).statusCode, 400);
  });

  test('adds a user who can then sign in; duplicates are 409, bad input 400', async () => {
    const res = await call('POST', '/api/admin/users', { name: 'eve', displayName: 'Eve Adams', password: 'evepassword', phone: '+1 555 0100' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().uri, 'sip:eve@example.test');
    assert.equal(res.json().phone, '+1 555 0100');
    assert.ok(await h.login('eve', 'evepassword'));
    const dup = await call('POST', '/api/admin/users', { name: 'eve', password: 'evepassword' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'USER_EXISTS');
    for (const bad of [{ name: 'Bad Name', password: 'password1' }, { name: 'ok', password: 'short' }, { password: 'password1' }]) {
      assert.equal((await call('POST', '/api/admin/users', bad)).statusCode, 400, JSON.stringify(bad));
    }
  });

  test('disable blocks sign-in, enable restores it', async () => {
    const off = await call('POST', '/api/admin/users/user01/disable');
    assert.equal(off.statusCode, 200);
    assert.equal(off.json().disabled, true);
    const denied = await h.app.inject({ method: 'POST', url: '/api/login', payload: { user: 'user01', password: 'password1' } });
    assert.equal(denied.statusCode, 401);
    const on = await call('POST', '/api/admin/users/user01/enable');
    assert.equal(on.json().disabled, false);
    assert.ok(await h.login('user01', 'password1'));
  });

  test('grant and revoke admin; an admin cannot demote or disable themselves', async () => {
    assert.equal((await call('POST', '/api/admin/users/user02/admin')).json().admin, true);
    assert.equal((await call('POST', '/api/admin/users/user02/admin', { admin: false })).json().admin, false);
    assert.equal((await call('POST', '/api/admin/users/user02/admin', { admin: 'yes' })).statusCode, 400);
    const self = await call('POST', '/api/admin/users/root/admin', { admin: false });
    assert.equal(self.statusCode, 409);
    assert.equal(self.json().error.code, 'CANNOT_MODIFY_SELF');
    assert.equal((await call('POST', '/api/admin/users/root/disable')).statusCode, 409);
    assert.equal(h.users.findByName('root')?.admin, true);
  });

  test('reset password replaces the old one', async () => {
    const res = await call('POST', '/api/admin/users/user03/reset-password', { password: 'brand-new-pass' });
    assert.equal(res.statusCode, 204);
    assert.ok(await h.login('user03', 'brand-new-pass'));
    await assert.rejects(h.login('user03', 'password1'));
    assert.equal((await call('POST', '/api/admin/users/user03/reset-password', { password: 'x' })).statusCode, 400);
  });

  test('unknown users are 404 on every action', async () => {
    for (const action of ['disable', 'enable', 'admin']) {
      const res = await call('POST', `/api/admin/users/ghost/${action}`);
      assert.equal(res.statusCode, 404, action);
      assert.equal(res.json().error.code, 'NOT_FOUND');
    }
    assert.equal((await call('POST', '/api/admin/users/ghost/reset-password', { password: 'password1' })).statusCode, 404);
  });

  test('registrations come from the registrar view; health adds process facts', async () => {
    const regs = await call('GET', '/api/admin/registrations');
    assert.equal(regs.statusCode, 200);
    assert.equal(regs.json().registrations[0].user, 'alice');
    assert.equal(regs.json().registrations[0].transport, 'WS');
    const health = (await call('GET', '/api/admin/health')).json();
    assert.equal(health.ready, true);
    assert.equal(typeof health.uptimeSec, 'number');
    assert.equal(health.server, 'OCS-Web');
  });

  test('registrations are an empty list when no registrar view is wired', async () => {
    const bare = await makeHarness();
    try {
      const token = await bare.login('root', 'rootpassword');
      const res = await bare.app.inject({ method: 'GET', url: '/api/admin/registrations', headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual(res.json(), { registrations: [] });
    } finally {
      await bare.app.close();
    }
  });
});
