/**
 * SIP throughput and memory, ours beside Kamailio (`npm run bench -- sip`): both servers run on
 * loopback in the same run (ours in a child process, Kamailio 5.6 from Debian with
 * bench/kamailio/kamailio.cfg and 2 workers per transport), and the same workloads
 * (bench/load/workloads.ts) are pointed at each in turn. Every figure carries both the server's and
 * the generator's CPU; each rate and the memory per client get a ratio line (ours ÷ Kamailio).
 * Kamailio is skipped, with the reason, when it is not installed (BENCH_KAMAILIO=0 skips it too).
 * Env: BENCH_SECONDS, BENCH_CLIENTS, BENCH_WINDOW, BENCH_HOLD_CLIENTS, BENCH_TARGETS (ours,kamailio),
 * BENCH_WORKLOADS (comma list of workload names).
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

export async function benchSip(only: string[] = (process.env.BENCH_WORKLOADS ?? '').split(',').filter(Boolean)): Promise<Figure[]> {
  const targets: Target[] = [];
  const figures: Figure[] = [];
  try {
    const wanted = (process.env.BENCH_TARGETS ?? 'ours,kamailio').split(',');
    if (wanted.includes('ours')) targets.push(await startOurs({ users: USERS_NEEDED, nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean) }));
    const missing = !wanted.includes('kamailio') || process.env.BENCH_KAMAILIO === '0' ? 'not wanted (BENCH_TARGETS / BENCH_KAMAILIO=0)' : kamailioMissingReason();
    if (missing) process.stderr.write(`kamailio skipped: ${missing}\n`);
    else targets.push(await startKamailio({ users: USERS_NEEDED, workers: 2 }));
    for (const w of WORKLOADS) {
      if (only.length && !only.includes(w.name)) continue;
      for (const t of targets) {
        process.stderr.write(`  ${t.name} ${w.name}…\n`);
        figures.push(...(await w.run(t)));
      }
    }
  } finally {
    for (const t of targets) await t.stop();
  }
  return [...figures, { name: 'generator.clients', value: CLIENTS, unit: 'connections per workload' }, ...ratios(figures)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchSip(process.argv.slice(2));
  for (const f of figures) console.log(`${f.name.padEnd(44)} ${f.value.toFixed(f.value < 100 ? 2 : 0).padStart(10)} ${f.unit}`);
}
