/**
 * A fuzzing campaign against a real Front End (TestFrontEnd), bounded in time:
 *  - workers from abusive addresses send mutated messages (seeds.ts, mutate.ts) whole, split at a
 *    random byte, trickled, or glued together, over TCP and WebSocket, some on connections that
 *    authenticated first (so mutations reach the registrar, router and proxy), then hang up
 *    abruptly or linger;
 *  - a sweep splits valid requests at EVERY byte (TCP segments, WebSocket frames) and requires each
 *    to be answered exactly as the whole request is (a lost request is a failure);
 *  - healthy clients keep going meanwhile: OPTIONS pings (a hang is an unanswered ping) and
 *    MESSAGEs between two registered users (each must be relayed);
 *  - afterwards flows and transactions must return to their baseline and the heap must not keep
 *    what the campaign allocated (leaks).
 * Any uncaught exception or unhandled rejection during the run is a crash.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SipConnection } from '../testing/connection';
import { TcpSipConnection } from '../testing/connection';
import { SipEndpoint } from '../testing/endpoint';
import { passwordOf, type TestFrontEnd } from '../testing/frontend';
import { HealthyClient, ping } from '../testing/probes';
import { int, mutate, pick, prng, type Rng } from './mutate';
import { domainSeeds, staticSeeds, type Seed, type SeedContext } from './seeds';
import { FragmentingWsConnection, pause, sendSplit, type FuzzConnection } from './wire';

export interface CampaignOptions {
  seconds: number;
  seed: number;
  /** Concurrent mutation workers (default 6). */
  workers?: number;
  /** How long flows/transactions may take to return to baseline afterwards (default 25 s). */
  settleMs?: number;
  /** Allowed heap growth after the run, after a full GC (default 48 MiB). */
  heapSlackBytes?: number;
  log?: (line: string) => void;
}

export interface CampaignReport {
  seed: number;
  seconds: number;
  messages: number;
  connections: number;
  answers: number;
  closedByServer: number;
  splitsChecked: number;
  splitPoints: number;
  healthyPings: number;
  healthyMessages: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  failures: string[];
}

/** fz-user: the mutation workers' identity; fz-sweep: the sweep's own (its bindings stay few and predictable). */
export const FUZZ_USERS = ['fz-user', 'fz-sweep', 'fz-callee', 'fz-healthy-a', 'fz-healthy-b'];
const ABUSERS = ['127.0.0.4', '127.0.0.5'];
const SWEEPER = '127.0.0.3';

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function heapUsed(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await pause(50);
  }
  return process.memoryUsage().heapUsed;
}

async function open(t: TestFrontEnd, transport: 'TCP' | 'WS', localAddress: string): Promise<FuzzConnection> {
  // Not through t.tcp(): the harness keeps every connection it opened (and all it received) until
  // it closes, which would count as heap growth in the leak check.
  return transport === 'TCP' ? TcpSipConnection.open(t.sipPort, { localAddress }) : FragmentingWsConnection.open(t.wsUrl(), { localAddress });
}

/** Registers `c` as `user` with Digest; afterwards the raw connection is handed back to the caller. */
async function authenticate(t: TestFrontEnd, c: SipConnection, user: string): Promise<void> {
  const ep = new SipEndpoint(c, { user, password: passwordOf(user), domain: t.domain });
  const res = await ep.register();
  c.onMessage = undefined;
  if (res.status !== 200) throw new Error(`REGISTER ${user}: ${res.startLine}`);
}

function seedContext(t: TestFrontEnd, transport: 'TCP' | 'WS', user = 'fz-user'): SeedContext {
  // Contacts name a closed port (discard, 9): a fuzzed request routed there fails fast instead of
  // leaving an outbound connection open.
  return { domain: t.domain, host: '127.0.0.1', port: transport === 'TCP' ? 9 : t.httpPort, transport, user, callee: 'fz-callee' };
}

const callIdOf = (raw: Buffer): string | undefined => /\r\nCall-ID:[ \t]*([^\r\n]+)/i.exec(raw.toString('latin1'))?.[1]?.trim();

class Campaign {
  readonly report: CampaignReport;
  private running = true;
  private readonly open = new Set<SipConnection>();

  constructor(
    private readonly t: TestFrontEnd,
    private readonly o: CampaignOptions,
  ) {
    this.report = {
      seed: o.seed, seconds: o.seconds, messages: 0, connections: 0, answers: 0, closedByServer: 0, splitsChecked: 0, splitPoints: 0,
      healthyPings: 0, healthyMessages: 0, heapBeforeMiB: 0, heapAfterMiB: 0, failures: [],
    };
  }

