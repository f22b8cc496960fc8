/**
 * Our Front End as a bench target, in a child process as a user runs it (one Node process), with
 * users bench0..N-1 provisioned through the user store. The child takes one-line commands on stdin
 * (`gc` collects garbage before a memory reading; `profile-start` / `profile-stop <file>` run the V8
 * CPU profiler over a load window only) and stops when stdin ends.
 * Run directly, this file is that child: `node --expose-gc --import tsx bench/targets/ours.ts --serve <users> [flood]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_PASSWORD, benchUser, type Target } from './types';
import { FRONT_END_NODE_FLAGS } from '../../server/node-flags';

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

async function serve(users: number, realLimits: boolean): Promise<void> {
  const { startFrontEnd } = await import('../../server/app');
  const { DEFAULT_AUTH, DEFAULT_LIMITS } = await import('../../server/config');
  const dataDir = await mkdtemp(join(tmpdir(), 'ocs-bench-'));
  const fe = await startFrontEnd(
    {
      host: '127.0.0.1', httpPort: 0, sipPort: 0, dataDir, serveClient: false, seedDemoUsers: false, logLevel: 'error',
      // Cheap password hashes: provisioning thousands of users must not take minutes (Digest uses the stored HA1).
      scryptLog2N: 4,
      // Every bench client comes from 127.0.0.1: lift the per-IP limits and the lock-out, except in
      // the flood bench, which measures exactly those limits.
      limits: realLimits ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, maxRequestsPerSecondPerIp: 1e9, maxConnectionsPerIp: 1e6 },
      auth: realLimits ? DEFAULT_AUTH : { ...DEFAULT_AUTH, maxFailures: 1e9 },
    },
    { env: {} },
  );
  const result = await fe.db.users.createMany(Array.from({ length: users }, (_, i) => ({ name: benchUser(i), password: BENCH_PASSWORD })), fe.config.domain);
  if (result.errors.length) throw new Error(`provisioning: ${JSON.stringify(result.errors[0])}`);
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

export interface OursOptions {
  users: number;
  /** Extra Node flags for the child (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Keep the default per-IP limits and lock-out (the flood bench). */
  realLimits?: boolean;
}

export interface OursTarget extends Target {
  httpPort: number;
  child: ChildProcess;
  /** Starts the CPU profiler in the child; stop() writes a .cpuprofile to `file`. */
  profile(): Promise<{ stop(file: string): Promise<void> }>;
}

export async function startOurs(options: OursOptions): Promise<OursTarget> {
  const repoRoot = resolve(import.meta.dirname, '..', '..');
  // The flags `npm start` uses, so the figures are those of the Front End as users run it.
  const args = ['--expose-gc', ...FRONT_END_NODE_FLAGS, ...(options.nodeArgs ?? []), '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', String(options.users)];
  if (options.realLimits) args.push('real-limits');
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const waiters: Array<{ what: string; resolve: () => void }> = [];
  const info = await new Promise<{ httpPort: number; sipPort: number; domain: string }>((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error('the Front End child did not start within 120 s')), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const l = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (l.startsWith('{')) {
          clearTimeout(timer);
          resolveInfo(JSON.parse(l) as { httpPort: number; sipPort: number; domain: string });
        }
        const i = waiters.findIndex((w) => w.what === l.trim());
        if (i >= 0) waiters.splice(i, 1)[0]!.resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the Front End child exited (${code}) before it was ready`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const command = async (line: string, reply: string, timeoutMs = 5_000): Promise<void> => {
    const done = new Promise<void>((r) => waiters.push({ what: reply, resolve: r }));
    child.stdin!.write(`${line}\n`);
    await Promise.race([done, new Promise((r) => setTimeout(r, timeoutMs))]);
  };
  let stopped: Promise<void> | undefined;
  return {
    name: 'ours',
    child,
    domain: info.domain,
    tcpPort: info.sipPort,
    httpPort: info.httpPort,
    wsUrl: `ws://127.0.0.1:${info.httpPort}/sip`,
    pids: () => [child.pid!],
    settle: async () => {
      await command('gc', 'gc-done');
    },
    profile: async () => {
      await command('profile-start', 'profile-started');
      return { stop: (file: string) => command(`profile-stop ${file}`, 'profile-stopped', 30_000) };
    },
    stop: () =>
      (stopped ??= (async () => {
        child.stdin!.end();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(kill);
      })()),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--serve')) {
  await serve(Number(process.argv[process.argv.indexOf('--serve') + 1] ?? 64), process.argv.includes('real-limits'));
}
