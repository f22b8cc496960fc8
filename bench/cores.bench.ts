/**
 * How the Front End could use a second core (`npm run bench -- cores`), measured rather than
 * guessed; the choice is written down in docs/performance.md.
 *
 *  1. Worker threads for the parser: what the main thread pays to hand a REGISTER to a worker and
 *     take the parsed result back (postMessage + structured clone), against parsing it itself.
 *     The main thread's share is its event-loop utilisation over the run divided by the messages.
 *  2. Processes: the same REGISTER load on one Front End process, then on two independent Front
 *     End processes at once (each with its own users and generator connections): the most a pool of
 *     two processes on this machine could give, before any cost of sharing registrations.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Figure } from './load/measure';
import { registerWithNonceReuse, USERS_NEEDED } from './load/workloads';
import { REGISTER } from './parser.bench';
import { startOurs } from './targets/ours';
import { parseMessage } from '../server/sip/message/index';

export type { Figure } from './load/measure';

const MESSAGES = Number(process.env.BENCH_CORES_MESSAGES ?? 50_000);

/** Main-thread microseconds per message for `run` (event-loop utilisation × elapsed ÷ messages). */
async function mainThreadCost(run: () => Promise<void>, messages: number): Promise<number> {
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await run();
  const elu = performance.eventLoopUtilization(elu0);
  return ((performance.now() - t0) * elu.utilization * 1_000) / messages;
}

async function parserInWorker(): Promise<Figure[]> {
  const inline = await mainThreadCost(async () => {
    for (let i = 0; i < MESSAGES; i++) {
      const m = parseMessage(REGISTER);
      m.headers.get('via');
      m.headers.get('authorization');
    }
    await new Promise((r) => setImmediate(r));
  }, MESSAGES);
  const worker = new Worker(new URL('./load/ts-worker.mjs', import.meta.url), {
    workerData: { module: new URL('./load/parse-worker.ts', import.meta.url).href },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    const WINDOW = 256;
    const offloaded = await mainThreadCost(
      () =>
        new Promise<void>((resolve) => {
          let sent = 0;
          let received = 0;
          const send = () => {
            const copy = new Uint8Array(REGISTER.length);
            copy.set(REGISTER);
            worker.postMessage({ id: sent++, buf: copy }, [copy.buffer]);
          };
          worker.on('message', (m: { headers: [string, string][] }) => {
            m.headers.length;
            if (++received === MESSAGES) resolve();
            else if (sent < MESSAGES) send();
          });
          for (let i = 0; i < WINDOW; i++) send();
        }),
      MESSAGES,
    );
    return [
      { name: 'threads.parse_inline', value: inline, unit: 'µs of the main thread per REGISTER, parsed there' },
      { name: 'threads.parse_in_worker', value: offloaded, unit: 'µs of the main thread per REGISTER, handed to a worker and back' },
      { name: 'threads.ratio', value: offloaded / inline, unit: 'offloaded ÷ inline (above 1: the main thread pays more)' },
    ];
  } finally {
    await worker.terminate();
  }
}

async function processes(): Promise<Figure[]> {
  const one = await startOurs({ users: USERS_NEEDED });
  let single: number;
  try {
    single = (await registerWithNonceReuse(one, 'TCP'))[0]!.value;
  } finally {
    await one.stop();
  }
  const pair = [await startOurs({ users: USERS_NEEDED }), await startOurs({ users: USERS_NEEDED })];
  let both: number;
  try {
    const runs = await Promise.all(pair.map((t) => registerWithNonceReuse(t, 'TCP')));
    both = runs.reduce((sum, figures) => sum + figures[0]!.value, 0);
  } finally {
    await Promise.all(pair.map((t) => t.stop()));
  }
  return [
    { name: 'processes.one', value: single, unit: 'REGISTER/s, TCP, one Front End process' },
    { name: 'processes.two', value: both, unit: 'REGISTER/s, TCP, two independent Front End processes together' },
    { name: 'processes.scaling', value: both / single, unit: 'two ÷ one (generator on the same 2 cores)' },
  ];
}

export async function benchCores(): Promise<Figure[]> {
  return [...(await parserInWorker()), ...(await processes())];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchCores()) console.log(`${f.name.padEnd(28)} ${f.value.toFixed(2).padStart(10)} ${f.unit}`);
}
