import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from './errors';
import { parseMessage } from './parse';
import { serialize } from './serialize';
import { createResponse, defaultReason, errorResponseFor } from './response';
import { allVias, callIdOf, cseqOf, fromOf, tagOf, toOf } from './accessors';
import { request, standard, wire } from './corpus/wire';
import type { SipRequest } from './types';

const invite = parseMessage(
  wire([
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/TCP p.example.com;branch=z9hG4bKp, SIP/2.0/TCP c.example.com;branch=z9hG4bKc',
    'Via: SIP/2.0/TCP d.example.com;branch=z9hG4bKd',
    ...standard('INVITE').slice(1),
    'Timestamp: 54',
    'Content-Length: 0',
  ]),
) as SipRequest;

test('createResponse copies Via/From/To/Call-ID/CSeq and adds a To tag (§8.2.6.2)', () => {
  const r = createResponse(invite, 486, undefined, { toTag: 'uas-tag', headers: [['Retry-After', '60']] });
  assert.equal(r.reason, 'Busy Here');
  assert.deepEqual(allVias(r).map((v) => v.host), ['p.example.com', 'c.example.com', 'd.example.com']);
  assert.deepEqual(fromOf(r), fromOf(invite));
  assert.equal(tagOf(toOf(r)), 'uas-tag');
  assert.equal(callIdOf(r), callIdOf(invite));
  assert.deepEqual(cseqOf(r), cseqOf(invite));
  assert.equal(r.headers.get('Retry-After'), '60');
  assert.equal(r.headers.get('Timestamp'), undefined);
  const back = parseMessage(serialize(r));
  assert.equal(back.kind === 'response' && back.status, 486);
});

test('100 Trying gets no tag but keeps Timestamp; other responses get a random tag', () => {
  const trying = createResponse(invite, 100);
  assert.equal(tagOf(toOf(trying)), undefined);
  assert.equal(trying.headers.get('Timestamp'), '54');
  const t1 = tagOf(toOf(createResponse(invite, 180)))!;
  const t2 = tagOf(toOf(createResponse(invite, 180)))!;
  assert.ok(t1.length >= 8 && t1 !== t2);
});

test('an existing To tag is kept', () => {
  const raw = request('BYE', 'sip:a@b').toString().replace('To: Bob <sip:bob@example.com>', 'To: Bob <sip:bob@example.com> ; tag=keep');
  const bye = parseMessage(Buffer.from(raw)) as SipRequest;
  assert.equal(tagOf(toOf(createResponse(bye, 200, 'OK', { toTag: 'new' }))), 'keep');
});

test('body and Content-Type', () => {
  const r = createResponse(invite, 200, 'OK', { body: Buffer.from('v=0\r\n'), contentType: 'application/sdp' });
  const text = serialize(r).toString();
  assert.ok(text.includes('Content-Type: application/sdp\r\n') && text.includes('Content-Length: 5\r\n'));
});

test('defaultReason table', () => {
  const table: [number, string][] = [
    [100, 'Trying'], [180, 'Ringing'], [200, 'OK'], [202, 'Accepted'], [302, 'Moved Temporarily'],
    [400, 'Bad Request'], [401, 'Unauthorized'], [403, 'Forbidden'], [404, 'Not Found'], [407, 'Proxy Authentication Required'],
    [408, 'Request Timeout'], [413, 'Request Entity Too Large'], [415, 'Unsupported Media Type'], [416, 'Unsupported URI Scheme'],
    [420, 'Bad Extension'], [423, 'Interval Too Brief'], [480, 'Temporarily Unavailable'], [481, 'Call/Transaction Does Not Exist'],
    [482, 'Loop Detected'], [483, 'Too Many Hops'], [486, 'Busy Here'], [487, 'Request Terminated'], [489, 'Bad Event'],
    [500, 'Server Internal Error'], [501, 'Not Implemented'], [503, 'Service Unavailable'], [505, 'Version Not Supported'],
    [513, 'Message Too Large'], [603, 'Decline'], [499, 'Bad Request'], [299, 'OK'],
  ];
  for (const [code, reason] of table) assert.equal(defaultReason(code), reason, String(code));
});

test('errorResponseFor answers a broken request from its raw bytes', () => {
  const raw = wire([
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/TCP c.example.com;branch=z9hG4bKc',
    'From: "Zoë" <sip:zoe@example.com>;tag=1',
    'To: <sip:bob@example.com>',
    'Call-ID: broken',
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
  ]);
  let err: SipParseError | undefined;
  try { parseMessage(raw); } catch (e) { err = e as SipParseError; }
  assert.ok(err);
  const bytes = errorResponseFor(raw, err)!;
  const r = parseMessage(bytes);
  assert.ok(r.kind === 'response');
  assert.equal(r.status, 400);
  assert.equal(r.reason, 'Bad Request (CSeq method does not match request method)');
  assert.equal(fromOf(r).displayName, 'Zoë', 'UTF-8 copied byte for byte');
  assert.ok(tagOf(toOf(r)));
  assert.equal(callIdOf(r), 'broken');
});

test('errorResponseFor gives up on responses, ACKs and bytes without a Via', () => {
  const e = new SipParseError(400, 'Bad Request (x)');
  assert.equal(errorResponseFor(wire(['SIP/2.0 200 OK', ...standard('INVITE')]), e), undefined);
  assert.equal(errorResponseFor(request('ACK', 'sip:a@b'), e), undefined);
  assert.equal(errorResponseFor(wire(['OPTIONS sip:a@b SIP/2.0', 'From: x']), e), undefined);
  assert.equal(errorResponseFor(Buffer.from('\x00\x01\x02'), e), undefined);
  assert.equal(errorResponseFor(Buffer.alloc(0), e), undefined);
});
