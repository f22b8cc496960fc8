import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, type Harness } from './testing/harness';

describe('POST /api/login', () => {
  let h: Harness;
  before(async () => { h = await makeHarness({ maxFailures: 3 }); });
  after(async () => { await h.app.close(); });

  const login = (payload: unknown, remoteAddress = '10.0.0.1') =>
    h.app.inject({ method: 'POST', url: '/api/login', payload: payload as object, remoteAddress });

  for (const user of ['alice', 'alice@example.test', 'sip:alice@example.test', '  Alice@Example.TEST ']) {
    test(`accepts "${user}" and returns a token, expiry and the user`, async () => {
      const res = await login({ user, password: 'wonderland' }, '10.0.0.2');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(typeof body.token, 'string');
      assert.ok(h.tokens.verify(body.token)?.sub === 'alice');
      assert.ok(Date.parse(body.expiresAt) > Date.now());
      assert.deepEqual(body.user, { name: 'alice', displayName: 'Alice Liddell', admin: false, uri: 'sip:alice@example.test' });
      assert.equal(res.headers['cache-control'], 'no-store');
    });
  }

  test('wrong password, unknown user, other domain and disabled user all get the same 401', async () => {
    await h.users.create({ name: 'dora', displayName: 'Dora', password: 'explorer1', realm: 'example.test' });
    h.users.setDisabled('dora', true);
    const bodies = [];
    for (const [user, password, ip] of [
      ['alice', 'nope', '10.1.0.1'], ['nobody', 'wonderland', '10.1.0.2'],
      ['alice@elsewhere.test', 'wonderland', '10.1.0.3'], ['dora', 'explorer1', '10.1.0.4'], ['bad name!', 'x', '10.1.0.5'],
    ] as const) {
      const res = await login({ user, password }, ip);
      assert.equal(res.statusCode, 401, `${user}: ${res.body}`);
      bodies.push(res.body);
    }
    assert.equal(new Set(bodies).size, 1);
    assert.deepEqual(JSON.parse(bodies[0]!), { error: { code: 'INVALID_CREDENTIALS', message: 'The user name or password is incorrect.' } });
    h.lockout.succeed(['user:alice']);
  });

  test('schema errors are 400 with a coded body', async () => {
    for (const payload of [{ user: 'alice' }, { password: 'x' }, { user: '', password: 'x' }, { user: 5, password: {} }]) {
      const res = await login(payload, '10.2.0.1');
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().error.code, 'BAD_REQUEST');
    }
    const notJson = await h.app.inject({ method: 'POST', url: '/api/login', headers: { 'content-type': 'application/json' }, payload: '{"user":' });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error.code, 'BAD_REQUEST');
    const wrongType = await h.app.inject({ method: 'POST', url: '/api/login', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    assert.equal(wrongType.statusCode, 415);
    assert.equal(wrongType.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('locks a user out after repeated failures (429 + Retry-After), even with the right password', async () => {
    await h.users.create({ name: 'bob', displayName: 'Bob', password: 'builder123', realm: 'example.test' });
    for (let i = 0; i < 3; i++) {
      // Different addresses: only the per-user counter reaches its limit.
      assert.equal((await login({ user: 'bob', password: 'wrong' }, `10.3.0.${i + 1}`)).statusCode, 401);
    }
    const locked = await login({ user: 'sip:bob@example.test', password: 'builder123' }, '10.3.0.9');
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'LOCKED_OUT');
    assert.ok(Number(locked.headers['retry-after']) >= 1);
  });

  test('locks a client address out after failures across several names', async () => {
    for (const user of ['x1', 'x2', 'x3']) assert.equal((await login({ user, password: 'p' }, '10.4.0.1')).statusCode, 401);
    const res = await login({ user: 'alice', password: 'wonderland' }, '10.4.0.1');
    assert.equal(res.statusCode, 429);
    assert.ok(res.headers['retry-after']);
    // Another address is not affected.
    assert.equal((await login({ user: 'alice', password: 'wonderland' }, '10.4.0.2')).statusCode, 200);
  });

  test('never logs passwords or tokens', async () => {
    const res = await login({ user: 'alice', password: 'wonderland' }, '10.5.0.1');
    const token = res.json().token as string;
    await h.app.inject({ method: 'GET', url: `/api/me?access_token=${token}`, headers: { authorization: `Bearer ${token}` } });
    const all = h.logLines.join('\n');
    assert.ok(all.includes('login'), 'logins are logged');
    assert.ok(!all.includes('wonderland'));
    assert.ok(!all.includes(token));
    assert.ok(!all.includes('access_token'));
  });
});
