/**
 * `npm run fuzz`: the long fuzzing run against a real Front End (server/fuzz/campaign.ts).
 * FUZZ_SECONDS (default 600), FUZZ_SEED (default: the time), FUZZ_WORKERS (default 6).
 * Exits 1 on any crash, hang, leak or lost healthy request, printing the seed to reproduce.
 */
import { TestFrontEnd } from '../testing/frontend';
import { FUZZ_USERS, runCampaign } from './campaign';

const seconds = Number(process.env.FUZZ_SECONDS ?? 600);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const workers = Number(process.env.FUZZ_WORKERS ?? 6);

process.stdout.write(`fuzzing a Front End for ${seconds} s with seed ${seed} (${workers} workers)\n`);
const t = await TestFrontEnd.start({ users: FUZZ_USERS.map((name) => ({ name, password: `${name}-secret-1` })), overrides: { limits: { messageAssemblyTimeoutMs: 2_000 } } });
let code = 0;
try {
  const report = await runCampaign(t, { seconds, seed, workers, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (report.failures.length) {
    process.stdout.write(`FAILED (${report.failures.length}); reproduce with FUZZ_SEED=${seed}\n`);
    code = 1;
  } else process.stdout.write('no crash, hang, leak or lost request\n');
} finally {
  await t.close();
}
process.exit(code);
