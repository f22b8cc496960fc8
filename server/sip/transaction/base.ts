/**
 * What all four RFC 3261 §17 state machines share: a named state with guarded transitions, named
 * timers cleared on termination, and a once-only "terminated" notification to the owning layer.
 */
import type { SipMessage, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import { InvalidStateError } from './errors';
import { NamedTimers, type TimerValues } from './timers';

export interface TransactionContext {
  timers: TimerValues;
  /** The layer drops the transaction from its maps here. */
  onTerminated(tx: TransactionBase<string>): void;
  /** Listener failures end up here instead of in the state machine. */
  reportError(error: unknown, where: string): void;
}

export abstract class TransactionBase<S extends string> {
  protected readonly timers = new NamedTimers();
  private current: S;
  private readonly terminatedListeners: Array<() => void> = [];

  protected constructor(
    readonly id: string,
    readonly flow: Flow,
    protected readonly ctx: TransactionContext,
    initial: S,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  get terminated(): boolean {
    return this.current === 'Terminated';
  }

  onTerminated(listener: () => void): void {
    if (this.terminated) queueMicrotask(listener);
    else this.terminatedListeners.push(listener);
  }

  /** Moves to `to`, throwing InvalidStateError unless the current state is one of `from`. */
  protected transition(to: S, from: readonly S[]): void {
    if (!from.includes(this.current)) {
      throw new InvalidStateError(`${this.constructor.name} ${this.id}: ${this.current} -> ${to} is not allowed`);
    }
    this.current = to;
    if (to === 'Terminated') this.finish();
  }

  /** Used by every state that may end the transaction (timer fired, transport gone, layer closed). */
  terminate(): void {
    if (this.terminated) return;
    this.current = 'Terminated' as S;
    this.finish();
  }

  /** Sends on the transaction's flow; false when the transport refused (closed, overflow). */
  protected sendOnFlow(message: SipMessage): boolean {
    return this.flow.send(message);
  }

  /** Zero-length timers (reliable transports) end the state at once, as SIP.js does. */
  protected startOrRun(name: string, ms: number, fire: () => void): void {
    if (ms <= 0) fire();
    else this.timers.start(name, ms, fire);
  }

  protected safely(where: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.ctx.reportError(err, where);
    }
  }

  /** The flow of this transaction closed (the layer tells us, so flows do not collect listeners). */
  abstract flowClosed(reason: string): void;

  private finish(): void {
    this.timers.clear();
    this.ctx.onTerminated(this);
    for (const listener of this.terminatedListeners.splice(0)) this.safely('onTerminated', listener);
  }
}

/**
 * A server transaction's onFinal listeners: fired once, with the first final response sent. Made
 * only when someone listens (most transactions have no listener), knowing any final already given.
 */
export class FinalListeners {
  private readonly listeners: Array<(response: SipResponse) => void> = [];

  constructor(
    private readonly safely: (where: string, fn: () => void) => void,
    private final: SipResponse | undefined,
  ) {}

  add(listener: (response: SipResponse) => void): void {
    const final = this.final;
    if (final) queueMicrotask(() => this.safely('onFinal', () => listener(final)));
    else this.listeners.push(listener);
  }

  /** Call for every final response sent; only the first counts. */
  fire(response: SipResponse): void {
    if (this.final) return;
    this.final = response;
    for (const listener of this.listeners.splice(0)) this.safely('onFinal', () => listener(response));
  }
}
