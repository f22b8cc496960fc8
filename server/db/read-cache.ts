/**
 * A small read-through cache for rows that are read on every request and rarely written (a user's
 * digest credentials and disabled flag: each SIP request on an authenticated connection re-checks
 * them, which was 10 % of the Front End's CPU under REGISTER load).
 *
 * Freshness, per engine:
 *  - SQLite: an entry is good while `PRAGMA data_version` is unchanged, i.e. no other connection
 *    (the admin CLI in another process) committed since it was read, and for at most `maxAgeMs`.
 *    The version is read once per turn of the event loop (the pragma costs as much as the SELECT it
 *    saves), so another process's commit is seen from the next turn on.
 *    Writes made through this process's stores invalidate their names themselves.
 *  - PostgreSQL (a pool: other Front Ends write too): an entry lives `ttlMs` (1 s by default), so a
 *    user disabled on one Front End is refused by every other within that time.
 * Only found rows are cached, so a user created anywhere is seen at once.
 */
export interface ReadCacheOptions {
  /** Changes when another connection committed (SQLite data_version); absent: TTL only. */
  externalVersion?: () => number;
  /** Entry lifetime without externalVersion. */
  ttlMs?: number;
  /** Entry lifetime with externalVersion (belt and braces). */
  maxAgeMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  at: number;
  version: number;
}

export class ReadCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly lifetimeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Bumped by every invalidation: a read that started before one must not store its (old) row. */
  private generation = 0;
  /** externalVersion() as read in this turn of the event loop. */
  private versionThisTurn: number | undefined;

  constructor(private readonly opts: ReadCacheOptions = {}) {
    this.lifetimeMs = opts.externalVersion ? (opts.maxAgeMs ?? 60_000) : (opts.ttlMs ?? 1_000);
    this.maxEntries = Math.max(1, opts.maxEntries ?? 20_000);
    this.now = opts.now ?? Date.now;
  }

  /** The cached value, or `load()`'s (stored when found and nothing was invalidated meanwhile). */
  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const version = this.currentVersion();
    const hit = this.entries.get(key);
    if (hit && hit.version === version && this.now() - hit.at < this.lifetimeMs) return hit.value;
    if (hit) this.entries.delete(key);
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, at: this.now(), version });
    }
    return value;
  }

  private currentVersion(): number {
    if (!this.opts.externalVersion) return 0;
    if (this.versionThisTurn === undefined) {
      this.versionThisTurn = this.opts.externalVersion();
      setImmediate(() => (this.versionThisTurn = undefined));
    }
    return this.versionThisTurn;
  }

  invalidate(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
