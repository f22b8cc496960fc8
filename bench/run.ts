/**
 * `npm run bench`: runs every benchmark module that is present and prints one table, and writes
 * the figures as JSON to bench/results/latest.json (with the date and the machine).
 * `npm run bench -- parser sip` runs only the named suites; the JSON keeps the other suites' last
 * results, each with its own date and machine.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

interface Suite {
  name: string;
  module: string;
  fn: string;
}

const SUITES: Suite[] = [
  { name: 'parser', module: './parser.bench', fn: 'benchParser' },
  { name: 'sip', module: './sip.bench', fn: 'benchSip' },
  // the healthy client's latency with and without a flood from another address
  { name: 'flood', module: './flood.bench', fn: 'benchFlood' },
  // the V8 CPU profile of the Front End under load: top self-time functions
  { name: 'profile', module: './profile.bench', fn: 'benchProfile' },
  // what a second core could buy: a parser worker thread, a second Front End process
  { name: 'cores', module: './cores.bench', fn: 'benchCores' },
  // MESSAGE relay on one Front End vs across two Front Ends of a pool on PostgreSQL
  { name: 'pool', module: './pool.bench', fn: 'benchPool' },
  { name: 'mcu', module: './mcu.bench', fn: 'benchMcu' },
  { name: 'presence', module: './presence.bench', fn: 'benchPresence' },
  { name: 'conference', module: './conference.bench', fn: 'benchConference' },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  // Other work on the machine skews every figure: the load average is recorded beside them.
  const loadBefore = loadavg()[0]!;
  const results: { suite: string; figures: Figure[]; error?: string }[] = [];
  for (const suite of SUITES) {
    if (wanted.length && !wanted.includes(suite.name)) continue;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(suite.module)) as Record<string, unknown>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') continue;
      throw err;
    }
    const fn = mod[suite.fn] as (() => Promise<Figure[]>) | undefined;
    if (typeof fn !== 'function') continue;
    process.stderr.write(`running ${suite.name} benchmarks…\n`);
    try {
      results.push({ suite: suite.name, figures: await fn() });
    } catch (err) {
      results.push({ suite: suite.name, figures: [], error: err instanceof Error ? err.message : String(err) });
    }
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0]!.toFixed(1)} after`;
  const date = new Date().toISOString();
  const lines = [`Benchmarks, ${date.slice(0, 10)}, ${machine}`, ''];
  const width = Math.max(20, ...results.flatMap((r) => r.figures.map((f) => f.name.length + r.suite.length + 1)));
  for (const r of results) {
    if (r.error) lines.push(`${r.suite.padEnd(width)}  FAILED: ${r.error}`);
    for (const f of r.figures) lines.push(`${`${r.suite}/${f.name}`.padEnd(width)}  ${formatValue(f.value).padStart(12)} ${f.unit}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  const ran = results.map((r) => ({ ...r, date, machine }));
  writeFileSync(file, JSON.stringify({ date, machine, results: [...ran, ...earlierResults(file, new Set(ran.map((r) => r.suite)))] }, null, 2) + '\n');
  if (results.some((r) => r.error)) process.exitCode = 1;
}

/** Suites of the previous latest.json that this run did not repeat (dated as they were). */
function earlierResults(file: string, ran: Set<string>): unknown[] {
  if (!existsSync(file)) return [];
  try {
    const old = JSON.parse(readFileSync(file, 'utf8')) as { date?: string; machine?: string; results?: Array<{ suite: string; date?: string; machine?: string }> };
    return (old.results ?? []).filter((r) => !ran.has(r.suite)).map((r) => ({ ...r, date: r.date ?? old.date, machine: r.machine ?? old.machine }));
  } catch {
    return [];
  }
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
}

await main();
