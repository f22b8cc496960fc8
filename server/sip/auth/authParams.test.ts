import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatChallenge, isParams, parseAuthorization } from './authParams';

describe('auth-param grammar (RFC 3261 §25.1)', () => {
  test('parses Digest credentials with quoted and token values', () => {
    const v = parseAuthorization(
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    assert.ok(v && isParams(v));
    assert.equal(v.scheme, 'Digest');
    assert.equal(v.params.get('username'), 'bob');
    assert.equal(v.params.get('uri'), 'sip:bob@biloxi.com');
    assert.equal(v.params.get('qop'), 'auth');
    assert.equal(v.params.get('nc'), '00000001');
    assert.equal(v.params.size, 9);
  });

  test('tolerates LWS around = and , and names in any case; unescapes quoted-pairs', () => {
    const v = parseAuthorization('digest  USERNAME = "a\\"b\\\\c" ,\tRealm=x ,  uri="sip:a, b"');
    assert.ok(v && isParams(v));
    assert.equal(v.params.get('username'), 'a"b\\c');
    assert.equal(v.params.get('realm'), 'x');
    assert.equal(v.params.get('uri'), 'sip:a, b');
  });

  test('parses a Bearer token68 (RFC 6750 §2.1)', () => {
    const v = parseAuthorization('Bearer eyJ2IjoxfQ.abc-_def');
    assert.ok(v && !isParams(v));
    assert.equal(v.token68, 'eyJ2IjoxfQ.abc-_def');
    const padded = parseAuthorization('Bearer abc+/==');
    assert.ok(padded && !isParams(padded));
    assert.equal(padded.token68, 'abc+/==');
  });

  test('refuses malformed values', () => {
    for (const bad of [
      '',
      'Digest username="unterminated',
      'Digest username="a",, realm="b"',
      'Digest username="a", realm',
      'Digest username="a", username="b"',
      'Digest username="a",',
      'Digest =x',
      'Digest a="b" c="d"',
      '"quoted" a=b',
    ]) {
      assert.equal(parseAuthorization(bad), undefined, bad);
    }
    const many = 'Digest ' + Array.from({ length: 40 }, (_, i) => `p${i}=v`).join(', ');
    assert.equal(parseAuthorization(many), undefined);
  });

  test('formats challenges, quoting and escaping, refusing injection', () => {
    assert.equal(
      formatChallenge('Digest', [
        ['realm', 'a"b', 'quoted'],
        ['algorithm', 'SHA-256', 'token'],
      ]),
      'Digest realm="a\\"b", algorithm=SHA-256',
    );
    assert.throws(() => formatChallenge('Digest', [['realm', 'a\r\nVia: x', 'quoted']]), RangeError);
    assert.throws(() => formatChallenge('Digest', [['algorithm', 'a b', 'token']]), RangeError);
    const round = parseAuthorization(formatChallenge('Digest', [['realm', 'x\\y"z', 'quoted']]));
    assert.ok(round && isParams(round));
    assert.equal(round.params.get('realm'), 'x\\y"z');
  });
});
