import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { HmacSha256 } from './hmac';

test('HmacSha256 equals createHmac for short, block-sized and long keys and messages of any length', () => {
  for (const keyLength of [1, 32, 64, 65, 200]) {
    const key = Buffer.alloc(keyLength, keyLength);
    const mac = new HmacSha256(key);
    for (const parts of [[], [Buffer.from('a')], [Buffer.from('realm\0'), Buffer.alloc(8, 1), Buffer.alloc(12, 2)], [Buffer.alloc(300, 7), Buffer.alloc(5, 9)]]) {
      const want = createHmac('sha256', key).update(Buffer.concat(parts)).digest();
      assert.deepEqual(mac.digest(...parts), want, `key ${keyLength} bytes, message ${Buffer.concat(parts).length} bytes`);
    }
  }
});

test('RFC 4231 test case 2 (key "Jefe")', () => {
  const mac = new HmacSha256(Buffer.from('Jefe'));
  assert.equal(mac.digest(Buffer.from('what do ya want '), Buffer.from('for nothing?')).toString('hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});
