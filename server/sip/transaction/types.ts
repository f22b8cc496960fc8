/**
 * The transaction layer contract (RFC 3261 §17). The transaction user (the dispatcher / proxy core)
 * sees server transactions for new requests and creates client transactions to send requests.
 */
import type { SipRequest, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';

/** RFC 3261 §17 states plus RFC 6026 §7 'Accepted' (an INVITE transaction after a 2xx). */
export type ServerTransactionState = 'Trying' | 'Proceeding' | 'Accepted' | 'Completed' | 'Confirmed' | 'Terminated';
export type ClientTransactionState = 'Calling' | 'Trying' | 'Proceeding' | 'Accepted' | 'Completed' | 'Terminated';

export interface ServerTransaction {
  readonly id: string;
  readonly request: SipRequest;
  /** The flow the request arrived on; responses go back on it (RFC 3261 §18.2.2). */
  readonly flow: Flow;
  readonly state: ServerTransactionState;
  /**
   * Sends a response; 1xx may be sent many times, one final. Throws InvalidStateError after a final,
   * except further 2xx on an INVITE in 'Accepted' (RFC 6026 §7.1: other forks' 2xx pass through).
   * A no-op once the transport ended the transaction (flow gone) before any final was sent.
   */
  respond(response: SipResponse): void;
  /** Fired for INVITE server transactions when a matching CANCEL arrives (the CANCEL itself was answered 200). */
  onCancel(listener: (cancel: SipRequest) => void): void;
  onTerminated(listener: () => void): void;
  /**
   * Called once with the first final response given to this transaction (whoever built it: a
   * handler, the proxy's best response), so a service can act on the outcome (IM sent copies after
   * a 2xx), even if the flow back to the sender failed. Not called when the flow was already gone.
   */
  onFinal(listener: (response: SipResponse) => void): void;
}

export interface ClientTransactionHandlers {
  onResponse(response: SipResponse): void;
  /** Timer B / F fired (RFC 3261 §17.1.1.2, §17.1.2.2): the caller synthesises a 408. */
  onTimeout(): void;
  /** The flow closed or could not send (§8.1.3.1): the caller synthesises a 503. */
  onTransportError(error: Error): void;
}

export interface ClientTransaction {
  readonly id: string;
  readonly request: SipRequest;
  readonly flow: Flow;
  readonly state: ClientTransactionState;
  /**
   * INVITE only: sends CANCEL for this transaction (§9.1) once a provisional response has arrived
   * (immediately if one has, otherwise when the first arrives); a no-op after a final response.
   */
  cancel(reason?: string): void;
}

export interface TransactionUser {
  /** A new request that matched no server transaction; ACK and CANCEL come here only when stray. */
  onRequest(tx: ServerTransaction): void;
  /** An ACK for a 2xx (a separate transaction per §17.1.1.3) or a stray ACK: proxied statelessly. */
  onAck(ack: SipRequest, flow: Flow): void;
  /** A response that matched no client transaction (e.g. a 2xx retransmission): forwarded statelessly (§16.7). */
  onStrayResponse(response: SipResponse, flow: Flow): void;
}

export interface TransactionLayer {
  /**
   * Creates a client transaction and sends `request` on `flow`. The caller has already added its own
   * top Via with a fresh RFC 3261 branch (`z9hG4bK...`).
   */
  sendRequest(request: SipRequest, flow: Flow, handlers: ClientTransactionHandlers): ClientTransaction;
  /** Counts for health and tests. */
  stats(): { server: number; client: number };
  close(): void;
}

/** RFC 3261 §17 timer values, in ms; shortened in tests. */
export interface TimerSettings {
  T1: number;
  T2: number;
  T4: number;
  /** Timer C, proxy INVITE (§16.6 step 11), > 3 min. */
  C: number;
}

export const DEFAULT_TIMERS: TimerSettings = { T1: 500, T2: 4_000, T4: 5_000, C: 180_000 };
