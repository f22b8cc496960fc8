/** The MCU as its own process (how the Front End starts it): ready line, HTTP up, clean stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { workerMissingReason } from './media/workerBin';
import { spawnMcu } from './spawn';

test('spawnMcu starts `mcu/main.ts`, which reports ready and stops on SIGTERM', { skip: workerMissingReason() }, async () => {
  const secret = randomBytes(18).toString('base64url');
  const mcu = await spawnMcu({ env: { secret, port: 0, workers: 1, logLevel: 'warn' }, stderr: 'ignore' });
  try {
    assert.equal(mcu.ready.event, 'mcu-ready');
    assert.equal(mcu.ready.workers, 1);
    assert.match(mcu.ready.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${mcu.ready.apiUrl}/v1/health`);
    assert.equal(health.status, 200);
    const state = await fetch(`${mcu.ready.apiUrl}/v1/state`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(state.status, 200);
  } finally {
    await mcu.stop();
  }
  assert.equal(mcu.child.exitCode, 0, 'a clean exit on SIGTERM');
});

test('a missing secret is a configuration error, reported before anything starts', async () => {
  await assert.rejects(spawnMcu({ env: { secret: '' }, stderr: 'ignore' }), /exited before it was ready \(code 2\)/);
});

test('the MCU stops on its own when the process that started it is gone (its stdin pipe closes)', { skip: workerMissingReason() }, async () => {
  const secret = randomBytes(18).toString('base64url');
  const mcu = await spawnMcu({ env: { secret, port: 0, workers: 1, logLevel: 'warn' }, stderr: 'ignore' });
  const exited = new Promise<number | null>((resolve) => mcu.child.once('exit', (code) => resolve(code)));
  try {
    mcu.child.stdin!.end(); // what the kernel does to the pipe when the Front End dies, even by SIGKILL
    const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000).unref())]);
    assert.equal(code, 0, 'stopped cleanly, not orphaned');
    await assert.rejects(fetch(`${mcu.ready.apiUrl}/v1/health`), 'its HTTP API is gone');
  } finally {
    await mcu.stop(0);
  }
});
