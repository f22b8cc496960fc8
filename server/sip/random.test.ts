import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytesPooled, withRandomBytes } from './random';

test('pooled random bytes: never handed out twice, across refills; bounded sizes', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5_000; i++) seen.add(randomBytesPooled(16).toString('hex')); // ~20 refills
  assert.equal(seen.size, 5_000);
  const a = randomBytesPooled(8);
  const copy = Buffer.from(a);
  randomBytesPooled(4096); // forces a refill: a copy handed out earlier is not overwritten
  assert.deepEqual(a, copy);
  assert.equal(withRandomBytes(12, (b) => b.length), 12);
  assert.throws(() => randomBytesPooled(4097), RangeError);
  assert.throws(() => withRandomBytes(-1, () => 0), RangeError);
});
