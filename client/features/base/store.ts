/**
 * A feature's state lives outside React in a small observable store (React reads it through
 * useSyncExternalStore), so SIP callbacks can update it without a component being mounted and
 * StrictMode's double effects never duplicate SIP objects.
 */
import { useSyncExternalStore } from 'react';

export class Store<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private state: T) {}

  readonly get = (): T => this.state;

  /** Replaces the state (never mutate the old one: React compares by identity). */
  set(next: T | ((previous: T) => T)): void {
    const value = typeof next === 'function' ? (next as (previous: T) => T)(this.state) : next;
    if (Object.is(value, this.state)) return;
    this.state = value;
    for (const listener of [...this.listeners]) {
      try { listener(); } catch (err) { console.error('store listener failed', err); }
    }
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** The whole state of `store`; derive views with useMemo in the component. */
export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
