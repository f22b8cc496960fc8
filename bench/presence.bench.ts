/**
 * Presence fan-out (`npm run bench -- presence`): one person's change reaching N watchers
 * (N = 100, 1,000, 10,000 single RFC 3856 subscriptions spread over 50 TCP connections), timed from
 * the PUBLISH until the last watcher has received the NOTIFY carrying the new state. Median and
 * p99 over a few changes per N, and NOTIFYs per second (N ÷ median). The Front End runs in this
 * process (one core for it, one for the watchers on a 2-core machine), with SQLite. Env:
 * BENCH_PRESENCE_SIZES (comma list), BENCH_PRESENCE_REPEATS.
 */
import { pathToFileURL } from 'node:url';
import { TestFrontEnd } from '../server/testing/frontend';
import { buildResponse, type WireMessage } from '../server/testing/sip-wire';
import type { SipEndpoint } from '../server/testing/endpoint';
import { AVAILABILITY } from '../shared/presence/availability';
import { publish, subscribe } from '../server/presence/testkit';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

const CONNECTIONS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchPresence(): Promise<Figure[]> {
  const sizes = (process.env.BENCH_PRESENCE_SIZES ?? '100,1000,10000').split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
  const repeats = Number(process.env.BENCH_PRESENCE_REPEATS ?? 5);
  const users = ['target', ...Array.from({ length: CONNECTIONS }, (_, i) => `w${i}`)];
  const fe = await TestFrontEnd.start({
    users: users.map((name) => ({ name, password: `${name}-secret-1` })),
    overrides: { scryptLog2N: 1, limits: { maxRequestsPerSecondPerIp: 1_000_000 } },
  });
  const figures: Figure[] = [];
  try {
    const target = await fe.registered('TCP', 'target');
    let etag = (await publish(target, { availability: AVAILABILITY.available, userSet: true })).etag;
    const watchers: SipEndpoint[] = [];
    for (let i = 0; i < CONNECTIONS; i++) watchers.push(await fe.registered('TCP', `w${i}`));
    // Counts NOTIFYs carrying the awaited availability; answers every request 200 without storing it.
    let wanted = '';
    let received = 0;
    let onCount: (() => void) | undefined;
    const lean = (ep: SipEndpoint) => {
      ep.connection.onMessage = (m: WireMessage) => {
        if (m.kind !== 'request') return (ep as unknown as { dispatch(m: WireMessage): void }).dispatch(m);
        ep.connection.send(buildResponse(m, 200, 'OK'));
        if (m.method === 'NOTIFY' && wanted && m.body.includes(wanted)) {
          received++;
          onCount?.();
        }
      };
    };
    watchers.forEach(lean);
    let subscribed = 0;
    let next = AVAILABILITY.busy;
    for (const n of sizes) {
      // Grow the watcher population to n (subscriptions stay from the previous size).
      while (subscribed < n) {
        const batch = Math.min(500, n - subscribed);
        const results = await Promise.all(Array.from({ length: batch }, (_, i) => subscribe(watchers[(subscribed + i) % CONNECTIONS]!, `sip:target@${fe.domain}`, { expires: 3600 })));
        if (results.some((r) => r.res.status !== 200)) throw new Error(`SUBSCRIBE failed: ${results.find((r) => r.res.status !== 200)!.res.startLine}`);
        subscribed += batch;
      }
      await new Promise((r) => setTimeout(r, 200)); // let the initial NOTIFYs drain
      const times: number[] = [];
      for (let rep = 0; rep < repeats; rep++) {
        wanted = `availability="${next}"`;
        received = 0;
        const done = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${received}/${n} NOTIFYs within 60 s`)), 60_000);
          onCount = () => {
            if (received >= n) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
        const t0 = performance.now();
        etag = (await publish(target, { availability: next, userSet: true }, { etag })).etag;
        await done;
        times.push(performance.now() - t0);
        next = next === AVAILABILITY.busy ? AVAILABILITY.away : AVAILABILITY.busy;
      }
      times.sort((a, b) => a - b);
      const median = percentile(times, 50);
      figures.push({ name: `fanout.${n}.median`, value: median, unit: 'ms' });
      figures.push({ name: `fanout.${n}.p99`, value: percentile(times, 99), unit: 'ms' });
      figures.push({ name: `fanout.${n}.notifies_per_s`, value: n / (median / 1000), unit: 'NOTIFY/s' });
    }
  } finally {
    await fe.close();
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await benchPresence()) process.stdout.write(`${f.name.padEnd(32)} ${f.value.toFixed(1).padStart(10)} ${f.unit}\n`);
}
