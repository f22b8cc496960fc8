#!/usr/bin/env node
// Root postinstall (npm install): makes sure mediasoup's media worker binary exists.
// package.json denies mediasoup's own install script (it downloads from GitHub, then pip), so this
// runs scripts/build-mediasoup-worker.sh instead: a cached binary makes it a no-op of a fraction
// of a second; otherwise the prebuilt download or the offline source build (minutes).
// Set OCS_SKIP_MEDIA_WORKER=1 to skip it (e.g. an install that will never run the AV MCU).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

if (process.env.OCS_SKIP_MEDIA_WORKER === '1') {
  console.error('[postinstall] OCS_SKIP_MEDIA_WORKER=1: not providing the mediasoup worker (the AV MCU will not start)');
  process.exit(0);
}

const result = spawnSync('sh', [join(here, 'build-mediasoup-worker.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
if (result.status !== 0) {
  const why = result.error ? result.error.message : `exit status ${result.status ?? result.signal}`;
  console.error(
    [
      '',
      '==================================================================',
      ` postinstall FAILED: the mediasoup worker could not be provided (${why}).`,
      ' The messages above say why. Fix that and run `npm install` again,',
      ' or `sh scripts/build-mediasoup-worker.sh` on its own.',
      ' Without it the AV MCU (audio/video conferencing) cannot start.',
      '==================================================================',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
console.error(`[postinstall] mediasoup worker ready: ${result.stdout.toString().trim()}`);
