/**
 * The database queuing layer: writes are queued and committed in batches, one transaction per
 * batch, so a burst of REGISTER refreshes or presence updates costs a few commits instead of one
 * fsync each. Order is preserved (batches run one after another, ops in enqueue order). A failing
 * op rejects only its own promise: the batch is rolled back and re-run without it (see runBatch),
 * so the others still commit. An op must therefore have no effects outside `tx` before its batch commits, and
 * must not swallow SQL errors (on PostgreSQL a failed statement aborts the whole transaction).
 */
import { QueueClosedError, QueueFullError } from './errors';
import type { SqlDriver, Tx } from './driver/types';

export type WriteOp<T = void> = (tx: Tx) => Promise<T> | T;

export interface WriteQueueOptions {
  /** Ops per transaction. */
  maxBatch?: number;
  /** Ops waiting (not yet in a running batch) before enqueue fails with QueueFullError. */
  maxQueued?: number;
  /**
   * Group commit: a batch starts at least this long after the previous one started (default 8 ms),
   * so under load the writes of several event-loop turns share one transaction. Idle, the first
   * write still starts at once (next turn). 0 turns it off.
   */
  minIntervalMs?: number;
  log?: (msg: string) => void;
}

export interface WriteQueueStats {
  /** Ops waiting now. */
  queued: number;
  /** Committed transactions. */
  batches: number;
  /** Committed ops. */
  ops: number;
  /** Ops that failed (their promise was rejected). */
  failed: number;
}

interface Item {
  op: WriteOp<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class WriteQueue {
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly minIntervalMs: number;
  private lastBatchAt = -Infinity;
  private items: Item[] = [];
  private scheduled = false;
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private counters = { batches: 0, ops: 0, failed: 0 };

  constructor(
    private readonly driver: Pick<SqlDriver, 'transaction'>,
    private readonly opts: WriteQueueOptions = {},
  ) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? 500);
    this.maxQueued = Math.max(1, opts.maxQueued ?? 100_000);
    this.minIntervalMs = Math.max(0, opts.minIntervalMs ?? 8);
  }

  /** Resolves with the op's result once its batch has committed. */
  enqueue<T = void>(op: WriteOp<T>): Promise<T> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    if (this.items.length >= this.maxQueued) return Promise.reject(new QueueFullError(this.maxQueued));
    return new Promise<T>((resolve, reject) => {
      this.items.push({ op, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves when everything enqueued so far has committed or failed. */
  flush(): Promise<void> {
    if (!this.running && !this.scheduled && this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get stats(): WriteQueueStats {
    return { queued: this.items.length, ...this.counters };
  }

  /** Refuses new ops and waits for the queued ones. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // One tick lets every op enqueued by the current burst of I/O callbacks join the batch; a
    // batch right after another waits out the rest of minIntervalMs so that more can join.
    const wait = this.lastBatchAt + this.minIntervalMs - performance.now();
    if (wait > 0) setTimeout(() => void this.drain(), Math.ceil(wait));
    else setImmediate(() => void this.drain());
  }

  /**
   * One batch per turn of the event loop. Looping here instead would starve timers and I/O on
   * SQLite, where a transaction never waits for I/O: a caller that awaits each write and enqueues
   * the next one would keep the loop in microtasks forever.
   */
  private async drain(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    this.lastBatchAt = performance.now();
    try {
      await this.runBatch(this.items.splice(0, this.maxBatch));
    } finally {
      this.running = false;
      if (this.items.length > 0) this.schedule();
      else {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  /**
   * First attempt: the ops back to back, no per-op overhead. If one throws, the transaction is
   * rolled back, that op rejected, and the rest re-run once with a savepoint around each op, so
   * any further failure is undone alone without another retry (bounded work for a bad batch).
   */
  private async runBatch(batch: Item[]): Promise<void> {
    let remaining = batch;
    let isolate = false;
    for (;;) {
      const results = new Map<Item, unknown>();
      const failed = new Map<Item, unknown>();
      let culprit: { item: Item; err: unknown } | undefined;
      try {
        await this.driver.transaction(async (tx) => {
          for (const item of remaining) {
            if (!isolate) {
              try {
                results.set(item, await item.op(tx));
              } catch (err) {
                culprit = { item, err };
                throw err;
              }
              continue;
            }
            await tx.exec('SAVEPOINT write_queue_op');
            try {
              results.set(item, await item.op(tx));
            } catch (err) {
              failed.set(item, err);
              await tx.exec('ROLLBACK TO SAVEPOINT write_queue_op');
            }
            await tx.exec('RELEASE SAVEPOINT write_queue_op');
          }
        });
      } catch (err) {
        if (culprit) {
          this.fail(culprit.item, culprit.err);
          const dropped = culprit.item;
          remaining = remaining.filter((item) => item !== dropped);
          isolate = true;
          if (remaining.length === 0) return;
          continue;
        }
        // BEGIN, a savepoint or COMMIT failed (lost connection, serialization failure): no op to
        // blame, so give each op one transaction of its own and let each succeed or fail alone.
        this.opts.log?.(`write queue: batch of ${remaining.length} failed to commit (${(err as Error).message}); retrying one by one`);
        for (const item of remaining) await this.runAlone(item);
        return;
      }
      this.counters.batches++;
      for (const item of remaining) {
        if (failed.has(item)) this.fail(item, failed.get(item));
        else {
          this.counters.ops++;
          item.resolve(results.get(item));
        }
      }
      return;
    }
  }

  private async runAlone(item: Item): Promise<void> {
    try {
      const result = await this.driver.transaction(async (tx) => item.op(tx));
      this.counters.batches++;
      this.counters.ops++;
      item.resolve(result);
    } catch (err) {
      this.fail(item, err);
    }
  }

  private fail(item: Item, err: unknown): void {
    this.counters.failed++;
    item.reject(err);
  }
}
