import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigest, digestAuthorization, parseChallenge, pickChallenge } from './digest';

// RFC 2617 §3.5 example.
test('MD5 with qop=auth matches the RFC 2617 §3.5 example', () => {
  const challenge = parseChallenge('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  const r = computeDigest({ challenge, credentials: { username: 'Mufasa', password: 'Circle Of Life' }, method: 'GET', uri: '/dir/index.html', cnonce: '0a4f113b', nc: 1 });
  assert.equal(r.response, '6629fae49393a05397450978507c4ef1');
  assert.equal(r.qop, 'auth');
  assert.equal(r.nc, '00000001');
});

// RFC 7616 §3.9.1 example, both algorithms.
for (const [algorithm, expected] of [
  ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
  ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
] as const) {
  test(`${algorithm} matches the RFC 7616 §3.9.1 example`, () => {
    const challenge = parseChallenge(`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`);
    const r = computeDigest({ challenge, credentials: { username: 'Mufasa', password: 'Circle of Life' }, method: 'GET', uri: '/dir/index.html', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', nc: 1 });
    assert.equal(r.response, expected);
  });
}

test('without qop the RFC 2069 form is used', () => {
  const challenge = parseChallenge('Digest realm="r", nonce="n"');
  assert.equal(challenge.algorithm, 'MD5');
  const r = computeDigest({ challenge, credentials: { username: 'u', password: 'p' }, method: 'REGISTER', uri: 'sip:ocs.test' });
  assert.equal(r.qop, undefined);
  assert.match(r.response, /^[0-9a-f]{32}$/);
});

test('pickChallenge chooses by algorithm among several headers; header carries the fields', () => {
  const values = ['Digest realm="ocs.test", nonce="a", algorithm=MD5, qop="auth"', 'Digest realm="ocs.test", nonce="b", algorithm=SHA-256, qop="auth", stale=TRUE'];
  assert.equal(pickChallenge(values, 'MD5')?.nonce, 'a');
  const sha = pickChallenge(values, 'SHA-256');
  assert.equal(sha?.nonce, 'b');
  assert.equal(sha?.stale, true);
  const header = digestAuthorization({ challenge: sha!, credentials: { username: 'alice', password: 'x' }, method: 'REGISTER', uri: 'sip:ocs.test' });
  assert.match(header, /^Digest username="alice", realm="ocs.test", nonce="b", uri="sip:ocs.test", response="[0-9a-f]{64}", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="[0-9a-f]+"$/);
});

test('parseChallenge rejects what is not Digest', () => {
  assert.throws(() => parseChallenge('Basic realm="x"'));
  assert.throws(() => parseChallenge('Digest nonce="x"'));
});
