/** The choice of MCU: least loaded, sticky, silent MCUs dropped and their conferences moved (both DB engines). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbEngines } from '../../db/testing';
import { NoMcuAvailableError } from './errors';
import { ConferencingServerFactory } from './factory';
import { factoryFixture, quietLog, SILENT_AFTER_MS, type FactoryFixture } from './testing';

async function withFixture(engine: Parameters<typeof factoryFixture>[0], fn: (f: FactoryFixture) => Promise<void>): Promise<void> {
  const f = await factoryFixture(engine);
  try {
    await fn(f);
  } finally {
    await f.close();
  }
}

for (const engine of dbEngines()) {
  describe(`conferencing server factory on ${engine.name}`, { skip: engine.skip }, () => {
    test('no MCU: pick rejects with NoMcuAvailableError', async () => {
      await withFixture(engine, async (f) => {
        await assert.rejects(f.factory.pick('conf-1', 'audio'), NoMcuAvailableError);
        await f.register('audio-only', { mediaTypes: ['audio'] });
        await assert.rejects(f.factory.pick('conf-1', 'screen'), (err: NoMcuAvailableError) => err.code === 'NO_MCU_AVAILABLE' && err.mediaType === 'screen');
        assert.equal((await f.factory.pick('conf-1', 'audio')).mcuId, 'audio-only');
      });
    });

    test('picks the least-loaded live MCU that offers the media type', async () => {
      await withFixture(engine, async (f) => {
        await f.register('busy-streams', { capacity: { workers: 2, maxConsumers: 100 } });
        await f.register('busy-cpu');
        await f.register('light');
        await f.register('idle-audio-only', { mediaTypes: ['audio'] });
        await f.report('busy-streams', { conferences: 1, users: 30, consumers: 80, cpu: 0.1 });
        await f.report('busy-cpu', { conferences: 1, users: 4, consumers: 10, cpu: 0.7 });
        await f.report('light', { conferences: 3, users: 6, consumers: 30, cpu: 0.05 });
        await f.report('idle-audio-only');

        const video = await f.factory.pick('conf-v', 'video');
        assert.equal(video.mcuId, 'light', 'utilization: 80/100 streams and 70% CPU both weigh more than 30/500 streams');
        assert.equal(video.live, true);
        assert.equal(video.apiUrl, 'http://127.0.0.1:9/light');
        assert.equal((await f.factory.pick('conf-a', 'audio')).mcuId, 'idle-audio-only');

        const scores = new Map((await f.factory.list()).map((m) => [m.mcuId, m.score]));
        assert.ok(scores.get('idle-audio-only')! < scores.get('light')!);
        assert.ok(scores.get('light')! < scores.get('busy-cpu')!);
        assert.ok(scores.get('busy-cpu')! < scores.get('busy-streams')!);
      });
    });

    test('spreads new conferences over idle MCUs, counting assignments the reports do not know yet', async () => {
      await withFixture(engine, async (f) => {
        await f.register('a');
        await f.register('b');
        const sequential: string[] = [];
        for (const c of ['c1', 'c2', 'c3', 'c4']) sequential.push((await f.factory.pick(c, 'audio')).mcuId);
        assert.deepEqual(sequential.sort(), ['a', 'a', 'b', 'b']);
        // Concurrent picks (a burst of meetings starting) are ranked one after another.
        const burst = await Promise.all(['c5', 'c6', 'c7', 'c8'].map((c) => f.factory.pick(c, 'video')));
        assert.deepEqual(burst.map((m) => m.mcuId).sort(), ['a', 'a', 'b', 'b']);
        // Once a report arrives it replaces the estimate: b says it now carries nothing.
        f.clock.now += 10;
        await f.report('a', { conferences: 4 });
        await f.report('b', { conferences: 0 });
        assert.equal((await f.factory.pick('c9', 'audio')).mcuId, 'b');
      });
    });

    test('the same conference and media type stay on their MCU while it lives', async () => {
      await withFixture(engine, async (f) => {
        await f.register('a');
        await f.register('b');
        const first = await f.factory.pick('meeting', 'video');
        const other = first.mcuId === 'a' ? 'b' : 'a';
        // The chosen MCU becomes by far the busiest: the meeting still stays.
        await f.report(first.mcuId, { conferences: 50, consumers: 490, cpu: 0.95 });
        await f.report(other);
        assert.equal((await f.factory.pick('meeting', 'video')).mcuId, first.mcuId);
        // A new conference goes to the idle one.
        assert.equal((await f.factory.pick('another', 'video')).mcuId, other);
        assert.deepEqual(await f.factory.assignments('meeting'), [{ mediaType: 'video', mcuId: first.mcuId }]);
        // Once released, the meeting is placed afresh.
        assert.equal(await f.factory.release('meeting'), 1);
        assert.equal((await f.factory.pick('meeting', 'video')).mcuId, other);
      });
    });

    test('a silent MCU is not picked; its conference moves on the next pick, and stays moved when it returns', async () => {
      await withFixture(engine, async (f) => {
        await f.register('a');
        await f.report('a');
        const onA = await f.factory.pick('conf-on-a', 'audio');
        assert.equal(onA.mcuId, 'a');
        await f.register('b');
        await f.report('b', { conferences: 10, consumers: 200 });

        // a stops reporting; b keeps reporting.
        for (let t = 0; t < 4; t++) {
          f.clock.now += 1_000;
          await f.report('b', { conferences: 10, consumers: 200 });
        }
        const byId = new Map((await f.factory.list()).map((m) => [m.mcuId, m]));
        assert.equal(byId.get('a')?.live, false, `silent for more than ${SILENT_AFTER_MS} ms`);
        assert.equal(byId.get('b')?.live, true);

        assert.equal((await f.factory.pick('new-conf', 'audio')).mcuId, 'b', 'busy but live beats idle but silent');
        assert.equal((await f.factory.pick('conf-on-a', 'audio')).mcuId, 'b', 'reassigned when its clients rejoin');
        assert.deepEqual(await f.factory.assignments('conf-on-a'), [{ mediaType: 'audio', mcuId: 'b' }]);

        // a comes back: new conferences may go there, the moved one stays on b.
        await f.report('a');
        assert.equal((await f.factory.pick('conf-on-a', 'audio')).mcuId, 'b');
        assert.equal((await f.factory.pick('third-conf', 'audio')).mcuId, 'a');
      });
    });

    test('markDead drops an MCU at once; if it is alive its next report is refused and it registers again', async () => {
      await withFixture(engine, async (f) => {
        await f.register('a');
        await f.register('b');
        await f.report('b', { conferences: 5 });
        assert.equal((await f.factory.pick('conf', 'video')).mcuId, 'a');
        assert.equal(await f.factory.markDead('a'), true);
        assert.equal(await f.factory.markDead('a'), false);
        assert.deepEqual((await f.factory.list()).map((m) => m.mcuId), ['b']);
        assert.equal((await f.factory.pick('conf', 'video')).mcuId, 'b');
        assert.equal((await f.send('PUT', '/v1/mcus/a/load', { mcuId: 'a', at: 0, conferences: 0, users: 0, transports: 0, producers: 0, consumers: 0, cpu: 0, workers: [] })).statusCode, 404);
        await f.register('a');
        assert.deepEqual((await f.factory.list()).map((m) => m.mcuId), ['a', 'b']);
      });
    });

    test('two Front Ends on one DB agree on a conference picked by both at once', async () => {
      await withFixture(engine, async (f) => {
        await f.register('a');
        await f.register('b');
        await f.report('a', { conferences: 1 });
        // The second Front End's Factory: its own instance and serialization, the same tables.
        const other = new ConferencingServerFactory({ db: f.db, now: () => f.clock.now, silentAfterMs: SILENT_AFTER_MS, log: quietLog });
        for (let i = 0; i < 5; i++) {
          const [x, y] = await Promise.all([f.factory.pick(`shared-${i}`, 'audio'), other.pick(`shared-${i}`, 'audio')]);
          assert.equal(x.mcuId, y.mcuId, `conference shared-${i}`);
          assert.deepEqual(await f.factory.assignments(`shared-${i}`), [{ mediaType: 'audio', mcuId: x.mcuId }]);
        }
      });
    });
  });
}
