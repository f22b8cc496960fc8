/**
 * The load generator's user agent against a real Front End (in-process): Digest once then nonce
 * reuse, a fresh challenge on a new connection, MESSAGE relay to a registered WebSocket user,
 * OPTIONS; and the bench's pure helpers (ratios, profile self times).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestFrontEnd } from '../../server/testing/frontend';
import { ratios } from '../sip.bench';
import { selfTimes } from '../profile.bench';
import { openTcp, openWs } from './links';
import { Ua } from './ua';
import { BENCH_PASSWORD } from '../targets/types';

let t: TestFrontEnd;
before(async () => {
  t = await TestFrontEnd.start({ users: ['bench0', 'bench1'].map((name) => ({ name, password: BENCH_PASSWORD })) });
});
after(async () => {
  await t?.close();
});

test('REGISTER is challenged once, then the nonce is reused with a rising nc', async () => {
  const ua = new Ua(await openTcp(t.sipPort), 'bench0', t.domain, BENCH_PASSWORD);
  const first = await ua.register();
  assert.deepEqual([first.status, first.challenged], [200, true]);
  const again = await Promise.all([ua.register(), ua.register(), ua.register()]);
  assert.deepEqual(again.map((r) => [r.status, r.challenged]), [[200, false], [200, false], [200, false]]);
  assert.equal(ua.challenges, 1);
  ua.link.close();
  // A new connection is challenged afresh (the "fresh challenge" workload).
  const fresh = new Ua(await openTcp(t.sipPort), 'bench0', t.domain, BENCH_PASSWORD);
  assert.deepEqual([(await fresh.register()).challenged, (await fresh.options()).status], [true, 200]);
  fresh.link.close();
});

test('a MESSAGE is relayed to a user registered over WebSocket and answered 200 by its UA', async () => {
  const receiver = new Ua(await openWs(t.wsUrl()), 'bench1', t.domain, BENCH_PASSWORD);
  assert.equal((await receiver.register()).status, 200);
  const sender = new Ua(await openWs(t.wsUrl()), 'bench0', t.domain, BENCH_PASSWORD);
  assert.equal((await sender.register()).status, 200);
  const r = await sender.message(receiver.aor, 'hello');
  assert.equal(r.status, 200, r.line);
  assert.equal(receiver.received, 1);
  sender.link.close();
  receiver.link.close();
});

test('ratios pair ours with kamailio; profile self times add up to 100 %', () => {
  const r = ratios([
    { name: 'ours.register.nc.tcp', value: 5, unit: '' },
    { name: 'kamailio.register.nc.tcp', value: 10, unit: '' },
    { name: 'ours.message.relay.ws', value: 1, unit: '' },
  ]);
  assert.deepEqual(r.map((f) => [f.name, f.value]), [['ratio.register.nc.tcp', 0.5]]);
  const { functions, files } = selfTimes({
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 } },
      { id: 2, callFrame: { functionName: 'parse', url: `file://${process.cwd()}/server/sip/message/parse.ts`, lineNumber: 9, columnNumber: 2 } },
    ],
    samples: [1, 2, 2, 2],
    timeDeltas: [10, 10, 10, 10],
  });
  assert.equal(functions.get('server/sip/message/parse.ts:parse'), 75);
  assert.equal([...files.values()].reduce((a, b) => a + b, 0), 100);
});

test('profile samples in a bundle are attributed to their source file through its source map', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocs-prof-map-'));
  try {
    const bundle = join(dir, 'bundle.js');
    writeFileSync(bundle, 'function parse(){}\n');
    // One mapping: generated 0:0 is line 0 of the parser source (an absolute path, as the test has no repo-relative bundle).
    writeFileSync(`${bundle}.map`, JSON.stringify({ version: 3, sources: [join(process.cwd(), 'server/sip/message/parse.ts')], names: [], mappings: 'AAAA' }));
    const { files } = selfTimes({
      nodes: [{ id: 1, callFrame: { functionName: 'parse', url: pathToFileURL(bundle).href, lineNumber: 0, columnNumber: 0 } }],
      samples: [1, 1],
      timeDeltas: [5, 5],
    });
    assert.deepEqual([...files.keys()], ['server/sip/message/parse.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
