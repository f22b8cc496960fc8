/**
 * SIP throughput and memory, ours beside Kamailio (`npm run bench -- sip`): both servers run on
 * loopback in the same run (ours in a child process, Kamailio 5.6 from Debian with
 * bench/kamailio/kamailio.cfg and 2 workers per transport), and the same workloads
 * (bench/load/workloads.ts) are pointed at each in turn. Every figure carries both the server's and
 * the generator's CPU; each rate and the memory per client get a ratio line (ours ÷ Kamailio).
 * Kamailio is skipped, with the reason, when it is not installed (BENCH_KAMAILIO=0 skips it too).
 * Rates move ±10–15 % from one window to the next on a 2-core machine shared with the generator, so
 * every workload but `hold` runs BENCH_ROUNDS times (default 3), the servers taking turns in
 * alternating order, and each figure is the median of its rounds (the unit shows the range).
 * Env: BENCH_SECONDS, BENCH_CLIENTS, BENCH_WINDOW, BENCH_HOLD_CLIENTS, BENCH_TARGETS (ours,kamailio),
 * BENCH_WORKLOADS (comma list of workload names), BENCH_ROUNDS, BENCH_NODE_ARGS (V8 flags for ours).
 */
import { pathToFileURL } from 'node:url';
import type { Figure } from './load/measure';
import { CLIENTS, holdClients, messageRelay, registerWithFreshChallenge, registerWithNonceReuse, USERS_NEEDED } from './load/workloads';
import { kamailioMissingReason, startKamailio } from './targets/kamailio';
import { startOurs } from './targets/ours';
import type { Target } from './targets/types';

export type { Figure } from './load/measure';

type Workload = { name: string; rate: string; run: (t: Target) => Promise<Figure[]> };

export const WORKLOADS: Workload[] = [
  { name: 'hold', rate: 'hold.ws.per_client', run: (t) => holdClients(t) },
  { name: 'register.nc.tcp', rate: 'register.nc.tcp', run: (t) => registerWithNonceReuse(t, 'TCP') },
  { name: 'register.nc.ws', rate: 'register.nc.ws', run: (t) => registerWithNonceReuse(t, 'WS') },
  { name: 'register.fresh.tcp', rate: 'register.fresh.tcp', run: (t) => registerWithFreshChallenge(t, 'TCP') },
  { name: 'register.fresh.ws', rate: 'register.fresh.ws', run: (t) => registerWithFreshChallenge(t, 'WS') },
  { name: 'message', rate: 'message.relay.ws', run: (t) => messageRelay(t) },
];

/** ours ÷ kamailio for each workload's headline figure (and for MESSAGE latency). */
export function ratios(figures: Figure[]): Figure[] {
  const value = (name: string): number | undefined => figures.find((f) => f.name === name)?.value;
  const out: Figure[] = [];
  for (const key of [...WORKLOADS.map((w) => w.rate), 'message.relay.ws.p50', 'message.relay.ws.p99']) {
    const ours = value(`ours.${key}`);
    const theirs = value(`kamailio.${key}`);
    if (ours !== undefined && theirs !== undefined && theirs > 0) out.push({ name: `ratio.${key}`, value: ours / theirs, unit: 'ours ÷ kamailio' });
  }
  return out;
}

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** One figure per name: the median of its rounds; headline rates say their range. */
export function medianOfRounds(rounds: Figure[][]): Figure[] {
  const byName = new Map<string, { unit: string; values: number[] }>();
  for (const round of rounds) {
    for (const f of round) {
      const entry = byName.get(f.name) ?? { unit: f.unit, values: [] };
      entry.values.push(f.value);
      byName.set(f.name, entry);
    }
  }
  const headline = new Set(WORKLOADS.flatMap((w) => [`ours.${w.rate}`, `kamailio.${w.rate}`]));
  return [...byName].map(([name, { unit, values }]) => {
    const value = median(values);
    if (values.length < 2 || !headline.has(name)) return { name, value, unit };
    return { name, value, unit: `${unit} (median of ${values.length} rounds, ${fmt(Math.min(...values))}–${fmt(Math.max(...values))})` };
  });
}

export async function benchSip(only: string[] = (process.env.BENCH_WORKLOADS ?? '').split(',').filter(Boolean)): Promise<Figure[]> {
  const targets: Target[] = [];
  const rounds: Figure[][] = [];
  try {
    const wanted = (process.env.BENCH_TARGETS ?? 'ours,kamailio').split(',');
    if (wanted.includes('ours')) targets.push(await startOurs({ users: USERS_NEEDED, nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean) }));
    const missing = !wanted.includes('kamailio') || process.env.BENCH_KAMAILIO === '0' ? 'not wanted (BENCH_TARGETS / BENCH_KAMAILIO=0)' : kamailioMissingReason();
    if (missing) process.stderr.write(`kamailio skipped: ${missing}\n`);
    else targets.push(await startKamailio({ users: USERS_NEEDED, workers: 2 }));
    for (let round = 0; round < ROUNDS; round++) {
      const figures: Figure[] = [];
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const w of WORKLOADS) {
        if (only.length && !only.includes(w.name)) continue;
        // Memory per held client: once (2,000 connections each time would dominate the run).
        if (w.name === 'hold' && round > 0) continue;
        for (const t of order) {
          process.stderr.write(`  round ${round + 1}/${ROUNDS}: ${t.name} ${w.name}…\n`);
          figures.push(...(await w.run(t)));
        }
      }
      rounds.push(figures);
    }
  } finally {
    for (const t of targets) await t.stop();
  }
  const figures = medianOfRounds(rounds);
  return [...figures, { name: 'generator.clients', value: CLIENTS, unit: 'connections per workload' }, ...ratios(figures)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchSip(process.argv.slice(2));
  for (const f of figures) console.log(`${f.name.padEnd(44)} ${f.value.toFixed(f.value < 100 ? 2 : 0).padStart(10)} ${f.unit}`);
}
