import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadCache } from './read-cache';

test('read cache: a hit skips the load; only found rows are kept', async () => {
  let loads = 0;
  const cache = new ReadCache<string>({ ttlMs: 1_000, now: () => 0 });
  const load = async () => (loads++, 'row');
  assert.equal(await cache.get('a', load), 'row');
  assert.equal(await cache.get('a', load), 'row');
  assert.equal(loads, 1);
  assert.equal(await cache.get('nobody', async () => (loads++, undefined)), undefined);
  assert.equal(await cache.get('nobody', async () => (loads++, 'created since')), 'created since');
  assert.equal(loads, 3);
});

test('read cache: without a version, entries expire after the TTL', async () => {
  let t = 0;
  let loads = 0;
  const cache = new ReadCache<number>({ ttlMs: 1_000, now: () => t });
  const load = async () => ++loads;
  assert.equal(await cache.get('a', load), 1);
  t = 999;
  assert.equal(await cache.get('a', load), 1);
  t = 1_000;
  assert.equal(await cache.get('a', load), 2);
});

test('read cache: another connection committing (data_version) drops every entry', async () => {
  let version = 7;
  let loads = 0;
  const cache = new ReadCache<number>({ externalVersion: () => version, now: () => 0 });
  const load = async () => ++loads;
  await cache.get('a', load);
  await cache.get('a', load);
  assert.equal(loads, 1);
  version = 8;
  assert.equal(await cache.get('a', load), 1, 'read once per turn of the event loop');
  await new Promise((r) => setImmediate(r));
  assert.equal(await cache.get('a', load), 2);
  assert.equal(await cache.get('a', load), 2);
});

test('read cache: a read overtaken by an invalidation does not store its old row', async () => {
  const cache = new ReadCache<string>({ ttlMs: 60_000 });
  let release!: () => void;
  const slow = cache.get('a', () => new Promise<string>((r) => (release = () => r('old'))));
  cache.invalidate('a'); // the write committed while the read was in flight
  release();
  assert.equal(await slow, 'old');
  assert.equal(await cache.get('a', async () => 'new'), 'new');
});

test('read cache: bounded', async () => {
  const cache = new ReadCache<number>({ ttlMs: 60_000, maxEntries: 3 });
  for (let i = 0; i < 10; i++) await cache.get(`k${i}`, async () => i);
  assert.ok(cache.size <= 3);
});
