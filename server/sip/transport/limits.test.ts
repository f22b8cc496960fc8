import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionLimiter, TokenBucket, defaultLimitKey } from './limits';
import { stampVia } from './via-stamp';
import { topVia } from '../message/accessors';
import { parseMessage } from '../message/parse';
import type { SipRequest } from '../message/types';

test('token bucket: burst, refill, Retry-After', () => {
  const b = new TokenBucket(2, 4, 0);
  for (let i = 0; i < 4; i++) assert.equal(b.take(0), true);
  assert.equal(b.take(0), false);
  assert.equal(b.secondsUntilToken(), 1);
  assert.equal(b.take(500), true, 'one token after 500 ms at 2/s');
  assert.equal(b.take(500), false);
});

test('connection limiter: per-key and global caps, release frees the peer state', () => {
  let now = 0;
  const l = new ConnectionLimiter({ maxConnectionsPerIp: 2, maxConnections: 3, maxRequestsPerSecondPerIp: 1 }, defaultLimitKey, () => now);
  assert.deepEqual(l.admit('::ffff:10.0.0.1'), { ok: true, key: '10.0.0.1' });
  assert.equal(l.admit('10.0.0.1').ok, true);
  assert.equal(l.admit('10.0.0.1').ok, false);
  assert.equal(l.admit('10.0.0.2').ok, true);
  assert.equal(l.admit('10.0.0.3').ok, false, 'global cap');
  assert.equal(l.takeRequest('10.0.0.1').ok, true);
  assert.equal(l.takeRequest('10.0.0.1').ok, true);
  assert.deepEqual(l.takeRequest('10.0.0.1'), { ok: false, retryAfter: 1 });
  now = 1000;
  assert.equal(l.takeRequest('10.0.0.1').ok, true);
  l.release('10.0.0.1');
  l.release('10.0.0.1');
  l.release('10.0.0.2');
  assert.deepEqual(l.stats(), { connections: 0, peers: 0 });
});

test('connection limiter: trusted addresses (pool members) pass the per-IP caps and rate, not the global cap', () => {
  const l = new ConnectionLimiter({ maxConnectionsPerIp: 1, maxConnections: 3, maxRequestsPerSecondPerIp: 1 }, defaultLimitKey, () => 0);
  l.trust(['::ffff:10.0.0.9']);
  assert.equal(l.admit('10.0.0.9').ok, true);
  assert.equal(l.admit('10.0.0.9').ok, true, 'a second connection from a member');
  assert.equal(l.wouldAdmit('10.0.0.9'), true);
  for (let i = 0; i < 10; i++) assert.equal(l.takeRequest('10.0.0.9').ok, true);
  assert.equal(l.admit('10.0.0.1').ok, true);
  assert.equal(l.admit('10.0.0.9').ok, false, 'global cap');
  l.trust([]);
  assert.equal(l.takeRequest('10.0.0.9').ok, true, 'burst of 2');
  assert.equal(l.takeRequest('10.0.0.9').ok, true);
  assert.equal(l.takeRequest('10.0.0.9').ok, false, 'no longer trusted');
});

function req(via: string): SipRequest {
  const text = `OPTIONS sip:x SIP/2.0\r\nVia: ${via}\r\nVia: SIP/2.0/TCP second:5060;branch=z9hG4bK2\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:x>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
  return parseMessage(Buffer.from(text)) as SipRequest;
}

test('Via stamping: received for names and other IPs, rport value, IPv6 and mapped addresses', () => {
  const a = req('SIP/2.0/TCP host.example;branch=z9hG4bK1;rport');
  assert.equal(stampVia(a, { address: '::ffff:192.0.2.1', port: 4000 }), true);
  const v = topVia(a);
  assert.equal(v.params.get('received'), '192.0.2.1');
  assert.equal(v.params.get('rport'), '4000');
  assert.equal(v.params.get('branch'), 'z9hG4bK1');
  assert.equal(a.headers.getAll('Via').length, 2, 'the other Via values stay');

  const b = req('SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK1');
  assert.equal(stampVia(b, { address: '2001:db8::1', port: 5060 }), false);
  assert.equal(stampVia(b, { address: '2001:db8::2', port: 5060 }), true);
  assert.equal(topVia(b).params.get('received'), '2001:db8::2');
});
