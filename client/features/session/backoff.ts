/**
 * Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with +-`jitter` so that a
 * restarted Front End is not hit by every browser in the same instant.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** 0..1: fraction of the delay added or removed at random. */
  jitter: number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, jitter: 0.2 };

/** Delay before attempt `attempt` (1-based). `random` is injectable for tests. */
export function backoffDelay(attempt: number, options: BackoffOptions = RECONNECT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  const spread = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}
