import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { SipResponse } from '../message/types';
import { DOMAIN, answer, challengesOf, fail, makeFlow, request, setup } from './authenticator.testkit';

describe('Authenticator: challenges', () => {
  test('REGISTER gets 401 with one WWW-Authenticate per algorithm, MD5 first and last by default', async () => {
    const { auth } = setup();
    const res = fail(await auth.authenticate(request('REGISTER'), makeFlow()));
    assert.equal(res.status, 401);
    assert.equal(res.headers.getAll('Proxy-Authenticate').length, 0);
    const ch = challengesOf(res);
    // First-readers (SIPp) and last-readers (sip.js, JsSIP) both find MD5.
    assert.deepEqual(ch.map((c) => c.params.get('algorithm')), ['MD5', 'SHA-256', 'MD5']);
    for (const c of ch) {
      assert.equal(c.params.get('realm'), DOMAIN);
      assert.equal(c.params.get('qop'), 'auth');
      assert.ok(c.params.get('nonce'));
      assert.ok(c.params.get('opaque'));
      assert.equal(c.params.has('stale'), false);
      assert.match(c.raw, /^Digest /);
    }
  });

  test('other requests get 407 with Proxy-Authenticate', async () => {
    const { auth } = setup();
    const res = fail(await auth.authenticate(request('INVITE'), makeFlow()));
    assert.equal(res.status, 407);
    assert.equal(challengesOf(res).length, 3);
    assert.equal(res.headers.getAll('WWW-Authenticate').length, 0);
  });

  test('algorithm order is configurable; an algorithm not configured is refused', async () => {
    const { auth, roundTrip } = setup({ digestAlgorithms: ['SHA-256', 'MD5'] });
    const res = fail(await auth.authenticate(request('REGISTER'), makeFlow()));
    assert.deepEqual(challengesOf(res).map((c) => c.params.get('algorithm')), ['SHA-256', 'MD5']);
    assert.equal((await roundTrip('REGISTER', 'alice', 'wonderland')).ok, true);

    const only = setup({ digestAlgorithms: ['SHA-256'] });
    const ch = challengesOf(fail(await only.auth.authenticate(request('REGISTER'), makeFlow())));
    assert.deepEqual(ch.map((c) => c.params.get('algorithm')), ['SHA-256']);
    const req = request('REGISTER');
    req.headers.append('Authorization', answer(req, ch[0]!, 'alice', 'wonderland', { algorithm: 'MD5' }));
    const refused = fail(await only.auth.authenticate(req, makeFlow()));
    assert.equal(refused.status, 401, 'an MD5 answer is not accepted when only SHA-256 is configured');
  });
});

describe('Authenticator: digest round trips', () => {
  for (const algorithm of ['MD5', 'SHA-256', 'MD5-sess', 'SHA-256-sess']) {
    for (const method of ['REGISTER', 'INVITE']) {
      test(`${algorithm} ${method}`, async () => {
        const { roundTrip } = setup();
        assert.deepEqual(await roundTrip(method, 'alice', 'wonderland', { algorithm }), { ok: true, user: 'alice', method: 'digest' });
      });
    }
  }

  test('wrong password: a fresh challenge, not stale', async () => {
    const { roundTrip } = setup();
    const res = fail(await roundTrip('REGISTER', 'alice', 'nope'));
    assert.equal(res.status, 401);
    assert.equal(challengesOf(res)[0]!.params.has('stale'), false);
  });

  test('expired nonce with the right password: challenged again with stale=true', async () => {
    const { auth, clock, settings } = setup();
    const flow = makeFlow();
    const ch = challengesOf(fail(await auth.authenticate(request('REGISTER'), flow)))[0]!;
    clock.t += settings.nonceTtlMs;
    const good = request('REGISTER');
    good.headers.append('Authorization', answer(good, ch, 'alice', 'wonderland'));
    const res = fail(await auth.authenticate(good, flow));
    assert.equal(res.status, 401);
    assert.ok(challengesOf(res).every((c) => c.params.get('stale') === 'true'));
    // Wrong password with the same old nonce: not stale (RFC 7616 §3.3: stale only for a valid digest).
    const bad = request('REGISTER');
    bad.headers.append('Authorization', answer(bad, ch, 'alice', 'wrong'));
    assert.equal(challengesOf(fail(await auth.authenticate(bad, flow)))[0]!.params.has('stale'), false);
  });

  test('nonce-count replay is refused; a higher nc on the same nonce is accepted', async () => {
    const { auth } = setup();
    const flow = makeFlow();
    const ch = challengesOf(fail(await auth.authenticate(request('REGISTER'), flow)))[0]!;
    const req1 = request('REGISTER');
    const cred1 = answer(req1, ch, 'alice', 'wonderland', { nc: 1 });
    req1.headers.append('Authorization', cred1);
    assert.equal((await auth.authenticate(req1, flow)).ok, true);
    const replay = request('REGISTER');
    replay.headers.append('Authorization', cred1);
    const res = fail(await auth.authenticate(replay, flow));
    assert.equal(res.status, 401);
    assert.equal(challengesOf(res)[0]!.params.get('stale'), 'true');
    const next = request('REGISTER');
    next.headers.append('Authorization', answer(next, ch, 'alice', 'wonderland', { nc: 2 }));
    assert.equal((await auth.authenticate(next, flow)).ok, true);
    const lower = request('REGISTER');
    lower.headers.append('Authorization', answer(lower, ch, 'alice', 'wonderland', { nc: 1, cnonce: 'other' }));
    assert.equal(fail(await auth.authenticate(lower, flow)).status, 401);
  });

  test('a digest uri other than the Request-URI is a 400', async () => {
    const { auth } = setup();
    const ch = challengesOf(fail(await auth.authenticate(request('INVITE'), makeFlow())))[0]!;
    const req = request('INVITE');
    req.headers.append('Proxy-Authorization', answer(req, ch, 'alice', 'wonderland', { uri: `sip:carol@${DOMAIN}` }));
    const res = fail(await auth.authenticate(req, makeFlow()));
    assert.equal(res.status, 400);
  });

  test('credentials for another realm are left alone: challenged', async () => {
    const { auth } = setup();
    const ch = challengesOf(fail(await auth.authenticate(request('INVITE'), makeFlow())))[0]!;
    ch.params.set('realm', 'elsewhere.test');
    const req = request('INVITE');
    req.headers.append('Proxy-Authorization', answer(req, ch, 'alice', 'wonderland'));
    assert.equal(fail(await auth.authenticate(req, makeFlow())).status, 407);
  });
});

