import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { TokenService } from './tokens';

const secret = Buffer.alloc(32, 7);

describe('TokenService', () => {
  test('issues a token that verifies to the same claims and expiry', () => {
    let now = 1_000_000;
    const svc = new TokenService(secret, 60_000, () => now);
    const { token, expiresAt } = svc.issue({ sub: 'alice', admin: true });
    assert.equal(expiresAt, 1_060_000);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(svc.verify(token), { sub: 'alice', admin: true, exp: 1_060_000 });
    now = 1_059_999;
    assert.equal(svc.verify(token)?.sub, 'alice');
  });

  test('refuses an expired token', () => {
    let now = 0;
    const svc = new TokenService(secret, 1_000, () => now);
    const { token } = svc.issue({ sub: 'bob', admin: false });
    now = 1_000;
    assert.equal(svc.verify(token), undefined);
  });

  test('refuses a token whose payload was changed (privilege escalation)', () => {
    const svc = new TokenService(secret, 60_000);
    const { token } = svc.issue({ sub: 'bob', admin: false });
    const [body, sig] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    payload.adm = true;
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    assert.equal(svc.verify(forged), undefined);
  });

  test('refuses a token signed with another secret', () => {
    const other = new TokenService(Buffer.alloc(32, 8), 60_000);
    const svc = new TokenService(secret, 60_000);
    assert.equal(svc.verify(other.issue({ sub: 'alice', admin: false }).token), undefined);
  });

  test('a second service with the same secret verifies (pool of Front Ends)', () => {
    const a = new TokenService(Buffer.from(secret), 60_000);
    const b = new TokenService(Buffer.from(secret), 60_000);
    assert.equal(b.verify(a.issue({ sub: 'carol', admin: false }).token)?.sub, 'carol');
  });

  test('refuses malformed input without throwing', () => {
    const svc = new TokenService(secret, 60_000);
    const { token } = svc.issue({ sub: 'alice', admin: false });
    for (const bad of ['', '.', 'abc', 'a.b.c', `${token}.x`, `${token}x`, token.replace('.', '!'), 'x'.repeat(5000), `e30.${token.split('.')[1]}`]) {
      assert.equal(svc.verify(bad), undefined, bad.slice(0, 40));
    }
    // A correctly signed payload that is not a token object.
    const body = Buffer.from('[1,2]').toString('base64url');
    assert.equal(svc.verify(`${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`), undefined);
  });

  test('refuses a correctly signed token of another version', () => {
    const svc = new TokenService(secret, 60_000);
    const { token } = svc.issue({ sub: 'alice', admin: false });
    const payload = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    payload.v = 2;
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const sig = createHmac('sha256', secret).update(body).digest('base64url');
    assert.equal(svc.verify(`${body}.${sig}`), undefined);
    payload.v = 1;
    const body1 = Buffer.from(JSON.stringify(payload)).toString('base64url');
    assert.equal(svc.verify(`${body1}.${createHmac('sha256', secret).update(body1).digest('base64url')}`)?.sub, 'alice');
  });

  test('rejects a short secret', () => {
    assert.throws(() => new TokenService(Buffer.alloc(4), 1000), RangeError);
  });
});
