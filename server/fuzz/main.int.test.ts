import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The CLI as an operator runs it: a clean campaign exits 0. It once printed "no crash" and then hung
// in shutdown (a drained connection whose peer never closed held the SIP server open): exit 13.
test('npm run fuzz: a short clean campaign reports and exits 0', () => {
  const repo = join(import.meta.dirname, '..', '..');
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'server', 'fuzz', 'main.ts')], {
    cwd: repo,
    env: { ...process.env, FUZZ_SECONDS: '2', FUZZ_SEED: '4242', FUZZ_WORKERS: '2' },
    encoding: 'utf8',
    timeout: 90_000,
  });
  assert.match(run.stdout, /no crash, hang, leak or lost request/, run.stdout.slice(-2_000) + run.stderr.slice(-2_000));
  assert.equal(run.status, 0, `exit ${run.status}: ${run.stderr.slice(-1_000)}`);
});
