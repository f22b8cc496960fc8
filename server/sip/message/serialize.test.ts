import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from './parse';
import { serialize } from './serialize';
import { createRequest } from './build';
import { VALID } from './corpus/valid';

test('parse(serialize(parse(x))) deep-equals parse(x) for every valid corpus message', () => {
  for (const f of VALID) {
    const first = parseMessage(f.raw);
    const again = parseMessage(serialize(first));
    assert.deepEqual(again, first, f.name);
    assert.deepEqual(serialize(again), serialize(first), f.name);
  }
});

test('serialize writes one truthful Content-Length, in place of the first, and keeps header order', () => {
  const m = parseMessage(VALID.find((f) => f.name.startsWith('INVITE with'))!.raw);
  m.headers.append('Content-Length', '999');
  m.body = Buffer.from('changed');
  const text = serialize(m).toString();
  assert.equal(text.match(/Content-Length/g)!.length, 1);
  assert.ok(text.includes('Content-Length: 7\r\n'));
  assert.ok(text.endsWith('\r\n\r\nchanged'));
  assert.ok(text.indexOf('Content-Type') < text.indexOf('Content-Length'));
});

test('a built request gets Content-Length and its UTF-8 body', () => {
  const req = createRequest({
    method: 'MESSAGE', uri: 'sip:bob@example.com', from: '<sip:alice@example.com>;tag=1', to: '<sip:bob@example.com>',
    callId: 'c1', cseq: 3, via: 'SIP/2.0/TCP h;branch=z9hG4bKx', body: Buffer.from('héllo'), contentType: 'text/plain',
  });
  const bytes = serialize(req);
  assert.ok(bytes.toString().startsWith('MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\n'));
  assert.ok(bytes.toString().includes('Content-Length: 6\r\n'));
  const back = parseMessage(bytes);
  assert.equal(back.body.toString(), 'héllo');
});
