/**
 * Where the mediasoup worker binary is. scripts/build-mediasoup-worker.sh installs it at
 * mediasoup's default location (so nothing is needed at run time) and caches it under
 * ~/.cache/mediasoup-worker/<version>/; this module finds either for code that passes `workerBin`
 * explicitly, and lets tests skip with a reason when neither exists.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of the installed mediasoup package. */
function mediasoupDir(): string {
  // `mediasoup/package.json` is not in its exports map; its main is node/lib/index.js.
  return join(dirname(require.resolve('mediasoup')), '..', '..');
}

export function mediasoupVersion(): string {
  return (JSON.parse(readFileSync(join(mediasoupDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where mediasoup looks by default (and where the build script installs the binary). */
export function defaultWorkerBinPath(): string {
  return join(mediasoupDir(), 'worker', 'out', 'Release', 'mediasoup-worker');
}

/** The build script's cache location for this mediasoup version. */
export function cachedWorkerBinPath(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.MEDIASOUP_WORKER_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mediasoup-worker');
  return join(root, mediasoupVersion(), 'mediasoup-worker');
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The worker binary to use: an explicit one (MCU_WORKER_BIN / MEDIASOUP_WORKER_BIN), else the
 * installed default, else the cache; undefined when none is executable.
 */
export function resolveWorkerBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.MCU_WORKER_BIN, env.MEDIASOUP_WORKER_BIN, defaultWorkerBinPath(), cachedWorkerBinPath(env)];
  return candidates.find((p): p is string => !!p && executable(p));
}

/** For tests: undefined when the worker is there, otherwise the reason to skip. */
export function workerMissingReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return resolveWorkerBin(env)
    ? undefined
    : `mediasoup-worker not built (run \`sh scripts/build-mediasoup-worker.sh\`); looked at ${defaultWorkerBinPath()} and ${cachedWorkerBinPath(env)}`;
}
