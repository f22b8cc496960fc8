/**
 * Events between the Front Ends of a pool (presence changes, for one): small JSON messages by topic,
 * carried by PostgreSQL's LISTEN/NOTIFY on the shared database, so they need no connection of their
 * own between members and arrive after the sender's committed writes. On SQLite (a Front End
 * alone) the bus is inert. Delivery is at most once: a member whose LISTEN connection was lost
 * misses what was sent meanwhile, and a receiver must be able to catch up from the database.
 */
import type { SqlDriver } from '../db/index';
import type { Logger } from '../log';
import type { PoolMembers } from './members';

const CHANNEL = 'ocs_pool';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_EVENT_BYTES = 7_800;

interface Envelope {
  fe: string;
  topic: string;
  data: unknown;
}

export class PoolBus {
  private readonly listeners = new Map<string, Set<(from: string, data: unknown) => void>>();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    private readonly deps: { self: string; sql: Pick<SqlDriver, 'run' | 'listen'>; members: Pick<PoolMembers, 'others'>; log: Logger },
  ) {}

  /** Whether events travel at all (PostgreSQL). */
  get active(): boolean {
    return this.stopListening !== undefined;
  }

  async start(): Promise<void> {
    if (!this.deps.sql.listen) return;
    this.stopListening = await this.deps.sql.listen(CHANNEL, (payload) => this.deliver(payload));
  }

  /**
   * Sends `data` to the other members (nothing when there are none). Resolves false when it could
   * not be sent: too big, or the database refused.
   */
  async publish(topic: string, data: unknown): Promise<boolean> {
    if (!this.active || this.deps.members.others().length === 0) return true;
    const payload = JSON.stringify({ fe: this.deps.self, topic, data } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_EVENT_BYTES) return false;
    try {
      await this.deps.sql.run('SELECT pg_notify(?, ?)', [CHANNEL, payload]);
      return true;
    } catch (err) {
      this.deps.log.warn('pool: event not sent', { topic, err });
      return false;
    }
  }

  subscribe(topic: string, listener: (from: string, data: unknown) => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  async stop(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.();
  }

  private deliver(payload: string): void {
    let e: Partial<Envelope>;
    try {
      e = JSON.parse(payload) as Partial<Envelope>;
    } catch {
      return;
    }
    if (typeof e.fe !== 'string' || e.fe === this.deps.self || typeof e.topic !== 'string') return;
    for (const l of this.listeners.get(e.topic) ?? []) {
      try {
        l(e.fe, e.data);
      } catch (err) {
        this.deps.log.error('pool: event listener failed', { topic: e.topic, err });
      }
    }
  }
}
