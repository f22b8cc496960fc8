/**
 * INVITE client transaction, RFC 3261 §17.1.1 (Figure 5) with the RFC 6026 §7.2 "Accepted" state.
 *
 *                  |INVITE sent; Timer A (unreliable), Timer B
 *                  V
 *            +-----------+ Timer A: resend, A = 2*A
 *            |  Calling  | Timer B / transport error: inform TU -> Terminated
 *            +-----------+
 *        1xx: to TU|    \ 2xx: to TU                300-699: send ACK, to TU
 *                  V     \
 *            +-----------+ +--> Accepted (Timer M; 2xx: to TU) --Timer M--> Terminated
 *            | Proceeding| 1xx: to TU
 *            +-----------+ 300-699: send ACK, to TU
 *                  |
 *                  V
 *            +-----------+ 300-699: resend ACK
 *            | Completed | Timer D (>= 32 s unreliable, 0 reliable) -> Terminated
 *            +-----------+
 */
import type { SipRequest, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import type { ClientTransaction, ClientTransactionHandlers, ClientTransactionState } from './types';
import type { TransactionContext } from './base';
import { ClientTransactionBase } from './client-base';
import { TransportError } from './errors';
import { buildAckForNon2xx, buildCancel } from './build';

export type InviteClientState = Exclude<ClientTransactionState, 'Trying'>;

export class InviteClientTransaction extends ClientTransactionBase<InviteClientState> implements ClientTransaction {
  private ack: SipRequest | undefined;
  private aInterval = 0;
  private cancelRequested: string | null | undefined;
  private cancelSent = false;

  constructor(
    id: string,
    request: SipRequest,
    flow: Flow,
    ctx: TransactionContext,
    handlers: ClientTransactionHandlers,
    /** Sends the CANCEL as its own non-INVITE client transaction (§9.1). */
    private readonly sendCancel: (cancel: SipRequest) => void,
  ) {
    super(id, request, flow, ctx, handlers, 'Calling', ['Calling', 'Proceeding']);
  }

  /** Sends the INVITE and arms Timers A and B (§17.1.1.2). */
  start(): void {
    if (!this.sendOnFlow(this.request)) {
      this.fail(new TransportError(`flow ${this.flow.id} refused the INVITE`));
      return;
    }
    const { A, B } = this.ctx.timers;
    if (A !== undefined) {
      this.aInterval = A;
      this.timers.start('A', A, () => this.timerA());
    }
    this.timers.start('B', B, () => this.timerB());
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'Calling':
      case 'Proceeding':
        if (status < 200) {
          if (this.state === 'Calling') {
            this.transition('Proceeding', ['Calling']);
            this.timers.stop('A');
            this.timers.stop('B');
          }
          this.deliver(response);
          if (this.cancelRequested !== undefined) this.doCancel();
        } else if (status < 300) {
          this.transition('Accepted', ['Calling', 'Proceeding']);
          this.timers.clear();
          this.timers.start('M', this.ctx.timers.M, () => this.terminate());
          this.deliver(response);
        } else {
          this.transition('Completed', ['Calling', 'Proceeding']);
          this.timers.clear();
          this.sendAck(response);
          this.deliver(response);
          if (!this.terminated) this.startOrRun('D', this.ctx.timers.D, () => this.terminate());
        }
        return;
      case 'Accepted':
        // RFC 6026 §7.2: every 2xx (retransmissions, other forks) goes to the TU.
        if (status >= 200 && status < 300) this.deliver(response);
        return;
      case 'Completed':
        // §17.1.1.2: a retransmitted final response is answered with the same ACK, not passed up.
        if (status >= 300 && this.ack) this.sendOnFlow(this.ack);
        return;
      default:
        return;
    }
  }

  /** §9.1: CANCEL only after a provisional response; no effect once a final response arrived. */
  cancel(reason?: string): void {
    if (this.cancelRequested !== undefined || this.cancelSent) return;
    if (this.state === 'Calling') this.cancelRequested = reason ?? null;
    else if (this.state === 'Proceeding') {
      this.cancelRequested = reason ?? null;
      this.doCancel();
    }
  }

  private doCancel(): void {
    if (this.cancelSent) return;
    this.cancelSent = true;
    this.safely('cancel', () => this.sendCancel(buildCancel(this.request, this.cancelRequested ?? undefined)));
    // §9.1: without a final response 64*T1 after the CANCEL, the original transaction is given up.
    this.timers.start('B', this.ctx.timers.B, () => this.timerB());
  }

  private sendAck(response: SipResponse): void {
    this.ack = buildAckForNon2xx(this.request, response);
    this.sendOnFlow(this.ack);
  }

  /** §17.1.1.2: Timer A doubles without cap while Calling (unreliable transports only). */
  private timerA(): void {
    if (this.state !== 'Calling') return;
    if (!this.sendOnFlow(this.request)) {
      this.fail(new TransportError(`flow ${this.flow.id} refused the INVITE retransmission`));
      return;
    }
    this.aInterval *= 2;
    this.timers.start('A', this.aInterval, () => this.timerA());
  }

  private timerB(): void {
    this.timedOut();
  }
}
