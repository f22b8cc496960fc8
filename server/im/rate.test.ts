import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBuckets } from './rate';

test('a burst up to capacity passes, then the refill rate decides', () => {
  let now = 0;
  const b = new TokenBuckets({ capacity: 3, perSecond: 2 }, 100, () => now);
  assert.deepEqual([b.take('a'), b.take('a'), b.take('a'), b.take('a')], [true, true, true, false]);
  assert.equal(b.retryAfter('a'), 1);
  assert.equal(b.take('b'), true, 'keys are independent');
  now += 500;
  assert.equal(b.take('a'), true);
  assert.equal(b.take('a'), false);
});

test('the map is bounded and forgets refilled buckets', () => {
  let now = 0;
  const b = new TokenBuckets({ capacity: 2, perSecond: 1 }, 10, () => now);
  for (let i = 0; i < 50; i++) b.take(`k${i}`);
  assert.ok(b.size <= 11, `size ${b.size}`);
  now += 10_000;
  b.take('fresh');
  assert.equal(b.size, 1);
});
