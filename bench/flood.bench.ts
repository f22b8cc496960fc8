/**
 * Flood limits under load (`npm run bench -- flood`): our Front End with its default per-IP limits
 * (requests/s with 503 + Retry-After, connections per IP), a healthy client on 127.0.0.1 pinging
 * with OPTIONS every 10 ms, and a flooder in a separate process from another loopback address
 * (bench/load/flooder.ts): first no flood, then a request flood, then a connection flood. The
 * healthy client's p50/p99 in each phase show whether the others keep their latency.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openTcp } from './load/links';
import { percentile, SECONDS, sleep, type Figure } from './load/measure';
import { cpuSeconds } from './load/proc';
import { Ua } from './load/ua';
import { startOurs, type OursTarget } from './targets/ours';

export type { Figure } from './load/measure';

const PING_EVERY_MS = 10;

function runFlooder(target: OursTarget, mode: 'requests' | 'connections', address: string, seconds: number): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'load', 'flooder.ts'), mode, String(target.tcpPort), target.domain, address, String(seconds)], {
    cwd: resolve(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((ok, fail) => child.once('exit', (code) => (code === 0 ? ok(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>) : fail(new Error(`flooder exited ${code}`)))));
}

async function healthyLatencies(ua: Ua, ms: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const r = await ua.options();
    if (r.status === 200) latencies.push(r.ms);
    else failed++;
    await sleep(PING_EVERY_MS);
  }
  return { latencies: latencies.sort((a, b) => a - b), failed };
}

export async function benchFlood(): Promise<Figure[]> {
  const target = await startOurs({ users: 2, realLimits: true });
  const figures: Figure[] = [];
  try {
    const ua = new Ua(await openTcp(target.tcpPort, { localAddress: '127.0.0.1' }), 'healthy', target.domain, 'none');
    const phases: Array<{ name: string; flood?: { mode: 'requests' | 'connections'; address: string } }> = [
      { name: 'none' },
      { name: 'requests', flood: { mode: 'requests', address: '127.0.0.2' } },
      { name: 'connections', flood: { mode: 'connections', address: '127.0.0.3' } },
    ];
    for (const phase of phases) {
      process.stderr.write(`  flood: ${phase.name}…\n`);
      const flooder = phase.flood ? runFlooder(target, phase.flood.mode, phase.flood.address, SECONDS + 2) : undefined;
      await sleep(1_000);
      const cpu0 = cpuSeconds(target.pids());
      const t0 = performance.now();
      const { latencies, failed } = await healthyLatencies(ua, SECONDS * 1_000);
      const elapsed = (performance.now() - t0) / 1_000;
      const serverCpu = ((cpuSeconds(target.pids()) - cpu0) / elapsed) * 100;
      const p = `flood.${phase.name}`;
      figures.push(
        { name: `${p}.healthy.p50`, value: percentile(latencies, 0.5), unit: 'ms (OPTIONS from another address)' },
        { name: `${p}.healthy.p99`, value: percentile(latencies, 0.99), unit: 'ms' },
        { name: `${p}.healthy.failed`, value: failed, unit: 'pings not answered 200' },
        { name: `${p}.server_cpu`, value: serverCpu, unit: '% of a core' },
      );
      if (flooder) {
        const c = await flooder;
        const seconds = SECONDS + 2;
        figures.push(
          { name: `${p}.flooder.sent`, value: c.sent! / seconds, unit: 'requests/s sent by the flooder' },
          { name: `${p}.flooder.ok`, value: c.ok! / seconds, unit: 'requests/s answered 200' },
          { name: `${p}.flooder.rejected503`, value: c.rejected503! / seconds, unit: 'requests/s answered 503 (rate limit)' },
          { name: `${p}.flooder.connections`, value: c.connections! / seconds, unit: 'connections/s opened' },
          { name: `${p}.flooder.closed`, value: (c.closed! + c.connectFailed!) / seconds, unit: 'connections/s closed unserved or refused' },
        );
      }
    }
    ua.link.close();
  } finally {
    await target.stop();
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchFlood()) console.log(`${f.name.padEnd(44)} ${f.value.toFixed(f.value < 100 ? 2 : 0).padStart(10)} ${f.unit}`);
}