/** The observable shape of a refusal: everything but the random nonce. */
function shape(res: SipResponse): unknown {
  return {
    status: res.status,
    reason: res.reason,
    headers: res.headers.entries().map((h) => h.name),
    challenges: challengesOf(res).map((c) => c.raw.replace(/nonce="[^"]*"/, 'nonce=""')),
  };
}

describe('Authenticator: user enumeration resistance', () => {
  test('unknown and disabled users get exactly the wrong-password answer', async () => {
    const { roundTrip } = setup();
    const wrong = shape(fail(await roundTrip('REGISTER', 'alice', 'nope', { flow: makeFlow('192.0.2.1') })));
    const unknown = shape(fail(await roundTrip('REGISTER', 'nobody', 'nope', { flow: makeFlow('192.0.2.2') })));
    const disabled = shape(fail(await roundTrip('REGISTER', 'mallory', 'gone', { flow: makeFlow('192.0.2.3') })));
    assert.deepEqual(unknown, wrong);
    assert.deepEqual(disabled, wrong);
  });

  test('unknown users lock out exactly like known users', async () => {
    const { roundTrip, settings } = setup();
    const answers = async (user: string) => {
      const out: unknown[] = [];
      for (let i = 0; i <= settings.maxFailures; i++) {
        out.push(shape(fail(await roundTrip('REGISTER', user, 'nope', { flow: makeFlow(`198.51.100.${i}`) }))));
      }
      return out;
    };
    assert.deepEqual(await answers('nobody'), await answers('alice'));
  });
});

describe('Authenticator: lock-out', () => {
  test('per user: after maxFailures from anywhere, even the right password gets 403 until it ends', async () => {
    const { roundTrip, clock, settings } = setup({ maxFailures: 3, lockoutMs: 60_000 });
    for (let i = 0; i < 2; i++) assert.equal(fail(await roundTrip('REGISTER', 'alice', 'x', { flow: makeFlow(`203.0.113.${i}`) })).status, 401);
    const third = fail(await roundTrip('REGISTER', 'alice', 'x', { flow: makeFlow('203.0.113.2') }));
    assert.equal(third.status, 403);
    assert.equal(third.reason, 'Forbidden (too many failed attempts)');
    const locked = fail(await roundTrip('REGISTER', 'alice', 'wonderland', { flow: makeFlow('203.0.113.99') }));
    assert.equal(locked.status, 403);
    assert.equal(locked.headers.get('Retry-After'), '60');
    assert.equal((await roundTrip('REGISTER', 'bob', 'builder', { flow: makeFlow('203.0.113.98') })).ok, true, 'other users unaffected');
    clock.t += settings.lockoutMs;
    assert.equal((await roundTrip('REGISTER', 'alice', 'wonderland', { flow: makeFlow('203.0.113.99') })).ok, true);
  });

  test('per IP: failures for several users lock the address for everyone, until it ends', async () => {
    const { roundTrip, auth, clock } = setup({ maxFailures: 3, lockoutMs: 30_000 });
    const ip = '198.51.100.7';
    for (const u of ['u1', 'u2', 'u3']) await roundTrip('REGISTER', u, 'x', { flow: makeFlow(ip) });
    assert.equal(fail(await roundTrip('REGISTER', 'bob', 'builder', { flow: makeFlow(ip) })).status, 403);
    assert.equal(fail(await auth.authenticate(request('REGISTER'), makeFlow(ip))).status, 403, 'even without credentials');
    assert.equal((await roundTrip('REGISTER', 'bob', 'builder', { flow: makeFlow('198.51.100.8') })).ok, true);
    clock.t += 30_000;
    assert.equal((await roundTrip('REGISTER', 'bob', 'builder', { flow: makeFlow(ip) })).ok, true);
  });

  test('an IPv4-mapped IPv6 address shares the IPv4 counter', async () => {
    const { roundTrip } = setup({ maxFailures: 2 });
    await roundTrip('REGISTER', 'u1', 'x', { flow: makeFlow('::ffff:192.0.2.99') });
    await roundTrip('REGISTER', 'u2', 'x', { flow: makeFlow('192.0.2.99') });
    assert.equal(fail(await roundTrip('REGISTER', 'bob', 'builder', { flow: makeFlow('::FFFF:192.0.2.99') })).status, 403);
  });

  test('a success clears the user counter', async () => {
    const { roundTrip } = setup({ maxFailures: 2 });
    await roundTrip('REGISTER', 'alice', 'x', { flow: makeFlow('192.0.2.50') });
    assert.equal((await roundTrip('REGISTER', 'alice', 'wonderland', { flow: makeFlow('192.0.2.51') })).ok, true);
    assert.equal(fail(await roundTrip('REGISTER', 'alice', 'x', { flow: makeFlow('192.0.2.52') })).status, 401, 'counter restarted');
  });
});
