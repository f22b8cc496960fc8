/**
 * non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8).
 *
 *                  |Request received (pass to TU)
 *                  V
 *            +-----------+ request: absorb
 *            |  Trying   |-------------+
 *            +-----------+             | final from TU: send
 *       1xx from TU|                   |
 *                  V                   |
 *            +-----------+ request: resend last 1xx
 *            | Proceeding|--------------+
 *            +-----------+ final: send  |
 *                                       V
 *            +-----------+ request: resend final
 *            | Completed | Timer J (64*T1 unreliable, 0 reliable) -> Terminated
 *            +-----------+
 */
import type { SipRequest, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import type { ServerTransaction, ServerTransactionState } from './types';
import { FinalListeners, TransactionBase, type TransactionContext } from './base';
import { InvalidStateError } from './errors';

export class NonInviteServerTransaction extends TransactionBase<ServerTransactionState> implements ServerTransaction {
  private lastResponse: SipResponse | undefined;
  private finals: FinalListeners | undefined;
  private transportFailed = false;

  constructor(
    id: string,
    readonly request: SipRequest,
    flow: Flow,
    ctx: TransactionContext,
  ) {
    super(id, flow, ctx, 'Trying');
  }

  get hasFinalResponse(): boolean {
    return (this.state === 'Completed' || this.state === 'Terminated') && !this.transportFailed;
  }

  respond(response: SipResponse): void {
    if (this.transportFailed) return;
    if (this.state !== 'Trying' && this.state !== 'Proceeding') {
      throw new InvalidStateError(`non-INVITE server ${this.id}: ${response.status} in ${this.state}`);
    }
    this.lastResponse = response;
    if (response.status < 200) {
      if (this.state === 'Trying') this.transition('Proceeding', ['Trying']);
      this.send(response);
      return;
    }
    this.transition('Completed', ['Trying', 'Proceeding']);
    const sent = this.send(response);
    this.finals?.fire(response);
    if (sent) this.startOrRun('J', this.ctx.timers.J, () => this.terminate());
  }

  /** non-INVITE transactions cannot be cancelled (§9.2: CANCEL has no effect on them). */
  onCancel(): void {}

  onFinal(listener: (response: SipResponse) => void): void {
    // lastResponse is final once one was given (later 2xx of other forks do not replace it).
    const given = this.lastResponse && this.lastResponse.status >= 200 ? this.lastResponse : undefined;
    (this.finals ??= new FinalListeners((where, fn) => this.safely(where, fn), given)).add(listener);
  }

  receiveRetransmission(): void {
    if (this.state !== 'Trying' && this.lastResponse) this.send(this.lastResponse);
  }

  flowClosed(): void {
    if (this.state === 'Completed') this.terminate();
  }

  private send(response: SipResponse): boolean {
    if (this.sendOnFlow(response)) return true;
    this.transportFailed = true;
    this.terminate();
    return false;
  }
}
