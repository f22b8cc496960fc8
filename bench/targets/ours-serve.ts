/**
 * The bench's Front End child (bench/targets/ours.ts bundles and starts it): one Front End as a user
 * runs it, with users bench0..N-1 provisioned through the user store. It takes one-line commands on
 * stdin (`gc` collects garbage before a memory reading; `profile-start` / `profile-stop <file>` run
 * the V8 CPU profiler over a load window only) and stops when stdin ends.
 * By hand, after a bench run: `node --expose-gc dist/bench/ours-serve.js <users> [real-limits] [--db <postgres url>] [no-provision]`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFrontEnd } from '../../server/app';
import { DEFAULT_AUTH, DEFAULT_LIMITS } from '../../server/config';
import { BENCH_PASSWORD, benchUser } from './types';

/** The V8 CPU profiler of this process, started and stopped on command (only the load window is profiled). */
const profiler = {
  session: undefined as Session | undefined,
  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.post('Profiler.start');
  },
  async stop(file: string): Promise<void> {
    if (!this.session) return;
    const { profile } = await this.session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    this.session.disconnect();
    this.session = undefined;
  },
};

/** `dbUrl`: a PostgreSQL database (a pool member); `provision`: create the bench users (the first member only). */
async function serve(users: number, realLimits: boolean, dbUrl: string | undefined, provision: boolean): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ocs-bench-'));
  const fe = await startFrontEnd(
    {
      host: '127.0.0.1', httpPort: 0, sipPort: 0, dataDir, serveClient: false, seedDemoUsers: false, logLevel: 'error',
      dbUrl,
      poolHeartbeatMs: 500,
      // Cheap password hashes: provisioning thousands of users must not take minutes (Digest uses the stored HA1).
      scryptLog2N: 4,
      // Every bench client comes from 127.0.0.1: lift the per-IP limits and the lock-out, except in
      // the flood bench, which measures exactly those limits.
      limits: realLimits ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, maxRequestsPerSecondPerIp: 1e9, maxConnectionsPerIp: 1e6 },
      auth: realLimits ? DEFAULT_AUTH : { ...DEFAULT_AUTH, maxFailures: 1e9 },
    },
    { env: {} },
  );
  if (provision) {
    const result = await fe.db.users.createMany(Array.from({ length: users }, (_, i) => ({ name: benchUser(i), password: BENCH_PASSWORD })), fe.config.domain);
    if (result.errors.length) throw new Error(`provisioning: ${JSON.stringify(result.errors[0])}`);
  }
  process.stdout.write(`${JSON.stringify({ httpPort: fe.httpPort, sipPort: fe.sipPort, domain: fe.config.domain })}\n`);
  const stop = async (): Promise<void> => {
    await fe.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  let line = '';
  process.stdin.on('data', (d: Buffer) => {
    line += d.toString();
    for (let nl = line.indexOf('\n'); nl >= 0; nl = line.indexOf('\n')) {
      const command = line.slice(0, nl).trim();
      line = line.slice(nl + 1);
      if (command === 'gc') {
        (globalThis as { gc?: () => void }).gc?.();
        process.stdout.write('gc-done\n');
      } else if (command === 'profile-start') void profiler.start().then(() => process.stdout.write('profile-started\n'));
      else if (command.startsWith('profile-stop ')) void profiler.stop(command.slice(13)).then(() => process.stdout.write('profile-stopped\n'));
    }
  });
  process.stdin.on('end', () => void stop());
  process.on('SIGTERM', () => void stop());
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
await serve(Number(process.argv[2] ?? 64), process.argv.includes('real-limits'), arg('--db'), !process.argv.includes('no-provision'));
