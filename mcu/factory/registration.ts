/**
 * Registration with the Conferencing Server Factory (server/conferencing) and periodic load
 * reports (shapes in shared/mcu/factory.ts). The Factory may be absent or restart at any time: the
 * MCU keeps retrying with backoff, registers again when the Factory no longer knows it (404), and
 * serves conferences all the while.
 */
import { FACTORY_PATHS, type McuLoad, type McuRegistration, type McuRegistrationReply } from '../../shared/mcu/factory';
import type { McuLog } from '../log';

export interface FactoryClientOptions {
  factoryUrl: string;
  secret: string;
  registration: () => McuRegistration;
  load: () => Promise<McuLoad>;
  loadIntervalMs: number;
  log: McuLog;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
}

const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

export type FactoryState = 'registering' | 'registered' | 'stopped';

export class FactoryRegistration {
  readonly #o: FactoryClientOptions;
  #state: FactoryState = 'registering';
  #timer?: NodeJS.Timeout;
  #failures = 0;
  #intervalMs: number;
  #mcuId?: string;

  constructor(options: FactoryClientOptions) {
    this.#o = options;
    this.#intervalMs = options.loadIntervalMs;
  }

  get state(): FactoryState {
    return this.#state;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Stops reporting and tells the Factory this MCU is gone (best effort). */
  async stop(): Promise<void> {
    const wasRegistered = this.#state === 'registered';
    this.#state = 'stopped';
    clearTimeout(this.#timer);
    if (wasRegistered && this.#mcuId) {
      await this.#request('DELETE', FACTORY_PATHS.mcu.replace(':mcuId', encodeURIComponent(this.#mcuId))).catch(() => undefined);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#state === 'stopped') return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    try {
      if (this.#state === 'registering') await this.#register();
      else await this.#report();
      this.#failures = 0;
      this.#schedule(this.#state === 'registered' ? this.#intervalMs : 0);
    } catch (error) {
      if (this.#state === 'stopped') return;
      // Log the first failure and every tenth, not a line per retry while the Factory is away.
      if (this.#failures % 10 === 0) this.#o.log.warn('conferencing server factory unreachable; retrying', { state: this.#state, error: String(error) });
      const delay = BACKOFF_MS[Math.min(this.#failures, BACKOFF_MS.length - 1)]!;
      this.#failures += 1;
      this.#schedule(delay);
    }
  }

  async #register(): Promise<void> {
    const body = this.#o.registration();
    const res = await this.#request('POST', FACTORY_PATHS.register, body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`registration refused: HTTP ${res.status}`);
    const reply = (await res.json().catch(() => ({}))) as Partial<McuRegistrationReply>;
    this.#mcuId = reply.mcuId ?? body.mcuId;
    if (typeof reply.loadIntervalMs === 'number' && reply.loadIntervalMs >= 500) this.#intervalMs = reply.loadIntervalMs;
    if (this.#state === 'stopped') return;
    this.#state = 'registered';
    this.#o.log.info('registered with the conferencing server factory', { mcuId: this.#mcuId });
  }

  async #report(): Promise<void> {
    const path = FACTORY_PATHS.load.replace(':mcuId', encodeURIComponent(this.#mcuId!));
    const res = await this.#request('PUT', path, await this.#o.load());
    await res.body?.cancel();
    if (res.status === 404) {
      this.#o.log.info('the factory no longer knows this MCU; registering again');
      this.#state = 'registering';
      return;
    }
    if (res.status >= 300) throw new Error(`load report refused: HTTP ${res.status}`);
  }

  #request(method: string, path: string, body?: unknown): Promise<Response> {
    // Joined, not resolved: a Factory mounted under a path prefix keeps it.
    return fetch(this.#o.factoryUrl.replace(/\/+$/, '') + path, {
      method,
      headers: { authorization: `Bearer ${this.#o.secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.#o.timeoutMs ?? 3_000),
    });
  }
}
