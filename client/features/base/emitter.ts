/**
 * A typed event emitter whose listener errors are caught and reported instead of breaking the
 * emitter's caller (cf. mediasoup's `safeEmit`).
 */
/** Event name -> payload type. */
export class Emitter<E extends object> {
  private readonly listeners = new Map<keyof E, Set<(payload: never) => void>>();

  on<K extends keyof E>(event: K, listener: (payload: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => { set.delete(listener as (payload: never) => void); };
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (payload: E[K]) => void)(payload);
      } catch (err) {
        console.error(`listener for "${String(event)}" failed`, err);
      }
    }
  }

  /** How many listeners `event` has (a feature may check whether anyone handles an intent). */
  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
