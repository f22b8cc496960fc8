/**
 * "Am I at the keyboard?" for automatic Away: no pointer, key, wheel or touch input on this page
 * for the configured minutes. Browsers tell a page only about its own input, so time spent in
 * other applications counts as idle (the Idle Detection API needs a permission we don't ask).
 */
const INPUT_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 10_000;

export class IdleDetector {
  private last: number;
  private idle = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private thresholdMs: number;
  private readonly onInput = () => {
    this.last = this.now();
    if (this.idle) this.setIdle(false);
  };

  constructor(private readonly onChange: (idle: boolean) => void, minutes: number, private readonly now: () => number = Date.now) {
    this.last = now();
    this.thresholdMs = minutes * 60_000;
  }

  get isIdle(): boolean {
    return this.idle;
  }

  start(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> = window): () => void {
    for (const e of INPUT_EVENTS) target.addEventListener(e, this.onInput, { passive: true, capture: true });
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    return () => {
      for (const e of INPUT_EVENTS) target.removeEventListener(e, this.onInput, { capture: true });
      if (this.timer) clearInterval(this.timer);
    };
  }

  /** 0 turns automatic Away off. */
  setMinutes(minutes: number): void {
    this.thresholdMs = minutes * 60_000;
    this.check();
  }

  check(): void {
    const idle = this.thresholdMs > 0 && this.now() - this.last >= this.thresholdMs;
    if (idle !== this.idle) this.setIdle(idle);
  }

  private setIdle(idle: boolean): void {
    this.idle = idle;
    this.onChange(idle);
  }
}
