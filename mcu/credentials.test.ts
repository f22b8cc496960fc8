import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CredentialAuthority } from './credentials';
import { McuError } from './errors';

const SECRET = 'a-shared-secret-of-some-length';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    assert.ok(err instanceof McuError);
    return err.code;
  }
}

test('a credential verifies to its claims until it expires', () => {
  let now = 1_000_000;
  const authority = new CredentialAuthority(SECRET, () => now);
  const { credential, expiresAt } = authority.issue('conf-1', 'alice', 60_000);
  assert.equal(expiresAt, now + 60_000);
  const claims = authority.verify(credential);
  assert.equal(claims.conferenceId, 'conf-1');
  assert.equal(claims.userId, 'alice');
  now = expiresAt;
  assert.equal(codeOf(() => authority.verify(credential)), 'CREDENTIAL_EXPIRED');
});

test('two credentials for the same user differ', () => {
  const authority = new CredentialAuthority(SECRET);
  assert.notEqual(authority.issue('c', 'u', 1000).credential, authority.issue('c', 'u', 1000).credential);
});

test('a credential signed with another secret is refused', () => {
  const other = new CredentialAuthority('another-secret-of-enough-length');
  const { credential } = other.issue('conf-1', 'alice', 60_000);
  assert.equal(codeOf(() => new CredentialAuthority(SECRET).verify(credential)), 'CREDENTIAL_INVALID');
});

test('tampered claims are refused', () => {
  const authority = new CredentialAuthority(SECRET);
  const { credential } = authority.issue('conf-1', 'alice', 60_000);
  const [body, mac] = credential.split('.');
  const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
  claims.userId = 'mallory';
  const forged = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
  assert.equal(codeOf(() => authority.verify(forged)), 'CREDENTIAL_INVALID');
});

test('malformed tokens are refused without throwing anything else', () => {
  const authority = new CredentialAuthority(SECRET);
  for (const token of [undefined, null, 42, '', 'abc', 'a.b.c', '.', 'x'.repeat(5000), { credential: 'x' }]) {
    assert.equal(codeOf(() => authority.verify(token)), 'CREDENTIAL_INVALID', String(token));
  }
});

test('a correctly signed token whose claims have the wrong shape is refused', () => {
  // Signed exactly as CredentialAuthority does (key derived from the secret), but version 2.
  const key = createHmac('sha256', SECRET).update('ocs-mcu media credential v1').digest();
  const body = Buffer.from(JSON.stringify({ v: 2, conferenceId: 'c', userId: 'u', exp: Date.now() + 60_000, nonce: 'n' })).toString('base64url');
  const token = `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
  assert.equal(codeOf(() => new CredentialAuthority(SECRET).verify(token)), 'CREDENTIAL_INVALID');
});
