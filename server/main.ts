/**
 * `npm start`: the embedded default (Standard Edition) in the foreground — one Front End with
 * SQLite in the data dir (or PostgreSQL when OCS_DB is a postgres:// URL). Stops cleanly on
 * SIGINT/SIGTERM.
 */
import { startFrontEnd } from './app';

async function main(): Promise<void> {
  const fe = await startFrontEnd();
  if (fe.demoUsers?.length) {
    const lines = fe.demoUsers.map((u) => `    sip:${u.name}@${fe.config.domain}  password: ${u.password}`);
    process.stdout.write(`\nFirst start: demo users were created (shown once):\n${lines.join('\n')}\n\n`);
  }
  process.stdout.write(`OCS Web is running: http://localhost:${fe.httpPort}/  (SIP over TCP on port ${fe.sipPort}, WebSocket at /sip)\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    fe.log.info('stopping', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void fe.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`OCS Web failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
