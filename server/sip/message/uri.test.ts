import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from './errors';
import { cloneUri, formatUri, parseUri, uriEquals } from './uri';

test('parses sip URIs into their parts', () => {
  const u = parseUri('SIP:Alice%20B:pw@Example.COM:5070;Transport=TCP;lr;x=%41?Subject=hi%20there&Priority=urgent');
  assert.equal(u.scheme, 'sip');
  assert.equal(u.user, 'Alice B');
  assert.equal(u.password, 'pw');
  assert.equal(u.host, 'example.com');
  assert.equal(u.port, 5070);
  assert.deepEqual([...u.params], [['transport', 'TCP'], ['lr', null], ['x', '%41']]);
  assert.deepEqual([...u.headers], [['Subject', 'hi there'], ['Priority', 'urgent']]);
});

test('other schemes are opaque', () => {
  for (const s of ['tel:+1-201-555-0123', 'urn:service:sos', 'http://www.example.com/x?y=1', 'isbn:2983792873', 'soap.beep://h:1']) {
    const u = parseUri(s);
    assert.equal(formatUri(u), s.replace(/^[^:]+/, (x) => x.toLowerCase()));
    assert.equal(u.user, undefined);
  }
});

test('malformed URIs raise 400 naming the fault', () => {
  const table: [string, RegExp][] = [
    ['alice@example.com', /no scheme/],
    ['1sip:a@b', /no scheme/],
    ['sip:', /missing host/],
    ['sip:@example.com', /empty user/],
    ['sip:a@', /missing host/],
    ['sip:a@b:', /missing port/],
    ['sip:a@b:65536', /port out of range/],
    ['sip:a%2@b', /bad escape/],
    ['sip:a b@c', /invalid character/],
    ['sip:a@[::1', /unterminated IPv6/],
    ['sip:a@[zz]', /invalid IPv6/],
    ['sip:a@b;;lr', /empty URI parameter/],
    ['sip:a@b;x=', /empty URI parameter value/],
    ['sip:a@b?x', /malformed URI header/],
    ['sip:a@b>', /invalid character/],
    ['tel:', /empty URI/],
    ['tel:+1 2', /invalid character/],
  ];
  for (const [s, re] of table) {
    assert.throws(() => parseUri(s), (e: unknown) => e instanceof SipParseError && e.status === 400 && re.test(e.reason), s);
  }
});

test('format round-trips and escapes what needs escaping', () => {
  for (const s of ['sip:alice@example.com', 'sips:[2001:db8::1]:5061;transport=tcp', 'sip:+1212@gw;user=phone', 'sip:a:b@c;lr?h=v&i=w', 'sip:example.com']) {
    assert.equal(formatUri(parseUri(s)), s);
  }
  assert.equal(formatUri(parseUri('sip:%61lice@x')), 'sip:alice@x');
  assert.equal(formatUri({ scheme: 'sip', user: 'a b@c', host: 'x', params: new Map([['p', 'v w']]), headers: new Map() }), 'sip:a%20b%40c@x;p=v%20w');
  const u = parseUri('sip:null-%00@x');
  assert.equal(u.user, 'null-\0');
  assert.equal(formatUri(u), 'sip:null-%00@x');
});

test('URI comparison per RFC 3261 §19.1.4', () => {
  const equal: [string, string][] = [
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    ['sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'],
    ['sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'],
    ['sip:a@b;lr', 'sip:a@b'],
  ];
  const different: [string, string][] = [
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
    ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'],
    ['sip:a@b', 'sips:a@b'],
    ['sip:a@b;user=phone', 'sip:a@b'],
    ['sip:a@b;maddr=1.2.3.4', 'sip:a@b;maddr=1.2.3.5'],
  ];
  for (const [a, b] of equal) {
    assert.ok(uriEquals(parseUri(a), parseUri(b)), `${a} == ${b}`);
    assert.ok(uriEquals(parseUri(b), parseUri(a)), `${b} == ${a}`);
  }
  for (const [a, b] of different) {
    assert.ok(!uriEquals(parseUri(a), parseUri(b)), `${a} != ${b}`);
    assert.ok(!uriEquals(parseUri(b), parseUri(a)), `${b} != ${a}`);
  }
});

test('cloneUri is independent', () => {
  const u = parseUri('sip:a@b;lr');
  const c = cloneUri(u);
  c.params.delete('lr');
  c.host = 'z';
  assert.ok(u.params.has('lr'));
  assert.equal(u.host, 'b');
});

test('parameter values set by upper layers are escaped, existing escapes kept', () => {
  const u = parseUri('sip:a@b;x=%41');
  u.params.set('y', '50%off now');
  assert.equal(formatUri(u), 'sip:a@b;x=%41;y=50%25off%20now');
  assert.deepEqual(parseUri(formatUri(u)).params.get('y'), '50%25off%20now');
});
