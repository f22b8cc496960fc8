import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from './errors';
import { SipHeaders } from './headers';
import { parseMessage } from './parse';
import {
  allVias, contactsOf, contentLengthOf, cseqOf, expiresOf, fromOf, maxForwardsOf, mediaTypeOf, optionTags, routesOf, topVia,
} from './accessors';
import { request } from './corpus/wire';

test('results are cached per message and invalidated by header edits', () => {
  const m = parseMessage(request('OPTIONS', 'sip:bob@example.com', ['Route: <sip:p1;lr>']));
  const first = topVia(m);
  assert.equal(topVia(m), first, 'same object from the cache');
  m.headers.prepend('Via', 'SIP/2.0/TCP proxy.example.com;branch=z9hG4bKnew');
  assert.equal(topVia(m).host, 'proxy.example.com');
  assert.equal(allVias(m).length, 2);
  m.headers.removeFirst('Via');
  assert.equal(topVia(m).host, 'client.example.com');
  assert.equal(routesOf(m).length, 1);
  m.headers.remove('Route');
  assert.deepEqual(routesOf(m), []);
  m.headers = new SipHeaders();
  assert.throws(() => topVia(m), /missing Via/);
});

test('scalar accessors', () => {
  const m = parseMessage(request('REGISTER', 'sip:example.com', [
    'Expires: 99999999999', 'Require: outbound', 'Proxy-Require: sec-agree, x', 'Content-Type: Application/PIDF+XML ; charset=utf-8',
    'Contact: <sip:a@b>;expires=30, <sip:c@d>',
  ]));
  assert.equal(expiresOf(m), 2 ** 32 - 1, 'clamped');
  assert.deepEqual(optionTags(m, 'Require'), ['outbound']);
  assert.deepEqual(optionTags(m, 'Proxy-Require'), ['sec-agree', 'x']);
  assert.deepEqual(optionTags(m, 'Supported'), []);
  assert.equal(mediaTypeOf(m), 'application/pidf+xml');
  assert.equal(contentLengthOf(m), 0);
  assert.equal(maxForwardsOf(m), 70);
  assert.deepEqual(cseqOf(m), { seq: 1, method: 'REGISTER' });
  assert.equal(contactsOf(m).length, 2);
});

test('malformed lazily-read headers throw SipParseError(400) naming the header', () => {
  const m = parseMessage(request('OPTIONS', 'sip:bob@example.com', ['Expires: soon', 'Route: <sip:a', 'Require: a b']));
  for (const [f, re] of [[() => expiresOf(m), /Expires/], [() => routesOf(m), /URI/], [() => optionTags(m, 'Require'), /Require/]] as const) {
    assert.throws(f, (e: unknown) => e instanceof SipParseError && e.status === 400 && re.test(e.reason));
  }
});

test('a parsed view lives until its own header changes, not until any header changes', () => {
  const msg = parseMessage(
    Buffer.from(
      'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\n' +
        'Call-ID: c\r\nCSeq: 1 REGISTER\r\nContact: <sip:a@h>\r\nContent-Length: 0\r\n\r\n',
    ),
  );
  const from = fromOf(msg);
  const contacts = contactsOf(msg);
  msg.headers.prepend('Via', 'SIP/2.0/TCP proxy;branch=z9hG4bK2'); // e.g. a proxy's own Via
  msg.headers.append('Record-Route', '<sip:proxy;lr>');
  assert.equal(fromOf(msg), from, 'From not parsed again');
  assert.equal(contactsOf(msg), contacts);
  assert.equal(allVias(msg).length, 2, 'Via parsed again');
  msg.headers.set('From', '<sip:b@example.com>;tag=2');
  assert.notEqual(fromOf(msg), from);
  assert.equal(fromOf(msg).uri.user, 'b');
  msg.headers.remove('Contact');
  assert.deepEqual(contactsOf(msg), []);
});
