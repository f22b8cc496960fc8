import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipParseError } from './errors';
import { formatNameAddr, parseNameAddr, parseNameAddrList, tagOf } from './nameaddr';
import { branchOf, formatVia, parseVia } from './via';
import { unquote } from './charset';

test('name-addr and addr-spec forms', () => {
  const table: [string, string | undefined, string, [string, string | null][]][] = [
    ['"Bob" <sip:bob@biloxi.com>;tag=a6c85cf', 'Bob', 'sip:bob@biloxi.com', [['tag', 'a6c85cf']]],
    ['Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8', 'Anonymous', 'sip:c8oqz84zk7z@privacy.org', [['tag', 'hyh8']]],
    ['<sip:a@b;lr>', undefined, 'sip:a@b;lr', []],
    ['sip:a@b;lr', undefined, 'sip:a@b', [['lr', null]]],
    ['sip:+1@gw;user=phone;tag=1', undefined, 'sip:+1@gw', [['user', 'phone'], ['tag', '1']]],
    ['<tel:+1-555>;Q=0.5', undefined, 'tel:+1-555', [['q', '0.5']]],
    ['"" <sip:a@b>', '', 'sip:a@b', []],
    ['  <sip:a@b>  ;  x  =  "y z" ', undefined, 'sip:a@b', [['x', '"y z"']]],
    ['isbn:2983792873', undefined, 'isbn:2983792873', []],
  ];
  for (const [text, dn, uri, params] of table) {
    const na = parseNameAddr(text);
    assert.equal(na.displayName, dn, text);
    assert.equal(formatNameAddr({ uri: na.uri, params: new Map() }).slice(1, -1), uri, text);
    assert.deepEqual([...na.params], params, text);
  }
  assert.equal(tagOf(parseNameAddr('<sip:a@b>;tag=x')), 'x');
  assert.equal(tagOf(parseNameAddr('<sip:a@b>;tag')), undefined);
});

test('malformed addresses raise 400', () => {
  const table: [string, RegExp][] = [
    ['', /empty address/],
    ['"unterminated <sip:a@b>', /unterminated quoted/],
    ['Bell, Alexander <sip:a@b>', /display name/],
    ['< sip:a@b>', /whitespace inside/],
    ['<sip:a@b >', /whitespace inside/],
    ['<>', /empty <URI>/],
    ['<sip:a@b', /unterminated <URI>/],
    ['<sip:a@b>;', /empty parameter/],
    ['<sip:a@b>;x=', /empty parameter value/],
    ['<sip:a@b> junk', /invalid character after/],
    ['sip:a@b?Route=x', /not enclosed in <>/],
  ];
  for (const [s, re] of table) {
    assert.throws(() => parseNameAddr(s), (e: unknown) => e instanceof SipParseError && re.test(e.reason), s);
  }
});

test('address lists and the Contact wildcard', () => {
  const list = parseNameAddrList('"A, B" <sip:a@x>;q=1, sip:b@y, <sip:c@z;lr>');
  assert.deepEqual(list.map((n) => n.uri.host), ['x', 'y', 'z']);
  const star = parseNameAddrList(' * ');
  assert.equal(star[0]!.wildcard, true);
  assert.equal(formatNameAddr(star[0]!), '*');
  assert.throws(() => parseNameAddrList('<sip:a@x>,,<sip:b@y>'), SipParseError);
});

test('formatNameAddr quotes display names and keeps params', () => {
  const na = parseNameAddr('"Say \\"hi\\"" <sip:a@b>;tag=1;+sip.instance="<urn:uuid:1>"');
  assert.equal(formatNameAddr(na), '"Say \\"hi\\"" <sip:a@b>;tag=1;+sip.instance="<urn:uuid:1>"');
  assert.equal(unquote(na.params.get('+sip.instance')!), '<urn:uuid:1>');
  assert.deepEqual(parseNameAddr(formatNameAddr(na)), na);
});

test('Via: sent-protocol, sent-by and params with LWS everywhere', () => {
  const v = parseVia('SIP / 2.0 / udp  [2001:db8::1] : 5070 ; branch = z9hG4bK776asdhds ; received=2001:db8::2;rport');
  assert.deepEqual(
    [v.protocol, v.transport, v.host, v.port, [...v.params]],
    ['SIP/2.0', 'UDP', '[2001:db8::1]', 5070, [['branch', 'z9hG4bK776asdhds'], ['received', '2001:db8::2'], ['rport', null]]],
  );
  assert.equal(branchOf(v), 'z9hG4bK776asdhds');
  assert.equal(formatVia(v), 'SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK776asdhds;received=2001:db8::2;rport');
  assert.deepEqual(parseVia(formatVia(v)), v);
  for (const bad of ['SIP/2.0/UDP', 'SIP/2.0 host', 'SIP/2.0/UDPhost', 'SIP/2.0/UDP host:', 'SIP/2.0/UDP host;;branch=x', 'SIP/2.0/UDP host junk']) {
    assert.throws(() => parseVia(bad), SipParseError, bad);
  }
});
