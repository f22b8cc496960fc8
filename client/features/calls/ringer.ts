/**
 * The ring tone of an incoming call, synthesised with Web Audio (no audio file to ship): the
 * classic 400+450 Hz double ring (0.4 s on, 0.2 s off, 0.4 s on, 2 s off). Silent when the
 * browser has not allowed audio yet; that is never an error.
 */
export class Ringer {
  private context: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    if (this.timer || typeof AudioContext === 'undefined') return;
    try {
      this.context = new AudioContext();
    } catch {
      return;
    }
    const ring = () => {
      const ctx = this.context;
      if (!ctx || ctx.state !== 'running') { void ctx?.resume().catch(() => undefined); return; }
      for (const offset of [0, 0.6]) this.burst(ctx, ctx.currentTime + offset, 0.4);
    };
    ring();
    this.timer = setInterval(ring, 3_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }

  private burst(ctx: AudioContext, at: number, seconds: number): void {
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.08, at + 0.02);
    gain.gain.setValueAtTime(0.08, at + seconds - 0.02);
    gain.gain.linearRampToValueAtTime(0, at + seconds);
    gain.connect(ctx.destination);
    for (const frequency of [400, 450]) {
      const osc = ctx.createOscillator();
      osc.frequency.value = frequency;
      osc.connect(gain);
      osc.start(at);
      osc.stop(at + seconds);
    }
  }
}