  fail(what: string): void {
    if (this.report.failures.length < 50) this.report.failures.push(what);
    this.o.log?.(`FAIL ${what}`);
  }

  stop(): void {
    this.running = false;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** One mutation worker: connection after connection until the campaign stops. */
  async worker(id: number): Promise<void> {
    const rnd = prng(this.o.seed * 1_000 + id);
    while (this.running) {
      const transport = rnd() < 0.5 ? 'TCP' : 'WS';
      let c: FuzzConnection | undefined;
      try {
        c = await open(this.t, transport, pick(rnd, ABUSERS));
        this.open.add(c);
        this.report.connections++;
        if (rnd() < 0.4) await authenticate(this.t, c, 'fz-user');
        await this.burst(c, rnd);
      } catch {
        // Refused connections (per-IP caps) and closed-while-registering are expected under abuse.
      } finally {
        if (c) {
          if (c.isClosed) this.report.closedByServer++;
          this.report.answers += c.received.length;
          c.close();
          this.open.delete(c);
        }
      }
    }
  }

  private async burst(c: FuzzConnection, rnd: Rng): Promise<void> {
    const ctx = seedContext(this.t, c.transport);
    const statics = staticSeeds(ctx);
    const count = 1 + int(rnd, 20);
    for (let k = 0; k < count && this.running && !c.isClosed; k++) {
      const seeds: Seed[] = [...statics, ...domainSeeds(ctx)];
      const seed = pick(rnd, seeds);
      const raw = rnd() < 0.15 ? seed.raw : mutate(seed.raw, rnd, pick(rnd, seeds).raw);
      const mode = rnd();
      if (mode < 0.6) c.send(raw);
      else if (mode < 0.9) await sendSplit(c, raw, [1 + int(rnd, Math.max(1, raw.length - 1))]);
      else if (mode < 0.95 && raw.length < 600) await sendSplit(c, raw, Array.from({ length: raw.length }, (_, i) => i));
      else c.send(Buffer.concat([raw, pick(rnd, seeds).raw, raw]));
      this.report.messages++;
      if (rnd() < 0.3) await pause(int(rnd, 20));
    }
    if (rnd() < 0.5) await c.waitClosed(int(rnd, 300));
  }

  /**
   * Valid requests split at every byte: each must get the answer the whole request gets. The
   * cursor walks every cut of every valid seed, on TCP and WebSocket, for as long as time allows.
   */
  async sweep(): Promise<void> {
    const conns: Partial<Record<'TCP' | 'WS', FuzzConnection>> = {};
    try {
      let round = 0;
      while (this.running) {
        for (const transport of ['TCP', 'WS'] as const) {
          let c = conns[transport];
          if (!c || c.isClosed) {
            c = conns[transport] = await open(this.t, transport, SWEEPER);
            await authenticate(this.t, c, 'fz-sweep');
          }
          const kinds = domainSeeds(seedContext(this.t, transport, 'fz-sweep')).filter((s) => s.valid);
          for (const kind of kinds) {
            const whole = await this.answerTo(c, domainSeeds(seedContext(this.t, transport, 'fz-sweep')).find((s) => s.name === kind.name)!.raw, []);
            if (whole === undefined) {
              this.fail(`sweep ${transport} ${kind.name}: the whole request was not answered`);
              continue;
            }
            if (round === 0) this.report.splitPoints += kind.raw.length - 1;
            for (let at = 1 + (round % 7); at < kind.raw.length && this.running; at += 7) {
              // A fresh request per cut (new Call-ID, branch, CSeq), cut at the same offset.
              const raw = domainSeeds(seedContext(this.t, transport, 'fz-sweep')).find((s) => s.name === kind.name)!.raw;
              const status = await this.answerTo(c, raw, [Math.min(at, raw.length - 1)]);
              this.report.splitsChecked++;
              if (status !== whole) this.fail(`sweep ${transport} ${kind.name} cut at byte ${at}/${raw.length}: ${status ?? 'no answer'} (whole: ${whole})`);
              if (c.isClosed) break;
            }
          }
        }
        round++;
      }
    } catch (e) {
      if (this.running) this.fail(`sweep: ${(e as Error).message}`);
    } finally {
      for (const c of Object.values(conns)) c?.close();
    }
  }

  private async answerTo(c: FuzzConnection, raw: Buffer, cuts: number[]): Promise<number | undefined> {
    const callId = callIdOf(raw);
    const answer = c.next({ timeoutMs: 4_000, match: (m) => m.kind === 'response' && (m.status ?? 0) >= 200 && m.header('call-id') === callId });
    await sendSplit(c, raw, cuts);
    return answer.then((m) => m.status).catch(() => undefined);
  }

  closeAll(): void {
    for (const c of this.open) c.close();
    this.open.clear();
  }
}

/** Runs one campaign; the users in FUZZ_USERS must exist (passwordOf convention). */
export async function runCampaign(t: TestFrontEnd, o: CampaignOptions): Promise<CampaignReport> {
  const campaign = new Campaign(t, o);
  const onCrash = (e: unknown): void => campaign.fail(`crash: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const gc = collectGarbage();
  const healthyConnections: SipConnection[] = [];
  try {
    const pingConn = await t.tcp();
    healthyConnections.push(pingConn);
    const healthy = new HealthyClient(pingConn, t.domain, 50);
    const sender = await t.registered('TCP', 'fz-healthy-a');
    const receiver = await t.registered('WS', 'fz-healthy-b');
    const callee = await t.registered('WS', 'fz-callee');
    healthyConnections.push(sender.connection, receiver.connection, callee.connection);
    const baseline = { flows: t.fe.transport.stats().flows };
    const heapBefore = await heapUsed(gc);
    campaign.report.heapBeforeMiB = heapBefore / 2 ** 20;

    const messaging = (async () => {
      while (campaign.isRunning) {
        const res = await sender.message(receiver.aor, `healthy ${campaign.report.healthyMessages}`, { timeoutMs: 4_000 }).catch((e: Error) => e);
        if (res instanceof Error || res.status !== 200) campaign.fail(`a healthy MESSAGE was lost: ${res instanceof Error ? res.message : res.startLine}`);
        else campaign.report.healthyMessages++;
        await pause(100);
      }
    })();
    const workers = Array.from({ length: o.workers ?? 6 }, (_, i) => campaign.worker(i));
    const sweep = campaign.sweep();
    const deadline = Date.now() + o.seconds * 1_000;
    let lastLog = Date.now();
    // The harness keeps every message a connection or endpoint received (diagnostics); over a long
    // run that would be the test's memory, not the server's, in the heap check: drop it as we go.
    const forget = (): void => {
      for (const c of healthyConnections) c.received.splice(0);
      for (const ep of [sender, receiver, callee]) ep.requests.splice(0);
    };
    while (Date.now() < deadline && healthy.failures.length === 0) {
      await pause(200);
      forget();
      if (o.log && Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const r = campaign.report;
        o.log(`${Math.round((deadline - Date.now()) / 1_000)} s left: ${r.messages} messages on ${r.connections} connections, ${r.splitsChecked} cuts checked, ${r.failures.length} failures, flows ${t.fe.transport.stats().flows}`);
      }
    }
    campaign.stop();
    await Promise.all([...workers, sweep, messaging]);
    campaign.closeAll();
    campaign.report.healthyPings = healthy.answered;
    await healthy.stop();
    forget();
    for (const f of healthy.failures) campaign.fail(`healthy OPTIONS: ${f}`);

    // Leaks: the fuzz connections are gone, so flows return to the healthy clients' count and
    // every transaction ends (RFC 3261 §17 timers, short in the harness).
    const settleBy = Date.now() + (o.settleMs ?? 25_000);
    const tx = (): number => {
      const s = t.fe.transactions.stats();
      return s.server + s.client;
    };
    while (Date.now() < settleBy && (t.fe.transport.stats().flows > baseline.flows || tx() > 0)) await pause(100);
    if (t.fe.transport.stats().flows > baseline.flows) campaign.fail(`flows did not return to baseline: ${t.fe.transport.stats().flows} > ${baseline.flows}`);
    if (tx() > 0) campaign.fail(`transactions did not end: ${JSON.stringify(t.fe.transactions.stats())}`);
    const heapAfter = await heapUsed(gc);
    campaign.report.heapAfterMiB = heapAfter / 2 ** 20;
    const slack = o.heapSlackBytes ?? 48 * 2 ** 20;
    if (heapAfter - heapBefore > slack) campaign.fail(`heap grew by ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB (allowed ${(slack / 2 ** 20).toFixed(0)})`);
    const probe = await TcpSipConnection.open(t.sipPort);
    try {
      const res = await ping(probe, t.domain).catch((e: Error) => e);
      if (res instanceof Error || res.status !== 200) campaign.fail(`a fresh client after the run: ${res instanceof Error ? res.message : res.startLine}`);
    } finally {
      probe.close();
    }
  } finally {
    campaign.stop();
    campaign.closeAll();
    for (const c of healthyConnections) c.close();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  return campaign.report;
}
