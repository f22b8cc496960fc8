import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../dispatcher/testing';
import { PoolCredentials } from './credentials';

const SECRET = Buffer.alloc(32, 7);
const msg = () => request(`MESSAGE sip:bob@ocs.test SIP/2.0
Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1
From: <sip:alice@ocs.test>;tag=1
To: <sip:bob@ocs.test>
Call-ID: c1
CSeq: 7 MESSAGE
Max-Forwards: 70
`);

test('a member verifies what another member signed; not its own, not a stranger, not with another secret', () => {
  let now = 1_000_000;
  const clock = () => now;
  const fe1 = new PoolCredentials(SECRET, 'fe1', () => true, 30_000, clock);
  const fe2 = new PoolCredentials(SECRET, 'fe2', (id) => id === 'fe1', 30_000, clock);
  const req = msg();
  const value = fe1.sign(req);
  assert.deepEqual(fe2.verify(req, value), { ok: true, frontEnd: 'fe1' });
  assert.deepEqual(fe1.verify(req, value), { ok: false, why: 'not a live member' }, 'our own signature coming back is a loop, not a peer');
  const stranger = new PoolCredentials(SECRET, 'fe2', () => false, 30_000, clock);
  assert.equal(stranger.verify(req, value).ok, false);
  const otherPool = new PoolCredentials(Buffer.alloc(32, 8), 'fe2', () => true, 30_000, clock);
  assert.deepEqual(otherPool.verify(req, value), { ok: false, why: 'bad mac' });
  now += 30_001;
  assert.deepEqual(fe2.verify(req, value), { ok: false, why: 'stale' });
});

test('the MAC covers the method, Call-ID and CSeq; malformed values are refused', () => {
  const fe1 = new PoolCredentials(SECRET, 'fe1', () => true);
  const fe2 = new PoolCredentials(SECRET, 'fe2', () => true);
  const req = msg();
  const value = fe1.sign(req);
  const other = msg();
  other.headers.set('CSeq', '8 MESSAGE');
  assert.deepEqual(fe2.verify(other, value), { ok: false, why: 'bad mac' });
  other.headers.set('CSeq', '7 MESSAGE');
  other.headers.set('Call-ID', 'c2');
  assert.deepEqual(fe2.verify(other, value), { ok: false, why: 'bad mac' });
  for (const bad of ['', 'fe=fe1', 'fe=fe1;ts=x;mac=AAAAAAAAAAAAAAAAAAAAAA', 'fe=fe1;ts=1;mac=short', `fe=fe1;ts=${Date.now()};mac=${'A'.repeat(22)}`]) {
    assert.equal(fe2.verify(req, bad).ok, false, bad);
  }
});
