/**
 * Per-key token buckets (typing indications per sender): `capacity` requests at once, refilled at
 * `perSecond`. A bucket that has refilled completely carries no information, so it is forgotten;
 * the map is also bounded, dropping the oldest keys first, so a flood of senders cannot grow it.
 */
export interface RateLimit {
  capacity: number;
  perSecond: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`: true when allowed. */
  take(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key);
    let tokens = this.limit.capacity;
    if (b) {
      tokens = Math.min(this.limit.capacity, b.tokens + ((t - b.at) / 1000) * this.limit.perSecond);
      this.buckets.delete(key);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: t });
      return false;
    }
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    this.trim(t);
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After), at least 1. */
  retryAfter(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 1;
    return Math.max(1, Math.ceil((1 - b.tokens) / this.limit.perSecond));
  }

  get size(): number {
    return this.buckets.size;
  }

  private trim(t: number): void {
    // Oldest first (Map order is insertion order and every take re-inserts its key).
    for (const [key, b] of this.buckets) {
      const full = b.tokens + ((t - b.at) / 1000) * this.limit.perSecond >= this.limit.capacity;
      if (!full && this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
