/**
 * Per-connection liveness timers: the idle timeout (no complete message or keep-alive for
 * `idleMs`) and the message-assembly timeout (the bytes of one message trickling in for longer than
 * `assemblyMs`: slowloris). One refreshable timer each, so 50k connections cost 100k timer objects
 * and no sweeps.
 */
export class ActivityTimers {
  private idle: NodeJS.Timeout | undefined;
  private assembly: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private idleMs: number,
    private readonly assemblyMs: number,
    private readonly expire: (reason: string) => void,
  ) {
    if (idleMs > 0) this.idle = setTimeout(() => this.fire('idle timeout'), idleMs);
  }

  /** A complete message or a keep-alive arrived. */
  touch(): void {
    this.idle?.refresh();
  }

  /** A new idle timeout, counted from now; 0 disables it. */
  setIdle(ms: number): void {
    if (this.stopped) return;
    if (ms === this.idleMs && this.idle) {
      // The same timeout again (every REGISTER refresh sets it): restart it rather than replace it.
      this.idle.refresh();
      return;
    }
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    this.idleMs = ms;
    if (ms > 0) this.idle = setTimeout(() => this.fire('idle timeout'), ms);
  }

  /** `true` while part of a message is buffered; the clock runs from the first byte of that message. */
  assembling(partial: boolean): void {
    if (this.stopped || this.assemblyMs <= 0) return;
    if (partial && !this.assembly) {
      this.assembly = setTimeout(() => this.fire('message assembly timeout'), this.assemblyMs);
    } else if (!partial && this.assembly) {
      clearTimeout(this.assembly);
      this.assembly = undefined;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.idle) clearTimeout(this.idle);
    if (this.assembly) clearTimeout(this.assembly);
    this.idle = this.assembly = undefined;
  }

  private fire(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.expire(reason);
  }
}
