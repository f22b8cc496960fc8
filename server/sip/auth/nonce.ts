/**
 * Digest nonces that any Front End sharing the secret can verify without shared state
 * (RFC 7616 §3.3: the nonce's content is implementation-defined; §5.4-5.5 on replay).
 *
 *   nonce = base64url( issuedAt[8] || random[12] || HMAC-SHA256(key, realm || issuedAt || random)[0..16] )
 *
 * Replay protection (RFC 7616 §3.4: nonce-count) keeps, per Front End, the highest nc accepted for
 * each nonce until the nonce expires. The map is bounded; when an entry has to be dropped early the
 * `floor` remembers the newest issue time dropped, and any nonce issued at or before it that is no
 * longer tracked is treated as stale, so eviction never re-opens a replay window, it only costs the
 * client one extra challenge.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomBytesPooled } from '../random';
import { HmacSha256 } from './hmac';

export type NonceCheck =
  | { state: 'valid' }
  /** Authentic but too old, or its counter was already used: re-challenge with stale=true. */
  | { state: 'stale' }
  /** Not ours (forged, corrupted, another realm or secret). */
  | { state: 'invalid' };

export interface NonceServiceOptions {
  /** Key material; a sub-key is derived so the same stored secret may serve several purposes. */
  secret: Buffer;
  realm: string;
  ttlMs: number;
  /** Cap on nonces tracked for nonce-count (default 100 000). */
  maxTracked?: number;
  now?: () => number;
  random?: (n: number) => Buffer;
}

const TS_BYTES = 8;
const RANDOM_BYTES = 12;
const MAC_BYTES = 16;
const NONCE_BYTES = TS_BYTES + RANDOM_BYTES + MAC_BYTES;
/** Tolerated clock difference between Front Ends of a pool for a nonce "from the future". */
const MAX_SKEW_MS = 30_000;
/**
 * Nonces this Front End issued lately, remembered with their issue time so that the answer to a
 * challenge (which normally comes back to the Front End that sent it) needs no MAC check.
 */
const MAX_RECENT = 4_096;

interface Tracked {
  highestNc: number;
  issuedAt: number;
}

export class NonceService {
  private readonly hmac: HmacSha256;
  private readonly realm: string;
  private readonly ttlMs: number;
  private readonly maxTracked: number;
  private readonly now: () => number;
  private readonly random: (n: number) => Buffer;
  private readonly tracked = new Map<string, Tracked>();
  private floor = -Infinity;
  private readonly macPrefix: Buffer;
  /** The last nonce whose MAC checked out: `check` then `acceptCount` verify it once, not twice. */
  private lastGood: { nonce: string; issuedAt: number } | undefined;
  /** Nonces issued here lately (insertion order = age); bounded by MAX_RECENT. */
  private readonly recent = new Map<string, number>();

  constructor(options: NonceServiceOptions) {
    if (options.secret.length < 16) throw new RangeError('NonceService: secret must be at least 16 bytes');
    if (!(options.ttlMs > 0)) throw new RangeError('NonceService: ttlMs must be positive');
    this.hmac = new HmacSha256(createHmac('sha256', options.secret).update('ocs-sip-digest-nonce').digest());
    this.realm = options.realm;
    this.ttlMs = options.ttlMs;
    this.maxTracked = Math.max(1, options.maxTracked ?? 100_000);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? randomBytesPooled;
    this.macPrefix = Buffer.from(`${this.realm}\0`);
  }

  issue(): string {
    const issuedAt = Math.max(0, Math.floor(this.now()));
    const ts = Buffer.alloc(TS_BYTES);
    ts.writeBigUInt64BE(BigInt(issuedAt));
    const rnd = this.random(RANDOM_BYTES);
    const nonce = Buffer.concat([ts, rnd, this.mac(ts, rnd)]).toString('base64url');
    if (this.recent.size >= MAX_RECENT) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(nonce, issuedAt);
    return nonce;
  }

  /** Authenticity and freshness only; does not consume the counter (see `acceptCount`). */
  check(nonce: string): NonceCheck {
    const issuedAt = this.issuedAt(nonce);
    if (issuedAt === undefined) return { state: 'invalid' };
    const now = this.now();
    if (issuedAt > now + MAX_SKEW_MS || now - issuedAt >= this.ttlMs) return { state: 'stale' };
    return { state: 'valid' };
  }

  /**
   * Call only after the digest response was verified: records `nc` as used and says whether it was
   * new (strictly above every nc already accepted for this nonce).
   */
  acceptCount(nonce: string, nc: number): boolean {
    const issuedAt = this.issuedAt(nonce);
    if (issuedAt === undefined || !(nc >= 1)) return false;
    const entry = this.tracked.get(nonce);
    if (entry) {
      if (nc <= entry.highestNc) return false;
      entry.highestNc = nc;
      return true;
    }
    if (issuedAt <= this.floor) return false;
    this.makeRoom();
    // A copy of the key: `nonce` is a slice of the request's header text, and a Map key that is a
    // V8 sliced string keeps the whole message alive for as long as the nonce is tracked.
    this.tracked.set(Buffer.from(nonce, 'latin1').toString('latin1'), { highestNc: nc, issuedAt });
    return true;
  }

  /** Tracked nonces, for tests and health figures. */
  get trackedCount(): number {
    return this.tracked.size;
  }

  private issuedAt(nonce: string): number | undefined {
    if (this.lastGood?.nonce === nonce) return this.lastGood.issuedAt;
    // A tracked nonce had its MAC checked when it was first accepted.
    const tracked = typeof nonce === 'string' ? this.tracked.get(nonce) : undefined;
    if (tracked) return tracked.issuedAt;
    const issuedHere = typeof nonce === 'string' ? this.recent.get(nonce) : undefined;
    if (issuedHere !== undefined) return issuedHere;
    if (typeof nonce !== 'string' || nonce.length !== Math.ceil((NONCE_BYTES * 4) / 3) || !/^[A-Za-z0-9_-]+$/.test(nonce)) {
      return undefined;
    }
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== NONCE_BYTES) return undefined;
    const ts = raw.subarray(0, TS_BYTES);
    const rnd = raw.subarray(TS_BYTES, TS_BYTES + RANDOM_BYTES);
    const mac = raw.subarray(TS_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(mac, this.mac(ts, rnd))) return undefined;
    const issuedAt = Number(ts.readBigUInt64BE());
    this.lastGood = { nonce, issuedAt };
    return issuedAt;
  }

  private mac(ts: Buffer, rnd: Buffer): Buffer {
    return this.hmac.digest(this.macPrefix, ts, rnd).subarray(0, MAC_BYTES);
  }

  private makeRoom(): void {
    if (this.tracked.size < this.maxTracked) return;
    const expiredBefore = this.now() - this.ttlMs;
    for (const [nonce, t] of this.tracked) {
      // An expired nonce is refused as stale by `check` anyway: dropping it opens nothing.
      if (t.issuedAt <= expiredBefore) this.tracked.delete(nonce);
    }
    while (this.tracked.size >= this.maxTracked) {
      const oldest = this.tracked.entries().next();
      if (oldest.done) break;
      this.floor = Math.max(this.floor, oldest.value[1].issuedAt);
      this.tracked.delete(oldest.value[0]);
    }
  }
}
