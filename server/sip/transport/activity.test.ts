import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivityTimers } from './activity';

test('setIdle: the same timeout again restarts the existing timer (no new one); a new value replaces it', async () => {
  const realSetTimeout = globalThis.setTimeout;
  const created: NodeJS.Timeout[] = [];
  const refreshed: NodeJS.Timeout[] = [];
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    const timer = realSetTimeout(fn, ms);
    const refresh = timer.refresh.bind(timer);
    timer.refresh = () => (refreshed.push(timer), refresh());
    created.push(timer);
    return timer;
  }) as typeof setTimeout;
  const expired: string[] = [];
  let t: ActivityTimers;
  try {
    t = new ActivityTimers(60_000, 0, (reason) => expired.push(reason));
    t.setIdle(60_000); // every REGISTER refresh does this
    t.setIdle(60_000);
    assert.equal(created.length, 1, 'one timer');
    assert.equal(refreshed.length, 2, 'restarted from now, twice');
    t.setIdle(20);
    assert.equal(created.length, 2, 'a new duration: a new timer');
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  await new Promise((r) => realSetTimeout(r, 200));
  assert.deepEqual(expired, ['idle timeout'], 'the replaced timer fired, the first did not');
  t.stop();
});
