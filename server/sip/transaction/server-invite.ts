/**
 * INVITE server transaction, RFC 3261 §17.2.1 with the RFC 6026 §7.1 "Accepted" state.
 *
 *                     |INVITE (pass to TU; 100 Trying now or after 200 ms)
 *                     V
 *  INVITE      +-----------+  1xx from TU: send
 *  -> resend   | Proceeding|
 *  last 1xx    +-----------+
 *     300-699 from TU |   | 2xx from TU: send
 *     send, G, H      |   +-----------------------> Accepted  (Timer L; 2xx from TU: send;
 *                     V                                        INVITE: absorb; ACK: to TU)
 *  INVITE      +-----------+                             | Timer L
 *  -> resend   | Completed | Timer G: resend final       V
 *  final       +-----------+ Timer H: Terminated     Terminated
 *                     | ACK: Timer I
 *                     V
 *              +-----------+ ACK, INVITE: absorb
 *              | Confirmed | Timer I: Terminated
 *              +-----------+
 */
import type { SipRequest, SipResponse } from '../message/types';
import { createResponse } from '../message/response';
import type { Flow } from '../transport/types';
import type { ServerTransaction, ServerTransactionState } from './types';
import { FinalListeners, TransactionBase, type TransactionContext } from './base';
import { InvalidStateError } from './errors';

export type InviteServerState = Exclude<ServerTransactionState, 'Trying'>;

/** §17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that the
 * TU will generate a provisional or final response within 200 ms"; §16.2: a proxy sends it at once. */
export type TryingPolicy = 'immediate' | 'delayed' | 'never';
export const TRYING_DELAY_MS = 200;

export class InviteServerTransaction extends TransactionBase<InviteServerState> implements ServerTransaction {
  private lastResponse: SipResponse | undefined;
  private finals: FinalListeners | undefined;
  private readonly cancelListeners: Array<(cancel: SipRequest) => void> = [];
  private cancelled: SipRequest | undefined;
  /** Ended by the transport, not by a final response: later `respond()` calls are quietly dropped. */
  private transportFailed = false;
  private gInterval = 0;

  constructor(
    id: string,
    readonly request: SipRequest,
    flow: Flow,
    ctx: TransactionContext,
    trying: TryingPolicy,
  ) {
    super(id, flow, ctx, 'Proceeding');
    if (trying === 'immediate') this.sendTrying();
    else if (trying === 'delayed') this.timers.start('Trying', TRYING_DELAY_MS, () => this.sendTrying());
  }

  get hasFinalResponse(): boolean {
    return this.state !== 'Proceeding' && !this.transportFailed;
  }

  respond(response: SipResponse): void {
    if (this.transportFailed) return;
    const status = response.status;
    if (this.state === 'Accepted') {
      // RFC 6026 §7.1: further 2xx (other forks) pass through the Accepted state.
      if (status < 200 || status >= 300) throw new InvalidStateError(`INVITE server ${this.id}: ${status} after 2xx`);
      this.send(response);
      return;
    }
    if (this.state !== 'Proceeding') throw new InvalidStateError(`INVITE server ${this.id}: ${status} in ${this.state}`);
    this.timers.stop('Trying');
    this.lastResponse = response;
    if (status < 200) {
      this.send(response);
    } else if (status < 300) {
      this.transition('Accepted', ['Proceeding']);
      this.timers.start('L', this.ctx.timers.L, () => this.terminate());
      this.send(response);
      this.finals?.fire(response);
    } else {
      this.transition('Completed', ['Proceeding']);
      const sent = this.send(response);
      this.finals?.fire(response);
      if (!sent) return;
      const { G, H } = this.ctx.timers;
      if (G !== undefined) {
        this.gInterval = G;
        this.timers.start('G', G, () => this.timerG());
      }
      this.timers.start('H', H, () => this.terminate());
    }
  }

  onFinal(listener: (response: SipResponse) => void): void {
    // lastResponse is final once one was given (later 2xx of other forks do not replace it).
    const given = this.lastResponse && this.lastResponse.status >= 200 ? this.lastResponse : undefined;
    (this.finals ??= new FinalListeners((where, fn) => this.safely(where, fn), given)).add(listener);
  }

  onCancel(listener: (cancel: SipRequest) => void): void {
    this.cancelListeners.push(listener);
    if (this.cancelled && this.state === 'Proceeding') {
      const cancel = this.cancelled;
      queueMicrotask(() => this.safely('onCancel', () => listener(cancel)));
    }
  }

  /** A retransmission of the INVITE (§17.2.1): resend the last response; absorb once accepted. */
  receiveRetransmission(): void {
    if ((this.state === 'Proceeding' || this.state === 'Completed') && this.lastResponse) this.send(this.lastResponse);
  }

  /** Returns false when the ACK is not this transaction's to absorb (RFC 6026: ACK for 2xx goes to the TU). */
  receiveAck(): boolean {
    if (this.state === 'Completed') {
      this.transition('Confirmed', ['Completed']);
      this.timers.stop('G');
      this.timers.stop('H');
      this.startOrRun('I', this.ctx.timers.I, () => this.terminate());
      return true;
    }
    return this.state === 'Confirmed';
  }

  /** A CANCEL matched this transaction (§9.2); the layer already answered the CANCEL 200. */
  receiveCancel(cancel: SipRequest): void {
    if (this.state !== 'Proceeding' || this.cancelled) return;
    this.cancelled = cancel;
    for (const listener of this.cancelListeners) this.safely('onCancel', () => listener(cancel));
  }

  flowClosed(): void {
    // Nothing can arrive or be resent on a dead flow once the TU has answered; while it has not,
    // the transaction waits for its final response, which will then fail to send and end it.
    if (this.state !== 'Proceeding' && this.state !== 'Accepted') this.terminate();
  }

  private sendTrying(): void {
    if (this.state !== 'Proceeding' || this.lastResponse) return;
    const trying = createResponse(this.request, 100, 'Trying');
    this.lastResponse = trying;
    this.send(trying);
  }

  /** §17.2.1: Timer G doubles up to T2, only on unreliable transports. */
  private timerG(): void {
    if (this.state !== 'Completed' || !this.lastResponse) return;
    this.send(this.lastResponse);
    this.gInterval = Math.min(2 * this.gInterval, this.ctx.timers.T2);
    this.timers.start('G', this.gInterval, () => this.timerG());
  }

  /** §17.2.4: a transport failure ends the transaction. */
  private send(response: SipResponse): boolean {
    if (this.sendOnFlow(response)) return true;
    if (this.state === 'Accepted') return false; // a later fork's 2xx: the flow is gone, nothing to retry
    this.transportFailed = true;
    this.terminate();
    return false;
  }
}
