/** The Factory's MCU-facing HTTP routes: auth, schemas, registration life cycle (both DB engines). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbEngines } from '../../db/testing';
import { factoryFixture, load, registration, TEST_SECRET } from './testing';

function errorOf(body: string): { code: string; message: string } {
  return (JSON.parse(body) as { error: { code: string; message: string } }).error;
}

for (const engine of dbEngines()) {
  describe(`conferencing factory HTTP on ${engine.name}`, { skip: engine.skip }, () => {
    test('refuses requests without the shared secret (401), storing nothing', async () => {
      const f = await factoryFixture(engine);
      try {
        for (const auth of [null, 'wrong-secret-wrong-secret', `${TEST_SECRET}x`, '']) {
          const res = await f.send('POST', '/v1/mcus', registration('m1'), auth);
          assert.equal(res.statusCode, 401, `auth ${String(auth)}`);
          assert.equal(errorOf(res.body).code, 'UNAUTHORIZED');
          assert.match(String(res.headers['www-authenticate']), /^Bearer /);
        }
        const basic = await f.app.inject({ method: 'POST', url: '/v1/mcus', headers: { authorization: `Basic ${TEST_SECRET}` }, payload: registration('m1') });
        assert.equal(basic.statusCode, 401);
        assert.deepEqual(await f.factory.list(), []);

        await f.register('m1');
        assert.equal((await f.send('PUT', '/v1/mcus/m1/load', load('m1', { conferences: 9 }), null)).statusCode, 401);
        assert.equal((await f.send('DELETE', '/v1/mcus/m1', undefined, 'nope-nope-nope-nope')).statusCode, 401);
        const [m1] = await f.factory.list();
        assert.equal(m1?.load, undefined, 'the unauthenticated report was not recorded');
        assert.equal(m1?.mcuId, 'm1', 'the unauthenticated goodbye was not honoured');
      } finally {
        await f.close();
      }
    });

    test('refuses bodies and parameters that do not match the shared schemas (400 with a message)', async () => {
      const f = await factoryFixture(engine);
      try {
        const { capacity: _omitted, ...noCapacity } = registration('m1');
        const bad: [string, unknown, RegExp][] = [
          ['missing capacity', noCapacity, /capacity/],
          ['unknown media type', { ...registration('m1'), mediaTypes: ['fax'] }, /mediaTypes/],
          ['no media types', { ...registration('m1'), mediaTypes: [] }, /mediaTypes/],
          ['extra property', { ...registration('m1'), admin: true }, /Invalid body/],
          ['zero workers', { ...registration('m1'), capacity: { workers: 0, maxConsumers: 10 } }, /workers/],
          ['empty id', { ...registration('m1'), mcuId: '' }, /mcuId/],
          ['api URL not http', { ...registration('m1'), apiUrl: 'file:///etc/passwd' }, /apiUrl/],
          ['api URL with credentials', { ...registration('m1'), apiUrl: 'http://u:p@127.0.0.1:1' }, /apiUrl/],
        ];
        for (const [what, body, message] of bad) {
          const res = await f.send('POST', '/v1/mcus', body);
          assert.equal(res.statusCode, 400, what);
          const error = errorOf(res.body);
          assert.equal(error.code, 'BAD_REQUEST', what);
          assert.match(error.message, message, what);
        }
        const notJson = await f.app.inject({
          method: 'POST',
          url: '/v1/mcus',
          headers: { authorization: `Bearer ${TEST_SECRET}`, 'content-type': 'application/json' },
          payload: '{"mcuId":',
        });
        assert.equal(notJson.statusCode, 400);
        assert.equal(errorOf(notJson.body).code, 'BAD_REQUEST');
        const text = await f.app.inject({
          method: 'POST',
          url: '/v1/mcus',
          headers: { authorization: `Bearer ${TEST_SECRET}`, 'content-type': 'text/plain' },
          payload: 'hello',
        });
        assert.equal(text.statusCode, 415);
        assert.equal(errorOf(text.body).code, 'UNSUPPORTED_MEDIA_TYPE');
        assert.deepEqual(await f.factory.list(), []);

        await f.register('m1');
        const mismatch = await f.send('PUT', '/v1/mcus/m1/load', load('m2'));
        assert.equal(mismatch.statusCode, 400);
        assert.match(errorOf(mismatch.body).message, /mcuId/);
        const negative = await f.send('PUT', '/v1/mcus/m1/load', load('m1', { consumers: -1 }));
        assert.equal(negative.statusCode, 400);
        assert.match(errorOf(negative.body).message, /consumers/);
        const huge = await f.send('PUT', '/v1/mcus/m1/load', load('m1', { workers: Array.from({ length: 2_000 }, (_, i) => ({ pid: i, routers: 1, cpu: 0.5 })) }));
        assert.equal(huge.statusCode, 413);
        assert.equal(errorOf(huge.body).code, 'PAYLOAD_TOO_LARGE');
        assert.equal((await f.factory.list())[0]?.load, undefined);
      } finally {
        await f.close();
      }
    });

    test('register (201, then 200), report load (204; 404 when unknown), say goodbye (204; then 404)', async () => {
      const f = await factoryFixture(engine, '/fe');
      try {
        const first = await f.send('POST', '/v1/mcus', registration('av-1', { mediaTypes: ['audio', 'audio', 'video'] }));
        assert.equal(first.statusCode, 201);
        assert.deepEqual(JSON.parse(first.body), { mcuId: 'av-1', loadIntervalMs: 1_000 });
        assert.equal((await f.send('POST', '/v1/mcus', registration('av-1', { mediaTypes: ['audio', 'video'] }))).statusCode, 200);
        assert.equal((await f.send('PUT', '/v1/mcus/other/load', load('other'))).statusCode, 404, 'unknown MCU: register again');
        assert.equal(errorOf((await f.send('PUT', '/v1/mcus/other/load', load('other'))).body).code, 'MCU_NOT_FOUND');

        f.clock.now += 500;
        assert.equal((await f.send('PUT', '/v1/mcus/av-1/load', load('av-1', { conferences: 2, users: 5, consumers: 20, cpu: 0.25 }))).statusCode, 204);
        const [mcu] = await f.factory.list();
        assert.equal(mcu?.mcuId, 'av-1');
        assert.deepEqual(mcu?.mediaTypes, ['audio', 'video']);
        assert.equal(mcu?.apiUrl, 'http://127.0.0.1:9/av-1');
        assert.equal(mcu?.load?.users, 5);
        assert.equal(mcu?.lastSeenAt, f.clock.now, "the Factory's clock, not the MCU's");
        assert.equal(mcu?.live, true);

        assert.equal((await f.send('DELETE', '/v1/mcus/av-1')).statusCode, 204);
        assert.equal((await f.send('DELETE', '/v1/mcus/av-1')).statusCode, 404);
        assert.equal((await f.send('PUT', '/v1/mcus/av-1/load', load('av-1'))).statusCode, 404);
        assert.deepEqual(await f.factory.list(), []);
      } finally {
        await f.close();
      }
    });
  });
}
