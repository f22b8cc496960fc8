/**
 * One measured phase: warm up, then count completions for a fixed window while reading the CPU the
 * server's processes and this generator used meanwhile (% of one core), so a saturated generator
 * is visible beside every figure.
 */
import type { Target } from '../targets/types';
import { cpuSeconds } from './proc';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1_000);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Counters of one phase; only what completes inside the window counts. */
export class Tally {
  measuring = false;
  ok = 0;
  errors = 0;
  firstError = '';
  readonly latencies: number[] = [];

  done(latencyMs?: number): void {
    if (!this.measuring) return;
    this.ok++;
    if (latencyMs !== undefined) this.latencies.push(latencyMs);
  }

  error(what: string): void {
    if (!this.measuring) return;
    this.errors++;
    this.firstError ||= what;
  }
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export interface WindowResult {
  rate: number;
  p50?: number;
  p99?: number;
  errors: number;
  firstError: string;
  serverCpu: number;
  benchCpu: number;
}

/** Runs the window while the workload (already started) keeps `tally` busy. */
export async function measureWindow(target: Target, tally: Tally, seconds = SECONDS): Promise<WindowResult> {
  await sleep(WARMUP_MS);
  const pids = target.pids();
  const server0 = cpuSeconds(pids);
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  tally.measuring = true;
  await sleep(seconds * 1_000);
  tally.measuring = false;
  const elapsed = (performance.now() - t0) / 1_000;
  const own = process.cpuUsage(own0);
  const serverCpu = ((cpuSeconds(pids) - server0) / elapsed) * 100;
  const sorted = tally.latencies.length ? [...tally.latencies].sort((a, b) => a - b) : [];
  return {
    rate: tally.ok / elapsed,
    p50: sorted.length ? percentile(sorted, 0.5) : undefined,
    p99: sorted.length ? percentile(sorted, 0.99) : undefined,
    errors: tally.errors,
    firstError: tally.firstError,
    serverCpu,
    benchCpu: ((own.user + own.system) / 1e6 / elapsed) * 100,
  };
}

/** The figures of one window, named `<target>.<name>`. */
export function figuresOf(target: string, name: string, unit: string, w: WindowResult): Figure[] {
  const p = `${target}.${name}`;
  const out: Figure[] = [{ name: p, value: w.rate, unit }];
  if (w.p50 !== undefined) out.push({ name: `${p}.p50`, value: w.p50, unit: 'ms' });
  if (w.p99 !== undefined) out.push({ name: `${p}.p99`, value: w.p99, unit: 'ms' });
  if (w.errors) out.push({ name: `${p}.errors`, value: w.errors, unit: `failed (first: ${w.firstError})` });
  out.push({ name: `${p}.server_cpu`, value: w.serverCpu, unit: '% of a core' }, { name: `${p}.bench_cpu`, value: w.benchCpu, unit: '% of a core' });
  return out;
}
