/**
 * Our Front End as a bench target, in a child process as a user runs it: bench/targets/ours-serve.ts
 * bundled by scripts/build-server.ts into dist/bench/ours-serve.js and started by plain node (not
 * through tsx) with FRONT_END_NODE_FLAGS, as `npm start` runs dist/server/main.js.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Target } from './types';
import { FRONT_END_NODE_FLAGS } from '../../server/node-flags';
import { buildNode, REPO } from '../../scripts/build-server';

export interface OursOptions {
  users: number;
  /** Extra Node flags for the child (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Keep the default per-IP limits and lock-out (the flood bench). */
  realLimits?: boolean;
  /** A PostgreSQL database instead of SQLite (the pool bench: several Front Ends on one database). */
  dbUrl?: string;
  /** Create the bench users (default true; the second member of a pool finds them in the database). */
  provision?: boolean;
}

export interface OursTarget extends Target {
  httpPort: number;
  child: ChildProcess;
  /** Starts the CPU profiler in the child; stop() writes a .cpuprofile to `file`. */
  profile(): Promise<{ stop(file: string): Promise<void> }>;
}

export async function startOurs(options: OursOptions): Promise<OursTarget> {
  // The build and the flags `npm start` uses, so the figures are those of the Front End as users run it.
  await buildNode({ 'bench/ours-serve': './bench/targets/ours-serve.ts' });
  const args = ['--expose-gc', ...FRONT_END_NODE_FLAGS, ...(options.nodeArgs ?? []), resolve(REPO, 'dist', 'bench', 'ours-serve.js'), String(options.users)];
  if (options.realLimits) args.push('real-limits');
  if (options.dbUrl) args.push('--db', options.dbUrl);
  if (options.provision === false) args.push('no-provision');
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
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
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Front End child exited (${code}) before it was ready`));
    });
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
