/**
 * The workloads, written once against the Target interface so ours and Kamailio do the same work:
 *  - REGISTER with Digest, nonce reused with a rising nc on a kept connection (RFC 7616 §3.4);
 *  - REGISTER with a fresh challenge each time: a new connection per REGISTER, 401, then the
 *    authorized REGISTER (our server trusts a connection once it proved a user, so a fresh
 *    challenge needs a fresh connection; Kamailio gets exactly the same sequence);
 *  - MESSAGE relay between users registered over WebSocket (RFC 3428), latency send -> 200;
 *  - N registered WebSocket clients held, memory per client from the server's summed PSS.
 * Each client keeps a bounded window of requests in flight, so the generator stays cheap.
 */
import { openLink, type Link, type Transport } from './links';
import { figuresOf, measureWindow, sleep, Tally, type Figure } from './measure';
import { pssBytes } from './proc';
import { Ua } from './ua';
import { BENCH_PASSWORD, benchUser, type Target } from '../targets/types';

export const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
export const WINDOW = Number(process.env.BENCH_WINDOW ?? 8);
// 10,000: with fewer, the young generation V8 grows while they connect weighs on the per-client figure.
export const HOLD_CLIENTS = Number(process.env.BENCH_HOLD_CLIENTS ?? 10_000);

/** Users a run needs on each server: senders, receivers, held clients. */
export const USERS_NEEDED = Math.max(CLIENTS * 2, HOLD_CLIENTS);

async function registeredUa(target: Target, transport: Transport, i: number): Promise<Ua> {
  const ua = new Ua(await openLink(transport, target), benchUser(i), target.domain, BENCH_PASSWORD);
  const r = await ua.register();
  if (r.status !== 200) {
    ua.link.close();
    throw new Error(`${target.name}: REGISTER ${ua.user} over ${transport}: ${r.line ?? r.status}`);
  }
  return ua;
}

/** Keeps `window` requests in flight on `ua` until `running()` turns false. */
function pump(window: number, running: () => boolean, tally: Tally, next: () => Promise<{ status: number; ms: number }>): void {
  const one = (): void => {
    void next().then((r) => {
      if (r.status === 200) tally.done(r.ms);
      else tally.error(`status ${r.status}`);
      if (running() && r.status !== 0) one();
    });
  };
  for (let k = 0; k < window; k++) one();
}

export async function registerWithNonceReuse(target: Target, transport: Transport): Promise<Figure[]> {
  const uas: Ua[] = [];
  for (let i = 0; i < CLIENTS; i++) uas.push(await registeredUa(target, transport, i));
  const tally = new Tally();
  let running = true;
  for (const ua of uas) pump(WINDOW, () => running, tally, () => ua.register());
  const w = await measureWindow(target, tally);
  running = false;
  await sleep(200);
  const challenges = uas.reduce((n, ua) => n + ua.challenges, 0) - uas.length;
  for (const ua of uas) ua.link.close();
  const figures = figuresOf(target.name, `register.nc.${transport.toLowerCase()}`, 'REGISTER/s', w);
  if (challenges > 0) figures.push({ name: `${target.name}.register.nc.${transport.toLowerCase()}.rechallenged`, value: challenges, unit: 'challenges after the first' });
  return figures;
}

export async function registerWithFreshChallenge(target: Target, transport: Transport): Promise<Figure[]> {
  const tally = new Tally();
  let running = true;
  const loops: Promise<void>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    loops.push(
      (async () => {
        while (running) {
          let link: Link | undefined;
          try {
            link = await openLink(transport, target);
            const ua = new Ua(link, benchUser(i), target.domain, BENCH_PASSWORD);
            const r = await ua.register();
            if (r.status === 200 && r.challenged) tally.done(r.ms);
            else tally.error(`status ${r.status}${r.challenged ? '' : ' without a challenge'}`);
          } catch (e) {
            tally.error((e as Error).message);
            await sleep(10);
          } finally {
            link?.close();
          }
        }
      })(),
    );
  }
  const w = await measureWindow(target, tally);
  running = false;
  await Promise.all(loops);
  return figuresOf(target.name, `register.fresh.${transport.toLowerCase()}`, 'REGISTER+401+REGISTER on a new connection/s', w);
}

/** `receiverTarget`: where the receivers register (another Front End of a pool; default the same). */
export async function messageRelay(target: Target, receiverTarget: Target = target): Promise<Figure[]> {
  const senders: Ua[] = [];
  const receivers: Ua[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    receivers.push(await registeredUa(receiverTarget, 'WS', CLIENTS + i));
    senders.push(await registeredUa(target, 'WS', i));
  }
  const tally = new Tally();
  let running = true;
  senders.forEach((s, i) => pump(WINDOW, () => running, tally, () => s.message(receivers[i]!.aor, 'hello')));
  const w = await measureWindow(target, tally);
  running = false;
  await sleep(200);
  for (const ua of [...senders, ...receivers]) ua.link.close();
  return figuresOf(target.name, 'message.relay.ws', 'MESSAGE/s', w);
}

/**
 * Memory per held client: PSS summed over all the server's processes before and after N clients
 * opened a WebSocket and registered (Digest), divided by N. A garbage-collected server is
 * collected before each reading, so the figure is live memory, not garbage.
 */
export async function holdClients(target: Target, n = HOLD_CLIENTS): Promise<Figure[]> {
  await target.settle();
  await sleep(500);
  const before = pssBytes(target.pids());
  const uas: Ua[] = [];
  const t0 = performance.now();
  let failed = 0;
  let firstError = '';
  const BATCH = 50;
  for (let i = 0; i < n; i += BATCH) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => registeredUa(target, 'WS', i + k)));
    for (const r of batch) {
      if (r.status === 'fulfilled') uas.push(r.value);
      else {
        failed++;
        firstError ||= String(r.reason);
      }
    }
  }
  const seconds = (performance.now() - t0) / 1_000;
  await target.settle();
  await sleep(1_000);
  const after = pssBytes(target.pids());
  const held = uas.length;
  for (const ua of uas) ua.link.close();
  const p = `${target.name}.hold.ws`;
  const figures: Figure[] = [
    { name: `${p}.clients`, value: held, unit: 'registered WebSocket clients held' },
    { name: `${p}.per_client`, value: (after - before) / held / 1024, unit: 'KiB PSS per client' },
    { name: `${p}.pss_total`, value: after / 2 ** 20, unit: 'MiB PSS, all server processes' },
    { name: `${p}.setup_rate`, value: held / seconds, unit: 'connect+REGISTER(401)+REGISTER/s, 50 at a time' },
  ];
  if (failed) figures.push({ name: `${p}.errors`, value: failed, unit: `failed (first: ${firstError})` });
  return figures;
}
