/**
 * The Factory with two real AV MCU processes (mcu/spawn.ts) registering over HTTP and reporting
 * load: conferences are placed by the load the MCUs report; a silent (SIGSTOPped) MCU is passed
 * over and its conference moved; a stopped MCU says goodbye and new conferences go to the other.
 * SQLite only: the DB paths are covered on both engines by the unit tests; this one is about the
 * wire and the processes.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { dbEngines } from '../../db/testing';
import type { Db } from '../../db/index';
import { spawnMcu, type SpawnedMcu } from '../../../mcu/spawn';
import { workerMissingReason } from '../../../mcu/media/workerBin';
import { ConferencingServerFactory, type McuInfo } from './factory';
import { conferencingFactoryPlugin } from './plugin';
import { MCU_FACTORY_MIGRATIONS } from './schema';
import { quietLog, waitFor } from './testing';

/** The shortest period the Factory may ask for (McuRegistrationReply). */
const LOAD_INTERVAL_MS = 500;
/** Four report intervals: a busy test machine should not make a healthy MCU look silent. */
const SILENT_AFTER_MS = 2_000;
const WAIT_MS = 20_000;

describe('conferencing server factory with two real MCUs', { skip: workerMissingReason() }, () => {
  const secret = randomBytes(18).toString('base64url');
  const app = Fastify({ logger: false });
  const mcus: SpawnedMcu[] = [];
  let db: Db | undefined;

  after(async () => {
    for (const mcu of mcus) {
      mcu.child.kill('SIGCONT'); // a paused MCU cannot handle SIGTERM
      await mcu.stop();
    }
    await app.close();
    await db?.close();
  });

  test('places conferences by reported load, passes over a silent MCU, follows a stopped one away', async () => {
    db = await dbEngines()[0]!.open({ migrations: [MCU_FACTORY_MIGRATIONS] });
    await app.register(conferencingFactoryPlugin, { db, secret, log: quietLog, silentAfterMs: SILENT_AFTER_MS, loadIntervalMs: LOAD_INTERVAL_MS, prefix: '/mcu-factory' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const factoryUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/mcu-factory`;
    const factory = new ConferencingServerFactory({ db, silentAfterMs: SILENT_AFTER_MS, log: quietLog });

    const tag = randomBytes(3).toString('hex');
    const [a, b] = await Promise.all(
      ['a', 'b'].map((name) =>
        spawnMcu({
          env: { secret, port: 0, workers: 1, mcuId: `mcu-${name}-${tag}`, factoryUrl, loadIntervalMs: 5_000, logLevel: 'warn' },
          stderr: 'ignore',
        }).then((m) => (mcus.push(m), m)),
      ),
    );
    const idA = a!.ready.mcuId;
    const idB = b!.ready.mcuId;
    const byId = async () => new Map((await factory.list()).map((m) => [m.mcuId, m]));
    const reported = (id: string, conferences: number) =>
      waitFor(byId, (m) => m.get(id)?.live === true && m.get(id)?.load?.conferences === conferences, WAIT_MS, `${id} reporting ${conferences} conferences`);
    // The MCUs were started with 5 s; the Factory's reply made them report every 500 ms.
    await reported(idA, 0);
    await reported(idB, 0);
    const listed = (await byId()).get(idA)!;
    assert.equal(listed.apiUrl, a!.ready.apiUrl);
    assert.deepEqual(listed.mediaTypes, ['audio', 'video', 'screen']);

    // What the Focus does after a pick: create the conference on the chosen MCU.
    const createOn = async (mcu: Pick<McuInfo, 'apiUrl'>, conferenceId: string) => {
      const res = await fetch(`${mcu.apiUrl}/v1/conferences`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ conferenceId }),
      });
      assert.ok(res.status === 201 || res.status === 200, `create ${conferenceId}: HTTP ${res.status}`);
    };
    const place = async (conferenceId: string) => {
      const mcu = await factory.pick(conferenceId, 'video');
      await createOn(mcu, conferenceId);
      return mcu.mcuId;
    };

    // A carries two conferences the Factory did not place: its reports say so.
    await createOn(a!.ready, 'preloaded-1');
    await createOn(a!.ready, 'preloaded-2');
    await reported(idA, 2);
    assert.equal(await place('c1'), idB, 'B reports less load');
    await reported(idB, 1);
    assert.equal(await place('c2'), idB);
    await reported(idB, 2);
    const c3 = await place('c3');
    await reported(c3, 3);
    const c4 = await place('c4');
    assert.notEqual(c4, c3, 'with equal load the next conference goes to the other MCU');
    assert.equal((await factory.pick('c1', 'video')).mcuId, idB, 'sticky');

    // B goes silent (paused, no goodbye): passed over, and c1 moves when its clients rejoin.
    b!.child.kill('SIGSTOP');
    await waitFor(byId, (m) => m.get(idB)?.live === false, WAIT_MS, 'B silent');
    assert.equal(await place('c5'), idA);
    assert.equal(await place('c1'), idA, 'c1 reassigned off the silent MCU');
    b!.child.kill('SIGCONT');
    await waitFor(byId, (m) => m.get(idB)?.live === true, WAIT_MS, 'B reporting again');
    assert.equal((await factory.pick('c1', 'video')).mcuId, idA, 'c1 stays where it moved');

    // B stops cleanly: it says goodbye, and every new conference goes to A.
    await b!.stop();
    await waitFor(byId, (m) => !m.has(idB), WAIT_MS, 'B gone after its goodbye');
    for (const c of ['c6', 'c7', 'c2']) assert.equal(await place(c), idA, c);
    await assert.rejects(factory.pick('audio-only-check', 'screen').then(async () => {
      await a!.stop();
      await waitFor(byId, (m) => m.size === 0, WAIT_MS, 'no MCU left');
      return factory.pick('after-all-gone', 'audio');
    }), { name: 'NoMcuAvailableError' });
  });
});
