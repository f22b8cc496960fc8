/**
 * The MCU registers with the Conferencing Server Factory and reports load, tolerating a Factory
 * that is not there yet or forgets it. The Factory (server/conferencing) is stood in for by a
 * plain HTTP server that records what arrives and checks it against the shared schemas.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { McuLoad, McuRegistration } from '../../shared/mcu/factory';
import { workerMissingReason } from '../media/workerBin';
import { startTestMcu, waitFor, type TestMcu } from '../testing/harness';

type Seen = { method: string; url: string; auth: string | undefined; body: unknown };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

describe('registration with the conferencing server factory', { skip: workerMissingReason() }, () => {
  let mcu: TestMcu | undefined;
  let factory: Server | undefined;
  after(async () => {
    await mcu?.close();
    factory?.closeAllConnections();
    await new Promise<void>((r) => (factory ? factory.close(() => r()) : r()));
  });

  test('registers once the factory appears, reports load, re-registers when forgotten, says goodbye', async () => {
    const port = await freePort();
    mcu = await startTestMcu({ workers: 1, factoryUrl: `http://127.0.0.1:${port}/fe/`, loadIntervalMs: 200 });
    assert.equal(mcu.factory?.state, 'registering', 'the MCU serves while the factory is absent');
    assert.equal((await mcu.api('GET', '/v1/health')).status, 200);

    const seen: Seen[] = [];
    let forget = false;
    factory = createServer(async (req, res) => {
      const body = await readBody(req);
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      if (req.method === 'POST') {
        forget = false;
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ mcuId: (body as { mcuId: string }).mcuId }));
      } else res.writeHead(forget ? 404 : 204).end();
    });
    await new Promise<void>((r) => factory!.listen(port, '127.0.0.1', r));

    const registrations = () => seen.filter((s) => s.method === 'POST');
    const loads = () => seen.filter((s) => s.method === 'PUT');
    await waitFor(async () => loads().length, (n) => n >= 2, 15_000, 'two load reports');
    const [registration] = registrations();
    assert.equal(registration!.url, '/fe/v1/mcus', 'the path prefix of MCU_FACTORY_URL is kept');
    assert.equal(registration!.auth, `Bearer ${mcu.secret}`);
    assert.ok(Value.Check(McuRegistration, registration!.body), JSON.stringify([...Value.Errors(McuRegistration, registration!.body)][0]));
    const body = registration!.body as McuRegistration;
    assert.equal(body.mcuId, mcu.mcuId);
    assert.equal(body.apiUrl, mcu.apiUrl);
    assert.deepEqual(body.mediaTypes, ['audio', 'video', 'screen']);
    assert.equal(body.capacity.workers, 1);
    for (const load of loads()) {
      assert.equal(load.url, `/fe/v1/mcus/${encodeURIComponent(mcu.mcuId)}/load`);
      assert.ok(Value.Check(McuLoad, load.body), JSON.stringify([...Value.Errors(McuLoad, load.body)][0]));
    }
    assert.equal(mcu.factory?.state, 'registered');

    forget = true;
    await waitFor(async () => registrations().length, (n) => n >= 2, 10_000, 'a new registration after a 404');

    await mcu.close();
    assert.ok(seen.some((s) => s.method === 'DELETE' && s.url === `/fe/v1/mcus/${encodeURIComponent(mcu!.mcuId)}`));
    mcu = undefined;
  });
});
