/**
 * RFC 3261 §17 timer values (Appendix A, Table 4) and RFC 6026 §8.11 Timers L and M, derived from
 * T1/T2/T4 and whether the flow is reliable. Retransmission timers (A, E, G) only run on unreliable
 * transports; the "wait for retransmissions" timers (D, I, J, K) are zero on reliable ones.
 */
import type { TimerSettings } from './types';

export interface TimerValues {
  /** INVITE request retransmit, initially T1, doubled without cap (§17.1.1.2). */
  A: number | undefined;
  /** INVITE transaction timeout, 64*T1 (§17.1.1.2). */
  B: number;
  /** Wait for response retransmits: >= 32 s unreliable (64*T1 = 32 s at the default T1), 0 reliable. */
  D: number;
  /** non-INVITE request retransmit, initially T1, capped at T2 (§17.1.2.2). */
  E: number | undefined;
  /** non-INVITE transaction timeout, 64*T1. */
  F: number;
  /** INVITE response retransmit, initially T1, capped at T2 (§17.2.1). */
  G: number | undefined;
  /** Wait for ACK receipt, 64*T1. */
  H: number;
  /** Wait for ACK retransmits: T4 unreliable, 0 reliable. */
  I: number;
  /** Wait for non-INVITE request retransmits: 64*T1 unreliable, 0 reliable (§17.2.2). */
  J: number;
  /** Wait for non-INVITE response retransmits: T4 unreliable, 0 reliable (§17.1.2.2). */
  K: number;
  /** RFC 6026 §8.11: wait for accepted INVITE request retransmits, 64*T1. */
  L: number;
  /** RFC 6026 §8.11: wait for retransmitted 2xx responses, 64*T1. */
  M: number;
  T1: number;
  T2: number;
}

export function timerValues(t: TimerSettings, reliable: boolean): TimerValues {
  const sixtyFour = 64 * t.T1;
  return {
    A: reliable ? undefined : t.T1,
    B: sixtyFour,
    D: reliable ? 0 : sixtyFour,
    E: reliable ? undefined : t.T1,
    F: sixtyFour,
    G: reliable ? undefined : t.T1,
    H: sixtyFour,
    I: reliable ? 0 : t.T4,
    J: reliable ? 0 : sixtyFour,
    K: reliable ? 0 : t.T4,
    L: sixtyFour,
    M: sixtyFour,
    T1: t.T1,
    T2: t.T2,
  };
}

/** Named one-shot timers owned by one transaction; all cleared when it terminates. */
export class NamedTimers {
  private readonly running = new Map<string, NodeJS.Timeout>();

  start(name: string, ms: number, fire: () => void): void {
    this.stop(name);
    const handle = setTimeout(() => {
      this.running.delete(name);
      fire();
    }, ms);
    this.running.set(name, handle);
  }

  stop(name: string): void {
    const handle = this.running.get(name);
    if (handle) {
      clearTimeout(handle);
      this.running.delete(name);
    }
  }

  clear(): void {
    for (const handle of this.running.values()) clearTimeout(handle);
    this.running.clear();
  }

  get size(): number {
    return this.running.size;
  }
}
