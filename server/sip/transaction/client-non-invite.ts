/**
 * non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6).
 *
 *                  |Request sent; Timer E (unreliable), Timer F
 *                  V
 *            +-----------+ Timer E: resend, E = min(2E, T2)
 *            |  Trying   | Timer F / transport error: inform TU -> Terminated
 *            +-----------+
 *         1xx: to TU|   \ 200-699: to TU
 *                   V    \
 *            +-----------+ \  Timer E: resend, E = T2
 *            | Proceeding|  | 1xx: to TU; 200-699: to TU
 *            +-----------+  |
 *                   |       |
 *                   V       V
 *            +-----------+ responses: absorb
 *            | Completed | Timer K (T4 unreliable, 0 reliable) -> Terminated
 *            +-----------+
 */
import type { SipRequest, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import type { ClientTransaction, ClientTransactionHandlers, ClientTransactionState } from './types';
import type { TransactionContext } from './base';
import { ClientTransactionBase } from './client-base';
import { TransportError } from './errors';

export class NonInviteClientTransaction extends ClientTransactionBase<ClientTransactionState> implements ClientTransaction {
  private eInterval = 0;

  constructor(id: string, request: SipRequest, flow: Flow, ctx: TransactionContext, handlers: ClientTransactionHandlers) {
    super(id, request, flow, ctx, handlers, 'Trying', ['Trying', 'Proceeding']);
  }

  start(): void {
    if (!this.sendOnFlow(this.request)) {
      this.fail(new TransportError(`flow ${this.flow.id} refused the ${this.request.method}`));
      return;
    }
    const { E, F } = this.ctx.timers;
    if (E !== undefined) {
      this.eInterval = E;
      this.timers.start('E', E, () => this.timerE());
    }
    this.timers.start('F', F, () => this.timerF());
  }

  receiveResponse(response: SipResponse): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return; // Completed: absorb
    if (response.status < 200) {
      if (this.state === 'Trying') this.transition('Proceeding', ['Trying']);
      this.deliver(response);
      return;
    }
    this.transition('Completed', ['Trying', 'Proceeding']);
    this.timers.clear();
    this.deliver(response);
    if (!this.terminated) this.startOrRun('K', this.ctx.timers.K, () => this.terminate());
  }

  /** Only INVITE transactions can be cancelled (§9.1). */
  cancel(): void {}

  /** §17.1.2.2: E doubles up to T2 while Trying, and stays at T2 in Proceeding. */
  private timerE(): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return;
    if (!this.sendOnFlow(this.request)) {
      this.fail(new TransportError(`flow ${this.flow.id} refused the ${this.request.method} retransmission`));
      return;
    }
    const T2 = this.ctx.timers.T2;
    this.eInterval = this.state === 'Trying' ? Math.min(2 * this.eInterval, T2) : T2;
    this.timers.start('E', this.eInterval, () => this.timerE());
  }

  private timerF(): void {
    this.timedOut();
  }
}
