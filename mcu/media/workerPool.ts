/**
 * One mediasoup Worker per core, each with a WebRtcServer so one UDP/TCP port serves every
 * transport on that worker. The pool owns the workers: when one dies it starts a replacement in
 * the same slot (same port) and retries with backoff; routers on the dead worker close, and their
 * rooms rebuild themselves on whatever `pick()` returns (see rooms/roomMedia.ts).
 */
import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { RtcSettings } from '../config';
import type { McuLog } from '../log';

export interface PoolWorker {
  readonly slot: number;
  readonly worker: types.Worker;
  readonly webRtcServer: types.WebRtcServer;
  /** Rooms placed on this worker, for least-loaded placement. */
  routers: number;
  /** CPU time (ms) at the last load sample, for the load report. */
  cpuMsAtSample: number;
  sampledAt: number;
}

export interface WorkerPoolOptions {
  workers: number;
  rtc: RtcSettings;
  workerBin?: string;
  log: McuLog;
}

type PoolEvents = {
  /** A worker died; its routers are already closed. */
  workerdied: [slot: number, pid: number];
  /** A worker (first or replacement) is serving. */
  workerready: [PoolWorker];
};

const RESTART_BACKOFF_MS = [100, 500, 1_000, 2_000, 5_000, 10_000, 30_000];

export class WorkerPool extends EventEmitter<PoolEvents> {
  readonly #slots: (PoolWorker | undefined)[];
  readonly #options: WorkerPoolOptions;
  #closed = false;
  readonly #timers = new Set<NodeJS.Timeout>();
  /** pick() calls waiting for a live worker. */
  #waiters: (() => void)[] = [];

  private constructor(options: WorkerPoolOptions) {
    super();
    this.#options = options;
    this.#slots = new Array<PoolWorker | undefined>(options.workers).fill(undefined);
  }

  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      await Promise.all(pool.#slots.map((_, slot) => pool.#startSlot(slot)));
    } catch (err) {
      pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Live workers only. */
  entries(): PoolWorker[] {
    return this.#slots.filter((w): w is PoolWorker => !!w && !w.worker.closed);
  }

  /** The live worker with the fewest rooms; waits for a replacement when none is alive. */
  async pick(): Promise<PoolWorker> {
    for (;;) {
      if (this.#closed) throw new Error('worker pool closed');
      const live = this.entries();
      if (live.length > 0) return live.reduce((a, b) => (b.routers < a.routers ? b : a));
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    for (const entry of this.#slots) entry?.worker.close();
    this.#slots.fill(undefined);
    this.#wakeWaiters();
  }

  async #startSlot(slot: number): Promise<void> {
    const { rtc, workerBin, log } = this.#options;
    const worker = await mediasoup.createWorker({ logLevel: 'warn', ...(workerBin ? { workerBin } : {}), appData: { slot } });
    if (this.#closed) {
      worker.close();
      return;
    }
    let webRtcServer: types.WebRtcServer;
    try {
      const port = rtc.port === undefined ? undefined : rtc.port + slot;
      const common = { ip: rtc.listenIp, ...(rtc.announcedAddress ? { announcedAddress: rtc.announcedAddress } : {}), ...(port ? { port } : {}) };
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ...common },
          { protocol: 'tcp', ...common },
        ],
      });
    } catch (err) {
      worker.close();
      throw err;
    }
    const entry: PoolWorker = { slot, worker, webRtcServer, routers: 0, cpuMsAtSample: 0, sampledAt: Date.now() };
    this.#slots[slot] = entry;
    worker.on('died', (error) => {
      log.error('mediasoup worker died; replacing it', { slot, pid: worker.pid, error });
      if (this.#slots[slot] === entry) this.#slots[slot] = undefined;
      this.emit('workerdied', slot, worker.pid);
      this.#restart(slot, 0);
    });
    log.info('mediasoup worker ready', { slot, pid: worker.pid });
    this.emit('workerready', entry);
    this.#wakeWaiters();
  }

  #wakeWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #restart(slot: number, attempt: number): void {
    if (this.#closed) return;
    const delay = RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]!;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#startSlot(slot).catch((error: unknown) => {
        this.#options.log.error('mediasoup worker restart failed; retrying', { slot, attempt, error });
        this.#restart(slot, attempt + 1);
      });
    }, delay);
    this.#timers.add(timer);
  }
}
