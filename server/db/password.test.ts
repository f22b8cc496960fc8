import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkScryptCost, digestHa1, hashPassword, needsRehash, verifyPasswordHash } from './password';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

test('scrypt hash is PHC-encoded with its cost and verifies only the right password', async () => {
  const cost = { log2N: 6, r: 8, p: 1 };
  const hash = await hashPassword('correct horse', cost);
  assert.match(hash, /^\$scrypt\$ln=6,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.equal(await verifyPasswordHash(hash, 'correct horse'), true);
  assert.equal(await verifyPasswordHash(hash, 'correct horsE'), false);
  assert.notEqual(await hashPassword('correct horse', cost), hash, 'per-user random salt');
});

test('malformed hashes never verify', async () => {
  for (const bad of ['', 'plain', '$scrypt$ln=99,r=8,p=1$AAAA$AAAA', '$scrypt$ln=6,r=8,p=1$$AAAA']) {
    assert.equal(await verifyPasswordHash(bad, 'whatever1'), false, bad);
  }
});

test('needsRehash when the stored cost is below the current one', async () => {
  const hash = await hashPassword('password1', { log2N: 5, r: 8, p: 1 });
  assert.equal(needsRehash(hash, { log2N: 5, r: 8, p: 1 }), false);
  assert.equal(needsRehash(hash, { log2N: 6, r: 8, p: 1 }), true);
  assert.equal(needsRehash('garbage', { log2N: 5, r: 8, p: 1 }), true);
  assert.throws(() => checkScryptCost({ log2N: 0, r: 8, p: 1 }));
});

test('HA1 values match RFC 2617 §3.5 and the RFC 7616 §3.9.1 SHA-256 example', () => {
  // RFC 2617 §3.5 (MD5): Mufasa / testrealm@host.com / "Circle Of Life".
  const rfc2617 = digestHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
  const a2 = md5('GET:/dir/index.html');
  const response = md5(`${rfc2617.ha1Md5}:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:${a2}`);
  assert.equal(response, '6629fae49393a05397450978507c4ef1');

  // RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
  const h = digestHa1('Mufasa', 'http-auth@example.org', 'Circle of Life');
  const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
  const tail = `${nonce}:00000001:${cnonce}:auth`;
  assert.equal(sha256(`${h.ha1Sha256}:${tail}:${sha256('GET:/dir/index.html')}`), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  assert.equal(md5(`${h.ha1Md5}:${tail}:${md5('GET:/dir/index.html')}`), '8ca523f5e9506fed4657c9700eebdbec');
});
