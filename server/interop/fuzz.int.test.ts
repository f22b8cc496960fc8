/**
 * The short, bounded fuzzing run of `npm test` (the long one is `npm run fuzz`): mutated corpus and
 * RFC 4475 messages, split across TCP segments and WebSocket frames, against a real Front End for
 * ~20 s (FUZZ_TEST_SECONDS), failing on any crash, hang, leak or lost healthy request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestFrontEnd } from '../testing/frontend';
import { FUZZ_USERS, runCampaign } from '../fuzz/campaign';

const SECONDS = Number(process.env.FUZZ_TEST_SECONDS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 4475);

let t: TestFrontEnd;
before(async () => {
  t = await TestFrontEnd.start({ users: FUZZ_USERS.map((name) => ({ name, password: `${name}-secret-1` })), overrides: { limits: { messageAssemblyTimeoutMs: 2_000 } } });
});
after(async () => {
  await t?.close();
});

test(`fuzzing a Front End for ${SECONDS} s (seed ${SEED}): no crash, hang, leak or lost request`, async (ctx) => {
  const report = await runCampaign(t, { seconds: SECONDS, seed: SEED });
  const { failures, ...figures } = report;
  ctx.diagnostic(JSON.stringify(figures));
  assert.deepEqual(failures, [], `reproduce with FUZZ_SEED=${SEED}`);
  assert.ok(report.messages > 100, `only ${report.messages} messages were sent`);
  assert.ok(report.splitsChecked > 100, `only ${report.splitsChecked} cuts were checked`);
  assert.ok(report.healthyMessages > 10 && report.healthyPings > 10, 'the healthy clients barely ran');
});
