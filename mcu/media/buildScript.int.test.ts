/**
 * scripts/build-mediasoup-worker.sh and scripts/postinstall.mjs, on their quick paths (the slow
 * path, the source build, is exercised whenever the cache is cold: CI and fresh machines). Runs
 * against a scratch "mediasoup" directory and cache, never the project's own node_modules.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveWorkerBin, workerMissingReason } from './workerBin';

const SCRIPT = fileURLToPath(new URL('../../scripts/build-mediasoup-worker.sh', import.meta.url));
const POSTINSTALL = fileURLToPath(new URL('../../scripts/postinstall.mjs', import.meta.url));

describe('the mediasoup worker build script', { skip: workerMissingReason() }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ms-build-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** A stand-in mediasoup package: only package.json (no worker sources). */
  function fakeMediasoup(version: string): string {
    const dir = join(scratch, `mediasoup-${version}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mediasoup', version }));
    return dir;
  }
  const run = (file: string, env: Record<string, string>) =>
    spawnSync(file.endsWith('.mjs') ? process.execPath : 'sh', [file], {
      env: { PATH: process.env.PATH!, HOME: scratch, MEDIASOUP_WORKER_SKIP_DOWNLOAD: '1', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  test('a given binary is verified, cached under its version, and installed where mediasoup looks', () => {
    const msDir = fakeMediasoup('9.9.1');
    const cache = join(scratch, 'cache');
    const r = run(SCRIPT, { MEDIASOUP_DIR: msDir, MEDIASOUP_WORKER_CACHE: cache, MEDIASOUP_WORKER_BIN: resolveWorkerBin()! });
    assert.equal(r.status, 0, r.stderr);
    const installed = join(msDir, 'worker/out/Release/mediasoup-worker');
    assert.equal(r.stdout.trim(), installed);
    assert.ok(existsSync(join(cache, '9.9.1/mediasoup-worker')));
    assert.equal(readFileSync(join(cache, '9.9.1/origin'), 'utf8').trim(), 'user');

    // Second run: the cache alone suffices (no MEDIASOUP_WORKER_BIN), and reinstalls a lost copy.
    rmSync(installed);
    const again = run(SCRIPT, { MEDIASOUP_DIR: msDir, MEDIASOUP_WORKER_CACHE: cache });
    assert.equal(again.status, 0, again.stderr);
    assert.ok(existsSync(installed));
    assert.equal(again.stderr, '', 'a cached worker is a silent no-op');
  });

  test('a binary that does not run on this host is refused', () => {
    const fake = join(scratch, 'not-a-worker');
    copyFileSync('/bin/true', fake);
    const r = run(SCRIPT, { MEDIASOUP_DIR: fakeMediasoup('9.9.2'), MEDIASOUP_WORKER_CACHE: join(scratch, 'cache'), MEDIASOUP_WORKER_BIN: fake });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /does not run on this host/);
  });

  test('without a cache, a download or sources, postinstall fails loudly and says why', () => {
    const r = run(POSTINSTALL, { MEDIASOUP_DIR: fakeMediasoup('9.9.3'), MEDIASOUP_WORKER_CACHE: join(scratch, 'empty-cache') });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /worker sources are missing/);
    assert.match(r.stderr, /postinstall FAILED: the mediasoup worker could not be provided/);
  });

  test('before npm install (CI warming the cache), a cached worker for the pinned version suffices', () => {
    const cache = join(scratch, 'warm-cache');
    const pinned = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { dependencies: Record<string, string> }).dependencies.mediasoup!;
    mkdirSync(join(cache, pinned), { recursive: true });
    copyFileSync(resolveWorkerBin()!, join(cache, pinned, 'mediasoup-worker'));
    writeFileSync(join(cache, pinned, 'origin'), 'user\n');
    const r = run(SCRIPT, { MEDIASOUP_DIR: join(scratch, 'not-installed-yet'), MEDIASOUP_WORKER_CACHE: cache });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), join(cache, pinned, 'mediasoup-worker'));
    assert.match(r.stderr, /npm install will put it in node_modules/);
  });
});
