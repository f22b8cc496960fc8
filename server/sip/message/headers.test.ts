import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipHeaders, canonicalName } from './headers';

test('compact and mixed-case names map to canonical names', () => {
  const table: [string, string][] = [
    ['v', 'Via'], ['f', 'From'], ['t', 'To'], ['i', 'Call-ID'], ['m', 'Contact'], ['l', 'Content-Length'],
    ['c', 'Content-Type'], ['k', 'Supported'], ['s', 'Subject'], ['e', 'Content-Encoding'], ['o', 'Event'],
    ['u', 'Allow-Events'], ['r', 'Refer-To'], ['b', 'Referred-By'], ['x', 'Session-Expires'], ['y', 'Identity'],
    ['CALL-ID', 'Call-ID'], ['cseq', 'CSeq'], ['www-authenticate', 'WWW-Authenticate'], ['X-Custom', 'X-Custom'],
  ];
  for (const [raw, canon] of table) assert.equal(canonicalName(raw), canon, raw);
});

test('getAll splits list headers only, never inside quotes or <>', () => {
  const table: [string, string, string[]][] = [
    ['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2', ['SIP/2.0/UDP a;branch=z9hG4bK1', 'SIP/2.0/UDP b;branch=z9hG4bK2']],
    ['Contact', '"Doe, J" <sip:j@a>, <sip:k@b;x=1,2>', ['"Doe, J" <sip:j@a>', '<sip:k@b;x=1,2>']],
    ['Route', '<sip:p1;lr>,<sip:p2;lr>', ['<sip:p1;lr>', '<sip:p2;lr>']],
    ['Record-Route', '<sip:p1;lr>', ['<sip:p1;lr>']],
    ['Allow', 'INVITE, ACK,BYE', ['INVITE', 'ACK', 'BYE']],
    ['Supported', 'timer , 100rel', ['timer', '100rel']],
    ['Require', 'a,b', ['a', 'b']],
    ['Proxy-Require', 'a, b', ['a', 'b']],
    ['Unsupported', 'a, b', ['a', 'b']],
    ['Accept', 'application/sdp;q=1, text/plain', ['application/sdp;q=1', 'text/plain']],
    ['Path', '<sip:e1;lr>, <sip:e2;lr>', ['<sip:e1;lr>', '<sip:e2;lr>']],
    ['Contact', '*', ['*']],
    ['WWW-Authenticate', 'Digest realm="a", nonce="b"', ['Digest realm="a", nonce="b"']],
    ['Authorization', 'Digest username="a", response="b"', ['Digest username="a", response="b"']],
    ['Proxy-Authenticate', 'Digest realm="a", qop="auth,auth-int"', ['Digest realm="a", qop="auth,auth-int"']],
    ['Proxy-Authorization', 'Digest a=1, b=2', ['Digest a=1, b=2']],
    ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT', ['Sat, 13 Nov 2010 23:29:00 GMT']],
    ['Retry-After', '18000;duration=3600 (in a meeting, sorry)', ['18000;duration=3600 (in a meeting, sorry)']],
    ['Subject', 'lunch, today?', ['lunch, today?']],
    ['User-Agent', 'Softphone/1.0 (Linux, x64)', ['Softphone/1.0 (Linux, x64)']],
    ['X-Unknown', 'a, b', ['a, b']],
  ];
  for (const [name, value, expected] of table) {
    const h = new SipHeaders([[name, value]]);
    assert.deepEqual(h.getAll(name), expected, `${name}: ${value}`);
  }
});

test('get returns the first value; has/count/entries', () => {
  const h = new SipHeaders([['v', 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b'], ['Via', 'SIP/2.0/UDP c'], ['Subject', 'x']]);
  assert.equal(h.get('VIA'), 'SIP/2.0/UDP a;branch=z9hG4bK1');
  assert.equal(h.get('Subject'), 'x');
  assert.equal(h.get('To'), undefined);
  assert.ok(h.has('s') && !h.has('t'));
  assert.equal(h.count, 3);
  assert.deepEqual(h.entries()[0], { name: 'Via', value: 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b' });
});

test('set replaces every field at the first position; append; prepend', () => {
  const h = new SipHeaders([['X-A', '1'], ['Route', 'r1'], ['X-B', '2'], ['Route', 'r2']]);
  h.set('route', 'r3');
  assert.deepEqual(h.entries().map((f) => `${f.name}:${f.value}`), ['X-A:1', 'Route:r3', 'X-B:2']);
  h.append('Route', 'r4');
  h.prepend('Route', 'r0');
  assert.deepEqual(h.getAll('Route'), ['r0', 'r3', 'r4']);
  h.prepend('Via', 'v');
  assert.equal(h.entries()[0]!.name, 'Via');
  h.set('New', 'n');
  assert.equal(h.entries().at(-1)!.name, 'New');
});

test('removeFirst removes only the first value, even inside one line', () => {
  const h = new SipHeaders([['Via', 'v1, v2'], ['Via', 'v3']]);
  assert.equal(h.removeFirst('Via'), 'v1');
  assert.deepEqual(h.getAll('Via'), ['v2', 'v3']);
  assert.equal(h.removeFirst('v'), 'v2');
  assert.equal(h.removeFirst('Via'), 'v3');
  assert.equal(h.removeFirst('Via'), undefined);
  assert.equal(h.count, 0);
  const s = new SipHeaders([['Subject', 'a, b']]);
  assert.equal(s.removeFirst('Subject'), 'a, b');
});

test('remove, version counter and clone independence', () => {
  const h = new SipHeaders([['Route', 'a'], ['Route', 'b'], ['To', 't']]);
  const v0 = h.version;
  assert.equal(h.remove('Route'), 2);
  assert.ok(h.version > v0);
  const v1 = h.version;
  assert.equal(h.remove('Route'), 0);
  assert.equal(h.version, v1, 'no-op edits do not invalidate');
  const c = h.clone();
  c.append('X', '1');
  assert.equal(h.count, 1);
  assert.equal(c.count, 2);
});

test('values with CR or LF are refused (no header injection)', () => {
  const h = new SipHeaders();
  assert.throws(() => h.append('Subject', 'a\r\nVia: evil'), TypeError);
  assert.throws(() => h.set('X\n', 'a'), TypeError);
});

test('raw access never throws on an unterminated quote; the typed accessors do', () => {
  const h = new SipHeaders([['Contact', '"open <sip:a@b>, <sip:c@d>']]);
  assert.deepEqual(h.getAll('Contact'), ['"open <sip:a@b>, <sip:c@d>']);
  assert.equal(h.removeFirst('Contact'), '"open <sip:a@b>, <sip:c@d>');
});
