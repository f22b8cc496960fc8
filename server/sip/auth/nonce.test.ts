import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NonceService } from './nonce';

const secret = Buffer.alloc(32, 1);

function make(opts: { t?: number; maxTracked?: number; realm?: string; secret?: Buffer } = {}) {
  const clock = { t: opts.t ?? 1_700_000_000_000 };
  const svc = new NonceService({
    secret: opts.secret ?? secret,
    realm: opts.realm ?? 'ocs.test',
    ttlMs: 60_000,
    maxTracked: opts.maxTracked,
    now: () => clock.t,
  });
  return { svc, clock };
}

describe('NonceService', () => {
  test('a fresh nonce is valid, unique, and verifiable by another instance with the same secret', () => {
    const { svc, clock } = make();
    const a = svc.issue();
    assert.notEqual(a, svc.issue());
    assert.deepEqual(svc.check(a), { state: 'valid' });
    const other = new NonceService({ secret: Buffer.from(secret), realm: 'ocs.test', ttlMs: 60_000, now: () => clock.t });
    assert.deepEqual(other.check(a), { state: 'valid' });
  });

  test('expires into stale', () => {
    const { svc, clock } = make();
    const n = svc.issue();
    clock.t += 59_999;
    assert.equal(svc.check(n).state, 'valid');
    clock.t += 1;
    assert.equal(svc.check(n).state, 'stale');
  });

  test('forged, altered, other-secret and other-realm nonces are invalid', () => {
    const { svc, clock } = make();
    const n = svc.issue();
    const flipped = (n[5] === 'A' ? 'B' : 'A');
    assert.equal(svc.check(n.slice(0, 5) + flipped + n.slice(6)).state, 'invalid');
    assert.equal(svc.check('abc').state, 'invalid');
    assert.equal(svc.check('').state, 'invalid');
    assert.equal(svc.check('!'.repeat(n.length)).state, 'invalid');
    const otherSecret = new NonceService({ secret: Buffer.alloc(32, 2), realm: 'ocs.test', ttlMs: 60_000, now: () => clock.t });
    assert.equal(svc.check(otherSecret.issue()).state, 'invalid');
    const otherRealm = new NonceService({ secret, realm: 'evil.test', ttlMs: 60_000, now: () => clock.t });
    assert.equal(svc.check(otherRealm.issue()).state, 'invalid');
  });

  test('nonce-count must strictly increase', () => {
    const { svc } = make();
    const n = svc.issue();
    assert.equal(svc.acceptCount(n, 1), true);
    assert.equal(svc.acceptCount(n, 1), false);
    assert.equal(svc.acceptCount(n, 3), true);
    assert.equal(svc.acceptCount(n, 2), false);
    assert.equal(svc.acceptCount(n, 0), false);
    assert.equal(svc.acceptCount(svc.issue(), 1), true, 'a second nonce counts on its own');
  });

  test('bounded tracking never re-opens a replay after eviction', () => {
    const { svc, clock } = make({ maxTracked: 2 });
    const a = svc.issue();
    clock.t += 1;
    const b = svc.issue();
    clock.t += 1;
    const c = svc.issue();
    assert.equal(svc.acceptCount(a, 1), true);
    assert.equal(svc.acceptCount(b, 1), true);
    assert.equal(svc.acceptCount(c, 1), true); // evicts a
    assert.equal(svc.trackedCount, 2);
    assert.equal(svc.acceptCount(a, 1), false, 'replay of an evicted nonce refused');
    assert.equal(svc.acceptCount(a, 2), false, 'an evicted nonce is stale from now on');
    const d = svc.issue();
    assert.equal(svc.acceptCount(d, 1), true, 'newer nonces still work');
  });

  test('expired entries are swept before anything live is evicted', () => {
    const { svc, clock } = make({ maxTracked: 2 });
    const a = svc.issue();
    svc.acceptCount(a, 1);
    clock.t += 60_000;
    const b = svc.issue();
    const c = svc.issue();
    svc.acceptCount(b, 1);
    svc.acceptCount(c, 1); // a swept as expired, b kept
    assert.equal(svc.acceptCount(b, 1), false);
    assert.equal(svc.acceptCount(b, 2), true);
  });
});
