/**
 * `npm start`'s entry (server/main.ts) as a process: a SIGTERM that arrives while it is still
 * starting (the AV MCU not ready yet) stops everything in order once start-up is done: exit 0, and
 * the MCU it started is gone too (before, the Front End died at once and the MCU crashed on EPIPE).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerMissingReason } from '../mcu/media/workerBin';

const ROOT = join(import.meta.dirname, '..');

test('a SIGTERM during start-up stops the Front End and its MCU cleanly', { skip: workerMissingReason() }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ocs-main-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, OCS_DATA_DIR: dataDir, OCS_HTTP_PORT: '0', OCS_SIP_PORT: '0', OCS_HOST: '127.0.0.1', OCS_SERVE_CLIENT: '0', OCS_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Mid-start: the database is open (the first log line), the MCU not started yet.
    const deadline = Date.now() + 60_000;
    while (!/applied migrations/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    assert.match(output, /applied migrations/, output.slice(-3000));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 60_000).unref())]);
    assert.equal(code, 0, output.slice(-3000));
    assert.doesNotMatch(output, /EPIPE|Unhandled/);
    const api = /AV MCU ready id=\S+ api=(http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
    if (api) await assert.rejects(fetch(`${api}/v1/health`), 'the MCU stopped with the Front End');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
