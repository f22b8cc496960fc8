/**
 * Pool membership: every Front End on the shared database writes its row (id, SIP address) at
 * start and refreshes it every `heartbeatMs`; a member not heard from for `liveForMs` is taken as
 * gone (its registrations are not routed to). The live list is read once per heartbeat, so routing
 * never queries it per request. A clean stop deletes the row.
 */
import type { Db } from '../db/index';
import type { Logger } from '../log';

export interface PoolMember {
  id: string;
  host: string;
  port: number;
}

export interface PoolMembersOptions {
  self: PoolMember;
  heartbeatMs?: number;
  /** A member whose heartbeat is older than this is gone (default 3 heartbeats). */
  liveForMs?: number;
  now?: () => number;
  log: Logger;
}

interface MemberRow {
  front_end: string;
  sip_host: string;
  sip_port: number;
}

export class PoolMembers {
  private live = new Map<string, PoolMember>();
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;
  private readonly liveForMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<(members: readonly PoolMember[]) => void>();

  constructor(
    private readonly db: Pick<Db, 'sql' | 'queue'>,
    private readonly opts: PoolMembersOptions,
  ) {
    this.heartbeatMs = Math.max(50, opts.heartbeatMs ?? 5_000);
    this.liveForMs = opts.liveForMs ?? 3 * this.heartbeatMs;
    this.now = opts.now ?? Date.now;
  }

  /** Writes our row, reads the others, and keeps doing both every heartbeat. */
  async start(): Promise<void> {
    const now = this.now();
    const { id, host, port } = this.opts.self;
    await this.db.queue.enqueue((tx) =>
      tx.run(
        `INSERT INTO pool_members (front_end, sip_host, sip_port, started_at, seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (front_end) DO UPDATE SET sip_host = excluded.sip_host, sip_port = excluded.sip_port,
           started_at = excluded.started_at, seen_at = excluded.seen_at`,
        [id, host, port, now, now],
      ),
    );
    await this.refresh();
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  /** The other live members (not us), as of the last heartbeat. */
  others(): readonly PoolMember[] {
    return [...this.live.values()];
  }

  get(id: string): PoolMember | undefined {
    return this.live.get(id);
  }

  /** Called after each refresh with the other live members. */
  onChange(listener: (members: readonly PoolMember[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.db.queue.enqueue((tx) => tx.run('DELETE FROM pool_members WHERE front_end = ?', [this.opts.self.id])).catch((err: unknown) => {
      this.opts.log.warn('pool: could not remove our membership', { err });
    });
  }

  private async beat(): Promise<void> {
    try {
      await this.db.queue.enqueue((tx) => tx.run('UPDATE pool_members SET seen_at = ? WHERE front_end = ?', [this.now(), this.opts.self.id]));
      await this.refresh();
    } catch (err) {
      // The DB is away: keep the last list (routing to a member that left fails fast with 480).
      this.opts.log.warn('pool: heartbeat failed', { err });
    }
  }

  private async refresh(): Promise<void> {
    const rows = await this.db.sql.query<MemberRow>('SELECT front_end, sip_host, sip_port FROM pool_members WHERE seen_at >= ? AND front_end <> ?', [
      this.now() - this.liveForMs,
      this.opts.self.id,
    ]);
    const before = [...this.live.keys()].sort().join(',');
    this.live = new Map(rows.map((r) => [r.front_end, { id: r.front_end, host: r.sip_host, port: Number(r.sip_port) }]));
    const after = [...this.live.keys()].sort().join(',');
    if (before !== after) {
      this.opts.log.info('pool members', { others: after || '(none)' });
      for (const l of this.listeners) l(this.others());
    }
  }
}
