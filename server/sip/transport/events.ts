/**
 * A tiny typed emitter whose listener exceptions are caught and reported (mediasoup `safeEmit`):
 * one faulty upper-layer listener must not tear a socket handler down.
 */
import type { TransportEvents } from './types';

export class SafeEmitter {
  private readonly listeners: { [E in keyof TransportEvents]: Array<TransportEvents[E]> } = {
    message: [],
    flowOpen: [],
    flowClose: [],
  };

  constructor(private readonly onListenerError: (event: string, error: unknown) => void) {}

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.listeners[event].push(listener);
  }

  emit<E extends keyof TransportEvents>(event: E, ...args: Parameters<TransportEvents[E]>): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (...a: Parameters<TransportEvents[E]>) => void)(...args);
      } catch (err) {
        this.onListenerError(event, err);
      }
    }
  }
}
