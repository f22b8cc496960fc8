/**
 * Failed-login lock-out shared by HTTP login and SIP authentication. Keys name what is counted:
 * `user:alice`, `ip:1.2.3.4`. After `maxFailures` failures within `lockoutMs` a key is locked for
 * `lockoutMs`; when that ends the key starts again from zero.
 *
 * Memory is bounded (an attacker spraying usernames or addresses must not grow the map without
 * limit): at `maxEntries` expired entries are swept, and if none expired the least recently
 * touched entry is dropped (a Map keeps insertion order; every touch re-inserts).
 */

export interface LockoutOptions {
  maxFailures: number;
  lockoutMs: number;
  /** Cap on tracked keys (default 100 000). */
  maxEntries?: number;
  now?: () => number;
}

export interface LockState {
  locked: boolean;
  /** Seconds until the longest of the given keys' locks ends (rounded up); set when locked. */
  retryAfterSec?: number;
}

interface Entry {
  failures: number;
  /** Start of the counting window; failures older than lockoutMs are forgotten. */
  windowStart: number;
  /** 0 when not locked. */
  lockedUntil: number;
}

export class Lockout {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: LockoutOptions) {
    if (!(options.maxFailures >= 1)) throw new RangeError('Lockout: maxFailures must be >= 1');
    if (!(options.lockoutMs > 0)) throw new RangeError('Lockout: lockoutMs must be positive');
    this.maxFailures = options.maxFailures;
    this.lockoutMs = options.lockoutMs;
    this.maxEntries = Math.max(1, options.maxEntries ?? 100_000);
    this.now = options.now ?? Date.now;
  }

  isLocked(keys: string[]): LockState {
    const now = this.now();
    let until = 0;
    for (const key of keys) {
      const entry = this.live(key, now);
      if (entry && entry.lockedUntil > now) until = Math.max(until, entry.lockedUntil);
    }
    if (until === 0) return { locked: false };
    return { locked: true, retryAfterSec: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  fail(keys: string[]): void {
    const now = this.now();
    for (const key of keys) {
      let entry = this.live(key, now);
      if (entry) {
        this.entries.delete(key); // re-inserted below: most recently touched goes last
      } else {
        this.makeRoom(now);
        entry = { failures: 0, windowStart: now, lockedUntil: 0 };
      }
      // Failures while locked do not extend the lock: a locked user cannot be kept locked forever
      // by an attacker beyond one period per maxFailures attempts after it ends.
      if (entry.lockedUntil <= now) {
        entry.failures += 1;
        if (entry.failures >= this.maxFailures) entry.lockedUntil = now + this.lockoutMs;
      }
      this.entries.set(key, entry);
    }
  }

  /** Clears the counters of the given keys (callers decide which: typically the user, not the IP). */
  succeed(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  /** Tracked keys, for tests and health figures. */
  get size(): number {
    return this.entries.size;
  }

  /** The entry if it still matters at `now`; drops it when both its lock and its window are over. */
  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.expired(entry, now)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expired(entry: Entry, now: number): boolean {
    if (entry.lockedUntil > 0) return entry.lockedUntil <= now;
    return entry.windowStart + this.lockoutMs <= now;
  }

  private makeRoom(now: number): void {
    if (this.entries.size < this.maxEntries) return;
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
