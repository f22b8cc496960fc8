/**
 * Flood limits shared by every transport: connection caps (per IP and global) and a per-IP request
 * token bucket. Keys are IP addresses (IPv4-mapped IPv6 folded to IPv4) unless the caller injects
 * another keying (tests; a /64 policy for IPv6).
 */
import type { SipLimits } from '../../config';

export type LimitKey = (address: string) => string;

export const defaultLimitKey: LimitKey = (address) =>
  address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;

/** Classic token bucket: `rate` tokens per second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole seconds until one token is available again (Retry-After, RFC 3261 §20.33). */
  secondsUntilToken(): number {
    if (this.rate <= 0) return 60;
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}

interface PeerState {
  connections: number;
  bucket: TokenBucket;
}

export type Admission = { ok: true; key: string } | { ok: false; reason: string };

/**
 * Counts connections per key and globally. A peer's bucket lives as long as it has a connection, so
 * the map is bounded by the connection caps.
 */
export class ConnectionLimiter {
  private readonly peers = new Map<string, PeerState>();
  private total = 0;
  /** Keys exempt from the per-IP caps and rate (the other Front Ends of a pool). */
  private trusted = new Set<string>();

  constructor(
    private readonly limits: Pick<SipLimits, 'maxConnectionsPerIp' | 'maxConnections' | 'maxRequestsPerSecondPerIp'>,
    private readonly keyOf: LimitKey = defaultLimitKey,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Reserves a connection slot; the caller must `release(key)` exactly once when it closes. */
  admit(address: string): Admission {
    const key = this.keyOf(address);
    if (this.total >= this.limits.maxConnections) return { ok: false, reason: 'global connection limit' };
    const peer = this.peers.get(key);
    if ((peer?.connections ?? 0) >= this.limits.maxConnectionsPerIp && !this.trusted.has(key)) return { ok: false, reason: 'per-IP connection limit' };
    if (peer) peer.connections++;
    else {
      const rate = this.limits.maxRequestsPerSecondPerIp;
      this.peers.set(key, { connections: 1, bucket: new TokenBucket(rate, rate * 2, this.clock()) });
    }
    this.total++;
    return { ok: true, key };
  }

  /** Whether `admit` would succeed now, without reserving (a cheap pre-check before a TLS handshake). */
  wouldAdmit(address: string): boolean {
    const key = this.keyOf(address);
    const peer = this.peers.get(key);
    return this.total < this.limits.maxConnections && ((peer?.connections ?? 0) < this.limits.maxConnectionsPerIp || this.trusted.has(key));
  }

  /** Replaces the addresses exempt from the per-IP limits (the global connection cap still holds). */
  trust(addresses: Iterable<string>): void {
    this.trusted = new Set([...addresses].map(this.keyOf));
  }

  release(key: string): void {
    const peer = this.peers.get(key);
    if (!peer) return;
    this.total--;
    if (--peer.connections <= 0) this.peers.delete(key);
  }

  /** Takes one request token; `retryAfter` (seconds) when the peer is over its rate. */
  takeRequest(key: string): { ok: true } | { ok: false; retryAfter: number } {
    const peer = this.peers.get(key);
    if (!peer || this.trusted.has(key)) return { ok: true };
    if (peer.bucket.take(this.clock())) return { ok: true };
    return { ok: false, retryAfter: peer.bucket.secondsUntilToken() };
  }

  stats(): { connections: number; peers: number } {
    return { connections: this.total, peers: this.peers.size };
  }
}
