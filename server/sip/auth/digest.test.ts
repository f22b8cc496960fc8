import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigestResponse, computeHa1, digestEquals, parseAlgorithm, hashHex } from './digest';

describe('digest known-answer vectors', () => {
  test('RFC 2617 §3.5 (MD5, qop=auth)', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const response = computeDigestResponse({
      algorithm: parseAlgorithm(undefined)!,
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      nc: '00000001',
      cnonce: '0a4f113b',
      qop: 'auth',
      method: 'GET',
      digestUri: '/dir/index.html',
    });
    assert.equal(response, '6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    qop: 'auth' as const,
    method: 'GET',
    digestUri: '/dir/index.html',
  };

  test('RFC 7616 §3.9.1 MD5', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(computeDigestResponse({ ...rfc7616, algorithm: parseAlgorithm('MD5')!, ha1 }), '8ca523f5e9506fed4657c9700eebdbec');
  });

  test('RFC 7616 §3.9.1 SHA-256', () => {
    const ha1 = computeHa1('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(
      computeDigestResponse({ ...rfc7616, algorithm: parseAlgorithm('sha-256')!, ha1 }),
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  test('-sess variants hash HA1 with nonce and cnonce (RFC 7616 §3.4.2)', () => {
    const ha1 = computeHa1('SHA-256', 'u', 'r', 'p');
    const sess = computeDigestResponse({ ...rfc7616, algorithm: parseAlgorithm('SHA-256-sess')!, ha1 });
    const manual = computeDigestResponse({
      ...rfc7616,
      algorithm: { base: 'SHA-256', session: false },
      ha1: hashHex('SHA-256', `${ha1}:${rfc7616.nonce}:${rfc7616.cnonce}`),
    });
    assert.equal(sess, manual);
    assert.notEqual(sess, computeDigestResponse({ ...rfc7616, algorithm: parseAlgorithm('SHA-256')!, ha1 }));
  });

  test('parseAlgorithm refuses what is not supported', () => {
    assert.deepEqual(parseAlgorithm('md5-SESS'), { base: 'MD5', session: true });
    assert.equal(parseAlgorithm('SHA-512-256'), undefined);
    assert.equal(parseAlgorithm('AKAv1-MD5'), undefined);
  });

  test('digestEquals is case-insensitive and length-safe', () => {
    assert.equal(digestEquals('abcdef', 'ABCDEF'), true);
    assert.equal(digestEquals('abcdef', 'abcde'), false);
    assert.equal(digestEquals('abcdef', 'abcdee'), false);
  });
});
