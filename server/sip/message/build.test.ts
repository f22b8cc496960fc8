import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, newBranch, newCallId, newTag, randomToken } from './build';
import { parseUri } from './uri';
import { parseNameAddr } from './nameaddr';
import { parseVia } from './via';
import { callIdOf, contactsOf, cseqOf, fromOf, maxForwardsOf, toOf, topVia } from './accessors';
import { serialize } from './serialize';
import { parseMessage } from './parse';

test('identifiers: branch cookie, uniqueness, token characters', () => {
  const branches = new Set(Array.from({ length: 1000 }, newBranch));
  assert.equal(branches.size, 1000);
  for (const b of branches) assert.match(b, /^z9hG4bK[a-z0-9]{16}$/);
  assert.match(newTag(), /^[a-z0-9]{12}$/);
  assert.match(newCallId(), /^[a-z0-9]{24}$/);
  assert.notEqual(newCallId(), newCallId());
});

test('randomToken: drawn from a refilled pool, never repeating across refills, bounded length', () => {
  // 10,000 × 24 characters crosses the 4 KiB pool ~58 times.
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const t = randomToken(24);
    assert.match(t, /^[a-z0-9]{24}$/);
    seen.add(t);
  }
  assert.equal(seen.size, 10_000);
  assert.equal(randomToken(0), '');
  assert.throws(() => randomToken(5000), RangeError);
});

test('createRequest from objects and strings builds a valid request', () => {
  const req = createRequest({
    method: 'INVITE',
    uri: parseUri('sip:bob@example.com'),
    from: parseNameAddr('"Alice" <sip:alice@example.com>;tag=a1'),
    to: '<sip:bob@example.com>',
    callId: 'cid-1',
    cseq: 7,
    via: parseVia('SIP/2.0/TCP fe.example.com;branch=z9hG4bKabc'),
    contact: '<sip:alice@192.0.2.1;transport=tcp>',
    headers: [['Supported', 'timer']],
    body: Buffer.from('v=0\r\n'),
    contentType: 'application/sdp',
  });
  const back = parseMessage(serialize(req));
  assert.equal(back.kind === 'request' && back.method, 'INVITE');
  assert.deepEqual(cseqOf(back), { seq: 7, method: 'INVITE' });
  assert.equal(maxForwardsOf(back), 70);
  assert.equal(fromOf(back).displayName, 'Alice');
  assert.equal(toOf(back).uri.user, 'bob');
  assert.equal(callIdOf(back), 'cid-1');
  assert.equal(topVia(back).params.get('branch'), 'z9hG4bKabc');
  assert.equal(contactsOf(back)[0]!.uri.params.get('transport'), 'tcp');
  assert.equal(back.headers.get('Content-Type'), 'application/sdp');
});
