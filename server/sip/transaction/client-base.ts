/**
 * What the two client state machines (§17.1.1 INVITE, §17.1.2 non-INVITE) share: how they report
 * to the transaction user — responses, the Timer B/F timeout (§17.1.1.2, §17.1.2.2) and transport
 * errors (§8.1.3.1, also when the flow closes while the request is still pending).
 */
import type { SipRequest, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import type { ClientTransactionHandlers } from './types';
import { TransactionBase, type TransactionContext } from './base';
import { TransportError } from './errors';

export abstract class ClientTransactionBase<S extends string> extends TransactionBase<S> {
  protected constructor(
    id: string,
    readonly request: SipRequest,
    flow: Flow,
    ctx: TransactionContext,
    private readonly handlers: ClientTransactionHandlers,
    initial: S,
    /** States in which no final response has arrived yet. */
    private readonly pending: readonly S[],
  ) {
    super(id, flow, ctx, initial);
  }

  flowClosed(reason: string): void {
    if (this.pending.includes(this.state)) this.fail(new TransportError(`flow ${this.flow.id} closed: ${reason}`));
    else this.terminate();
  }

  protected deliver(response: SipResponse): void {
    this.safely('onResponse', () => this.handlers.onResponse(response));
  }

  /** Timer B / F: the transaction user synthesises the 408. */
  protected timedOut(): void {
    if (!this.pending.includes(this.state)) return;
    this.terminate();
    this.safely('onTimeout', () => this.handlers.onTimeout());
  }

  protected fail(error: Error): void {
    this.terminate();
    this.safely('onTransportError', () => this.handlers.onTransportError(error));
  }
}
