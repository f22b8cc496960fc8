import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, buildResponse, paramsOf, parseWireMessage, splitTopLevel, StreamFramer, tagOf, uriOf } from './sip-wire';

const request = buildRequest({
  method: 'MESSAGE',
  uri: 'sip:bob@ocs.test',
  headers: [
    ['v', 'SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKa1'],
    ['Via', 'SIP/2.0/TCP 10.0.0.1;branch=z9hG4bKb2, SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKc3'],
    ['From', '"A, B" <sip:alice@ocs.test>;tag=t1'],
    ['To', '<sip:bob@ocs.test>'],
    ['i', 'c1@test'],
    ['CSeq', '1 MESSAGE'],
  ],
  body: 'héllo',
});

test('buildRequest counts the body in bytes; parse reads compact forms and comma lists', () => {
  const m = parseWireMessage(request);
  assert.equal(m.kind, 'request');
  assert.equal(m.method, 'MESSAGE');
  assert.equal(m.header('content-length'), '6');
  assert.equal(m.header('call-id'), 'c1@test');
  assert.equal(m.headerAll('via').length, 3);
  assert.equal(m.body.toString('utf8'), 'héllo');
  assert.equal(tagOf(m.header('from')), 't1');
  assert.equal(uriOf(m.header('from')!), 'sip:alice@ocs.test');
});

test('StreamFramer splits coalesced and fragmented messages and skips CRLF keep-alives', () => {
  const f = new StreamFramer();
  const two = Buffer.concat([Buffer.from('\r\n\r\n'), request, request]);
  const got = [...f.push(two.subarray(0, 7)), ...f.push(two.subarray(7, 100)), ...f.push(two.subarray(100))];
  assert.equal(got.length, 2);
  assert.equal(f.pending, 0);
  const half = f.push(request.subarray(0, request.length - 1));
  assert.equal(half.length, 0);
  assert.equal(f.pending, request.length - 1);
});

test('buildResponse copies the §8.2.6.2 headers and adds a To tag', () => {
  const res = parseWireMessage(buildResponse(parseWireMessage(request), 200, 'OK'));
  assert.equal(res.status, 200);
  assert.equal(res.headerAll('via').length, 3);
  assert.ok(tagOf(res.header('to')));
  assert.equal(res.header('cseq'), '1 MESSAGE');
});

test('param and list helpers respect quotes and brackets', () => {
  assert.deepEqual(splitTopLevel('"a,b" <sip:x;p=1,2>, <sip:y>'), ['"a,b" <sip:x;p=1,2>', '<sip:y>']);
  const p = paramsOf('<sip:a@b;ob>;+sip.instance="<urn:uuid:1;2>";reg-id=1;expires=60');
  assert.equal(p.get('+sip.instance'), '<urn:uuid:1;2>');
  assert.equal(p.get('reg-id'), '1');
  assert.equal(p.get('ob'), undefined);
});
