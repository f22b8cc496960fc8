/**
 * The plugin mounted as the composition root mounts it: inside the Front End's HTTP server
 * (server/http), whose Ajv strips unknown properties and whose error handler speaks the API
 * catalogue. The plugin keeps its own strict validation and errors; the host's routes keep theirs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dbEngines } from '../../db/testing';
import { makeHarness } from '../../http/testing/harness';
import { ConferencingServerFactory } from './factory';
import { conferencingFactoryPlugin } from './plugin';
import { MCU_FACTORY_MIGRATIONS } from './schema';
import { quietLog, registration, TEST_SECRET } from './testing';

test('mounted in the Front End HTTP server under /mcu-factory', async () => {
  const db = await dbEngines()[0]!.open({ migrations: [MCU_FACTORY_MIGRATIONS] });
  const { app } = await makeHarness();
  try {
    await app.register(conferencingFactoryPlugin, { db, secret: TEST_SECRET, log: quietLog, prefix: '/mcu-factory' });
    await app.ready();
    const auth = { authorization: `Bearer ${TEST_SECRET}` };

    const created = await app.inject({ method: 'POST', url: '/mcu-factory/v1/mcus', headers: auth, payload: registration('m1') });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json(), { mcuId: 'm1' }, 'no loadIntervalMs asked: the MCU keeps its own');
    assert.equal(created.headers['x-content-type-options'], 'nosniff', "the host's security headers apply");

    const extra = await app.inject({ method: 'POST', url: '/mcu-factory/v1/mcus', headers: auth, payload: { ...registration('m2'), extra: 1 } });
    assert.equal(extra.statusCode, 400, 'refused, not stripped as the host Ajv would');
    const text = await app.inject({ method: 'POST', url: '/mcu-factory/v1/mcus', headers: { ...auth, 'content-type': 'text/plain' }, payload: 'x' });
    assert.equal(text.statusCode, 415);
    const anonymous = await app.inject({ method: 'DELETE', url: '/mcu-factory/v1/mcus/m1' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error.code, 'UNAUTHORIZED');

    // The host's own API is untouched: the MCU secret is not a user token there.
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: auth });
    assert.equal(me.statusCode, 401);
    assert.equal(me.json().error.code, 'UNAUTHENTICATED');

    const factory = new ConferencingServerFactory({ db });
    assert.deepEqual((await factory.list()).map((m) => m.mcuId), ['m1']);
    assert.equal((await factory.pick('conf', 'audio')).mcuId, 'm1');
  } finally {
    await app.close();
    await db.close();
  }
});
