/**
 * CSPRNG bytes for the identifiers the SIP stack mints on every request and connection (tags,
 * branches, flow ids, nonces), drawn from a 4 KiB buffer refilled with one randomFillSync: one call
 * per connection or request was ~5 % of the Front End's CPU under REGISTER load. Each byte is
 * handed out once.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let at = POOL_BYTES;

/** `n` fresh random bytes (a copy the caller owns), n ≤ 4096. */
export function randomBytesPooled(n: number): Buffer {
  return withRandomBytes(n, (bytes) => Buffer.from(bytes));
}

/** Calls `use` with `n` fresh random bytes (a view valid only during the call: no copy). */
export function withRandomBytes<T>(n: number, use: (bytes: Buffer) => T): T {
  if (!(n >= 0 && n <= POOL_BYTES)) throw new RangeError(`random bytes: 0..${POOL_BYTES} at a time`);
  if (at + n > POOL_BYTES) {
    randomFillSync(pool);
    at = 0;
  }
  const view = pool.subarray(at, at + n);
  at += n;
  return use(view);
}
