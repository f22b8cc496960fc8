import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Lockout } from './lockout';

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('Lockout', () => {
  test('locks a key after maxFailures and unlocks after lockoutMs', () => {
    const c = clock();
    const lo = new Lockout({ maxFailures: 3, lockoutMs: 10_000, now: c.now });
    const keys = ['user:alice', 'ip:1.2.3.4'];
    lo.fail(keys);
    lo.fail(keys);
    assert.deepEqual(lo.isLocked(keys), { locked: false });
    lo.fail(keys);
    assert.deepEqual(lo.isLocked(['user:alice']), { locked: true, retryAfterSec: 10 });
    assert.equal(lo.isLocked(['ip:1.2.3.4']).locked, true);
    assert.equal(lo.isLocked(['user:bob', 'ip:9.9.9.9']).locked, false);
    c.t = 9_001;
    assert.deepEqual(lo.isLocked(keys), { locked: true, retryAfterSec: 1 });
    c.t = 10_000;
    assert.deepEqual(lo.isLocked(keys), { locked: false });
    // Starts from zero again.
    lo.fail(keys);
    assert.equal(lo.isLocked(keys).locked, false);
  });

  test('any one locked key locks the set (per user and per IP independently)', () => {
    const c = clock();
    const lo = new Lockout({ maxFailures: 2, lockoutMs: 5_000, now: c.now });
    lo.fail(['user:alice', 'ip:10.0.0.1']);
    lo.fail(['user:alice', 'ip:10.0.0.2']);
    assert.equal(lo.isLocked(['user:alice', 'ip:10.0.0.3']).locked, true, 'user locked from any address');
    assert.equal(lo.isLocked(['user:bob', 'ip:10.0.0.1']).locked, false);
    lo.fail(['user:bob', 'ip:10.0.0.9']);
    lo.fail(['user:carol', 'ip:10.0.0.9']);
    assert.equal(lo.isLocked(['user:dave', 'ip:10.0.0.9']).locked, true, 'IP locked for any user');
  });

  test('failures spread wider than the window are forgotten', () => {
    const c = clock();
    const lo = new Lockout({ maxFailures: 2, lockoutMs: 1_000, now: c.now });
    lo.fail(['user:a']);
    c.t = 1_500;
    lo.fail(['user:a']);
    assert.equal(lo.isLocked(['user:a']).locked, false);
  });

  test('failures while locked do not extend the lock', () => {
    const c = clock();
    const lo = new Lockout({ maxFailures: 1, lockoutMs: 1_000, now: c.now });
    lo.fail(['user:a']);
    c.t = 900;
    lo.fail(['user:a']);
    c.t = 1_000;
    assert.equal(lo.isLocked(['user:a']).locked, false);
  });

  test('succeed clears the counter', () => {
    const lo = new Lockout({ maxFailures: 2, lockoutMs: 1_000, now: () => 0 });
    lo.fail(['user:a']);
    lo.succeed(['user:a']);
    lo.fail(['user:a']);
    assert.equal(lo.isLocked(['user:a']).locked, false);
  });

  test('memory is bounded: expired entries swept first, then the least recently touched', () => {
    const c = clock();
    const lo = new Lockout({ maxFailures: 1, lockoutMs: 1_000, maxEntries: 3, now: c.now });
    lo.fail(['ip:1']);
    c.t = 600;
    lo.fail(['ip:2']);
    lo.fail(['ip:3']);
    c.t = 1_100; // ip:1 expired
    lo.fail(['ip:4']);
    assert.equal(lo.size, 3);
    assert.equal(lo.isLocked(['ip:2']).locked, true);
    lo.fail(['ip:5']); // nothing expired: ip:2 (oldest touched) goes
    assert.equal(lo.size, 3);
    assert.equal(lo.isLocked(['ip:2']).locked, false);
    assert.equal(lo.isLocked(['ip:3', 'ip:4', 'ip:5']).locked, true);
    for (let i = 0; i < 1000; i++) lo.fail([`ip:x${i}`]);
    assert.equal(lo.size, 3);
  });
});
