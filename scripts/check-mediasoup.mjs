#!/usr/bin/env node
// Checks that the mediasoup worker installed by postinstall really runs: a Worker and a Router.
import * as mediasoup from 'mediasoup';

const worker = await mediasoup.createWorker({ logLevel: 'warn' }).catch((err) => {
  console.error(`mediasoup worker does not start: ${err.message}\nRun: bash scripts/build-mediasoup-worker.sh && npm rebuild`);
  process.exit(1);
});
const router = await worker.createRouter({ mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }] });
console.log(`mediasoup ${mediasoup.version} ok: worker pid ${worker.pid}, router ${router.id.slice(0, 8)}`);
worker.close();
