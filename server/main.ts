/**
 * `npm start`: the embedded default (Standard Edition) in the foreground — one Front End with
 * SQLite in the data dir (or PostgreSQL when OCS_DB is a postgres:// URL). Stops cleanly on
 * SIGINT/SIGTERM.
 */
import { startFrontEnd } from './app';
import { spawnMcu, type SpawnedMcu } from '../mcu/spawn';

async function main(): Promise<void> {
  // A signal during start-up is honoured once everything started (then stopped in order), instead
  // of killing this process at once and leaving the MCU child half-started.
  let early: string | undefined;
  const remember = (signal: string) => (early ??= signal);
  process.on('SIGINT', remember);
  process.on('SIGTERM', remember);
  const fe = await startFrontEnd();
  if (fe.demoUsers?.length) {
    const lines = fe.demoUsers.map((u) => `    sip:${u.name}@${fe.config.domain}  password: ${u.password}`);
    process.stdout.write(`\nFirst start: demo users were created (shown once):\n${lines.join('\n')}\n\n`);
  }
  // The embedded default runs the AV MCU beside the Front End (a separate process, DESIGN.md);
  // OCS_MCU=0 leaves it out. Without it the server still runs; only meetings lack media.
  let mcu: SpawnedMcu | undefined;
  if (process.env.OCS_MCU !== '0') {
    try {
      mcu = await spawnMcu({ env: { secret: fe.mcuSecret, factoryUrl: fe.mcuFactoryUrl, port: 0, host: fe.config.host === '0.0.0.0' ? '127.0.0.1' : fe.config.host } });
      fe.log.info('AV MCU ready', { id: mcu.ready.mcuId, api: mcu.ready.apiUrl, workers: mcu.ready.workers });
    } catch (err) {
      fe.log.error('AV MCU did not start: meetings will have no audio/video (see docs/mcu.md)', { err });
    }
  }
  process.stdout.write(`OCS Web is running: http://localhost:${fe.httpPort}/  (SIP over TCP on port ${fe.sipPort}, WebSocket at /sip)\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    fe.log.info('stopping', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void (mcu ? mcu.stop() : Promise.resolve()).then(() => fe.close()).then(() => process.exit(0));
  };
  process.off('SIGINT', remember);
  process.off('SIGTERM', remember);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (early) stop(early);
}

main().catch((err: unknown) => {
  process.stderr.write(`OCS Web failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
