/**
 * Bulk import hashes passwords with scrypt on the libuv threadpool (4 threads by default). On a
 * machine with more cores the pool must be larger, and libuv reads UV_THREADPOOL_SIZE only when
 * the pool first starts, which the module loader has done before our code runs. So when it is
 * unset on such a machine the CLI re-runs itself once with it set.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Exit code of the re-run child, or undefined when this process should go on. */
export function rerunWithThreadpool(): number | undefined {
  const cores = availableParallelism();
  if (process.env.UV_THREADPOOL_SIZE || cores <= 4) return undefined;
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, UV_THREADPOOL_SIZE: String(Math.min(cores, 64)) },
  });
  return child.status ?? 1;
}
