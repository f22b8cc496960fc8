import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TokenService } from '../../auth/tokens';
import { DOMAIN, fail, makeFlow, request, setup } from './authenticator.testkit';
import { assertIdentity } from './identity';

describe('Authenticator: bearer and flow', () => {
  test('a valid bearer token authenticates', async () => {
    const { auth, tokens } = setup();
    const { token } = tokens.issue({ sub: 'alice', admin: false });
    const req = request('INVITE', { headers: [['Proxy-Authorization', `Bearer ${token}`]] });
    assert.deepEqual(await auth.authenticate(req, makeFlow()), { ok: true, user: 'alice', method: 'bearer' });
    const reg = request('REGISTER', { headers: [['Authorization', `Bearer ${token}`]] });
    assert.equal((await auth.authenticate(reg, makeFlow())).ok, true);
  });

  test('expired and forged tokens are refused with the Digest challenges plus Bearer invalid_token', async () => {
    const { auth, tokens, clock } = setup();
    const { token } = tokens.issue({ sub: 'alice', admin: false });
    const forgedBy = new TokenService(Buffer.alloc(32, 1), 60_000, () => clock.t);
    for (const bad of [forgedBy.issue({ sub: 'alice', admin: true }).token, 'not-a-token']) {
      const res = fail(await auth.authenticate(request('REGISTER', { headers: [['Authorization', `Bearer ${bad}`]] }), makeFlow()));
      assert.equal(res.status, 401);
      const values = res.headers.getAll('WWW-Authenticate');
      assert.match(values[0]!, /^Digest /);
      assert.match(values.at(-1)!, /^Bearer .*error="invalid_token"/);
    }
    clock.t += 60_000;
    const expired = fail(await auth.authenticate(request('REGISTER', { headers: [['Authorization', `Bearer ${token}`]] }), makeFlow()));
    assert.equal(expired.status, 401);
  });

  test('forged tokens count toward the IP lock-out', async () => {
    const { auth } = setup({ maxFailures: 2 });
    const flow = makeFlow('192.0.2.77');
    const bad = () => request('INVITE', { headers: [['Proxy-Authorization', 'Bearer Zm9v.YmFy']] });
    assert.equal(fail(await auth.authenticate(bad(), flow)).status, 407);
    assert.equal(fail(await auth.authenticate(bad(), flow)).status, 403);
  });

  test('a valid token of a disabled user is refused', async () => {
    const { auth, tokens } = setup();
    const { token } = tokens.issue({ sub: 'mallory', admin: false });
    const res = fail(await auth.authenticate(request('INVITE', { from: 'mallory', headers: [['Proxy-Authorization', `Bearer ${token}`]] }), makeFlow()));
    assert.equal(res.status, 403);
  });

  test('a flow opened with a token is accepted without a challenge', async () => {
    const { auth } = setup();
    const flow = makeFlow();
    flow.attributes.set('authUser', 'alice');
    assert.deepEqual(await auth.authenticate(request('MESSAGE'), flow), { ok: true, user: 'alice', method: 'flow' });
    assert.deepEqual(await auth.authenticate(request('REGISTER'), flow), { ok: true, user: 'alice', method: 'flow' });
  });
});

describe('Authenticator: identity', () => {
  const MISMATCH = 'Forbidden (From does not match authenticated identity)';

  test('From must be the authenticated user (digest, bearer, flow)', async () => {
    const { roundTrip, auth, tokens } = setup();
    // bob's credentials in a request From alice.
    const digest = fail(await roundTrip('INVITE', 'bob', 'builder', { from: 'alice' }));
    assert.equal(digest.status, 403);
    assert.equal(digest.reason, MISMATCH);
    const { token } = tokens.issue({ sub: 'bob', admin: false });
    const bearer = fail(await auth.authenticate(request('INVITE', { headers: [['Proxy-Authorization', `Bearer ${token}`]] }), makeFlow()));
    assert.equal(bearer.reason, MISMATCH);
    const flow = makeFlow();
    flow.attributes.set('authUser', 'bob');
    assert.equal(fail(await auth.authenticate(request('MESSAGE'), flow)).reason, MISMATCH);
  });

  test('a From in another domain does not match', async () => {
    const { auth } = setup();
    const flow = makeFlow();
    flow.attributes.set('authUser', 'alice');
    const req = request('MESSAGE');
    req.headers.set('From', '<sip:alice@evil.test>;tag=1');
    assert.equal(fail(await auth.authenticate(req, flow)).status, 403);
  });

  test('the caller can exempt a request', async () => {
    const { auth } = setup();
    const flow = makeFlow();
    flow.attributes.set('authUser', 'bob');
    assert.deepEqual(await auth.authenticate(request('MESSAGE'), flow, { identityExempt: true }), { ok: true, user: 'bob', method: 'flow' });
  });
});

describe('assertIdentity', () => {
  test('replaces client identity headers and removes our credentials, keeping other realms', () => {
    const req = request('INVITE', {
      headers: [
        ['P-Asserted-Identity', '<sip:ceo@ocs.test>'],
        ['P-Preferred-Identity', '<sip:ceo@ocs.test>'],
        ['Proxy-Authorization', `Digest username="alice", realm="${DOMAIN}", nonce="n", uri="sip:bob@ocs.test", response="r"`],
        ['Proxy-Authorization', 'Digest username="alice", realm="other.test", nonce="n", uri="sip:bob@ocs.test", response="r"'],
        ['Proxy-Authorization', 'Bearer secret.token'],
      ],
    });
    assertIdentity(req, 'alice', DOMAIN);
    assert.deepEqual(req.headers.getAll('P-Asserted-Identity'), ['<sip:alice@ocs.test>']);
    assert.deepEqual(req.headers.getAll('P-Preferred-Identity'), []);
    const left = req.headers.getAll('Proxy-Authorization');
    assert.equal(left.length, 1);
    assert.match(left[0]!, /realm="other\.test"/);
  });
});
