/**
 * The AV MCU process: `tsx mcu/main.ts` (npm run mcu). Configured by MCU_* environment variables
 * (docs/mcu.md); prints one JSON ready line on stdout (McuReadyLine), logs to stderr, and stops
 * cleanly on SIGTERM/SIGINT.
 */
import type { McuReadyLine } from '../shared/mcu/env';
import { startMcu } from './app';
import { loadMcuConfig } from './config';
import { createMcuLog } from './log';

async function main(): Promise<void> {
  let config;
  try {
    config = loadMcuConfig(process.env);
  } catch (err) {
    process.stderr.write(`mcu: configuration error: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createMcuLog(config.logLevel);
  const mcu = await startMcu(config, log);
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { why });
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    mcu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // The Front End that started us reads our stdout and holds our stdin (spawn.ts): when it is gone
  // (stopped before we were ready, or killed), stop too, instead of dying on EPIPE or living on as
  // an orphan holding the media ports.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => stop(`stdout: ${err.code ?? err.message}`));
  if (process.env.MCU_EXIT_WITH_PARENT === '1') {
    process.stdin.on('end', () => stop('the parent process is gone'));
    process.stdin.on('error', () => stop('the parent process is gone'));
    process.stdin.resume();
  }
  const ready: McuReadyLine = {
    event: 'mcu-ready',
    mcuId: mcu.mcuId,
    apiUrl: mcu.apiUrl,
    signalingUrl: mcu.signalingUrl,
    signalingPath: mcu.signalingPath,
    workers: mcu.pool.size,
  };
  process.stdout.write(JSON.stringify(ready) + '\n');
  log.info('AV MCU ready', { apiUrl: mcu.apiUrl, workers: mcu.pool.size });
}

main().catch((err: unknown) => {
  process.stderr.write(`mcu: failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
