/**
 * Homes: what must live on exactly one Front End of the pool at a time (a conference's Focus, whose
 * roster and dialogs are in its memory) is homed on one member, recorded in the shared database. The
 * first member asked claims it; it stays there while that member is live; when the member is gone,
 * the next one asked takes it over with a compare-and-set, so two members never both think they
 * are home. Alone (no other member), everything is home here without a query.
 */
import type { Db } from '../db/index';
import type { PoolMembers } from './members';

export class PoolHomes {
  constructor(
    private readonly db: Pick<Db, 'sql' | 'queue'>,
    private readonly self: string,
    private readonly members: Pick<PoolMembers, 'others' | 'get'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The member that is home to `key` (this one's id when it is, or becomes, the home). */
  async homeOf(key: string): Promise<string> {
    if (this.members.others().length === 0) return this.self;
    const row = await this.db.sql.get<{ front_end: string }>('SELECT front_end FROM pool_homes WHERE home_key = ?', [key]);
    if (row && (row.front_end === this.self || this.members.get(row.front_end))) return row.front_end;
    // Unclaimed, or its member is gone: claim it, unless another member claimed it meanwhile.
    await this.db.queue.enqueue((tx) =>
      row
        ? tx.run('UPDATE pool_homes SET front_end = ?, claimed_at = ? WHERE home_key = ? AND front_end = ?', [this.self, this.now(), key, row.front_end])
        : tx.run('INSERT INTO pool_homes (home_key, front_end, claimed_at) VALUES (?, ?, ?) ON CONFLICT (home_key) DO NOTHING', [key, this.self, this.now()]),
    );
    const after = await this.db.sql.get<{ front_end: string }>('SELECT front_end FROM pool_homes WHERE home_key = ?', [key]);
    return after?.front_end ?? this.self;
  }

  /** Forgets a home for good (the conference ended: nobody needs it any more, wherever it was). */
  async release(key: string): Promise<void> {
    await this.db.queue.enqueue((tx) => tx.run('DELETE FROM pool_homes WHERE home_key = ?', [key]));
  }
}
