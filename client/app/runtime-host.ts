/**
 * Keeps one feature Runtime alive per signed-in session: created when the session store signs in
 * (with its SIP connection), stopped when it signs out. Outside React, so StrictMode can never
 * start features twice.
 */
import { registeredFeatures } from '../features/base/registry';
import { Runtime } from '../features/base/runtime';
import type { SessionStore } from '../features/session';

export class RuntimeHost {
  private runtime: Runtime | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly session: SessionStore) {
    session.subscribe(() => this.sync());
    this.sync();
  }

  readonly get = (): Runtime | undefined => this.runtime;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private sync(): void {
    const sip = this.session.connection;
    const credentials = this.session.credentials;
    if (this.runtime && (!sip || this.runtime.context.sip !== sip)) {
      this.runtime.stop();
      this.runtime = undefined;
      this.notify();
    }
    if (!this.runtime && sip && credentials) {
      this.runtime = new Runtime(registeredFeatures(), { ...credentials, sip });
      this.runtime.start();
      this.notify();
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
