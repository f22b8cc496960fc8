/**
 * The composer side of RFC 3994 §4: one per conversation. Keystrokes make us "active" (sent at
 * once, then refreshed at most every `refreshSec`); `idleSec` without a keystroke, an emptied
 * draft or a sent message makes us "idle". A sent message implies idle at the receiver (§3.3),
 * so no idle indication follows it. Clock and timers are injectable for tests.
 */
import type { ComposingState } from './iscomposing';

export interface TypingSenderOptions {
  send(state: ComposingState, refreshSec: number): void;
  /** §4.2: the idle timeout, 15 s by default. */
  idleSec?: number;
  /** §4.2: how often an active state is refreshed; at least 60 s. */
  refreshSec?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class TypingSender {
  private state: ComposingState = 'idle';
  private lastActiveSent = 0;
  private idleTimer: unknown;
  private readonly idleMs: number;
  private readonly refreshSec: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: TypingSenderOptions) {
    this.idleMs = (options.idleSec ?? 15) * 1000;
    this.refreshSec = Math.max(60, options.refreshSec ?? 60);
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  /** The draft changed (a keystroke, a paste, a deletion). */
  input(draft: string): void {
    if (draft.trim() === '') {
      this.goIdle(true);
      return;
    }
    const now = this.now();
    if (this.state === 'idle' || now - this.lastActiveSent >= this.refreshSec * 1000) {
      this.state = 'active';
      this.lastActiveSent = now;
      this.options.send('active', this.refreshSec);
    }
    this.armIdle();
  }

  /** A message was sent: idle without an indication (§3.3). */
  sent(): void {
    this.goIdle(false);
  }

  dispose(): void {
    this.goIdle(true);
  }

  get current(): ComposingState {
    return this.state;
  }

  private armIdle(): void {
    if (this.idleTimer !== undefined) this.clearTimer(this.idleTimer);
    this.idleTimer = this.setTimer(() => { this.idleTimer = undefined; this.goIdle(true); }, this.idleMs);
  }

  private goIdle(announce: boolean): void {
    if (this.idleTimer !== undefined) this.clearTimer(this.idleTimer);
    this.idleTimer = undefined;
    if (this.state === 'idle') return;
    this.state = 'idle';
    if (announce) this.options.send('idle', this.refreshSec);
  }
}
