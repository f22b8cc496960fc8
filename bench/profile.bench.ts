/**
 * Where our Front End spends its CPU under load (`npm run bench -- profile`): the Front End child
 * takes REGISTER (Digest, nonce reuse) over TCP and MESSAGE relays over WebSocket (or the sip.bench
 * workloads named in BENCH_PROFILE_WORKLOADS) while the V8 CPU
 * profiler runs in it (the same sampler as `node --cpu-prof`, started after start-up so module
 * loading is not counted); the top self-time functions (file:function, % of the busy time, idle
 * excluded) and files become figures, so the owners know what to optimize first. The child runs the
 * production bundle; each sample is mapped back to its source file through the bundle's source map.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Figure } from './load/measure';
import { USERS_NEEDED } from './load/workloads';
import { WORKLOADS } from './sip.bench';
import { startOurs } from './targets/ours';

export type { Figure } from './load/measure';

const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 15);
/** Which sip.bench workloads run under the profiler (comma list of their names). */
const PROFILED = (process.env.BENCH_PROFILE_WORKLOADS ?? 'register.nc.tcp,message').split(',').filter(Boolean);
const REPO = resolve(import.meta.dirname, '..');

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Source maps of the bundles in the profile (null: the file has none, e.g. a package). */
const maps = new Map<string, SourceMap | null>();

function sourceMapOf(path: string): SourceMap | null {
  let map = maps.get(path);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      map = null;
    }
    maps.set(path, map);
  }
  return map;
}

function where(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const { url } = frame;
  if (!url) return '(native)';
  let path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const source = sourceMapOf(path)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (source && 'originalSource' in source && source.originalSource) {
    const original = source.originalSource.startsWith('file://') ? fileURLToPath(source.originalSource) : source.originalSource;
    path = isAbsolute(original) ? original : resolve(dirname(path), original);
  }
  const rel = relative(REPO, path);
  return rel.startsWith('..') ? path : rel.replace(/^node_modules\//, 'npm:');
}

/** Self time per function and per file, as % of the profile's busy (non-idle) time. */
export function selfTimes(profile: CpuProfile): { functions: Map<string, number>; files: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id)?.callFrame;
    if (!f) return;
    const file = where(f);
    if (f.functionName === '(idle)') return;
    busy += dt;
    const key = `${file}:${f.functionName || '(anonymous)'}`;
    functions.set(key, (functions.get(key) ?? 0) + dt);
    files.set(file, (files.get(file) ?? 0) + dt);
  });
  for (const m of [functions, files]) for (const [k, v] of m) m.set(k, (v / busy) * 100);
  return { functions, files };
}

export async function benchProfile(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ocs-bench-prof-'));
  try {
    const target = await startOurs({ users: USERS_NEEDED });
    const load: Figure[] = [];
    const file = join(dir, 'frontend.cpuprofile');
    try {
      const profiler = await target.profile();
      for (const w of WORKLOADS.filter((w) => PROFILED.includes(w.name))) load.push(...(await w.run(target)));
      await profiler.stop(file);
    } finally {
      await target.stop();
    }
    const { functions, files } = selfTimes(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
    return [
      ...load.filter((f) => /\.(tcp|ws)$/.test(f.name)).map((f) => ({ ...f, name: `profile.load.${f.name}` })),
      ...top(functions, TOP).map(([k, v], i) => ({ name: `profile.fn.${String(i + 1).padStart(2, '0')} ${k}`, value: v, unit: '% self time' })),
      ...top(files, 10).map(([k, v], i) => ({ name: `profile.file.${String(i + 1).padStart(2, '0')} ${k}`, value: v, unit: '% self time' })),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchProfile()) console.log(`${f.value.toFixed(2).padStart(7)}  ${f.name} ${f.unit}`);
}
