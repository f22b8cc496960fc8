/**
 * The transaction layer (RFC 3261 §17): matches what the transport delivers to server and client
 * transactions, creates server transactions for new requests and hands them to the transaction user,
 * answers CANCEL for a pending INVITE itself (§9.2), and forgets every transaction once Terminated.
 */
import type { SipMessage, SipRequest, SipResponse } from '../message/types';
import { createResponse } from '../message/response';
import type { Flow, TransportLayer } from '../transport/types';
import {
  DEFAULT_TIMERS,
  type ClientTransaction,
  type ClientTransactionHandlers,
  type ServerTransaction,
  type TimerSettings,
  type TransactionLayer,
  type TransactionUser,
} from './types';
import type { TransactionBase, TransactionContext } from './base';
import { timerValues } from './timers';
import { clientKey, serverKey } from './matching';
import { InviteServerTransaction, type TryingPolicy } from './server-invite';
import { NonInviteServerTransaction } from './server-non-invite';
import { InviteClientTransaction } from './client-invite';
import { NonInviteClientTransaction } from './client-non-invite';

export interface TransactionLayerOptions {
  /** When an INVITE server transaction sends 100 Trying by itself; a proxy does it at once (§16.2). */
  inviteTrying?: TryingPolicy;
  /** All our transports are reliable; tests force `false` to exercise retransmission timers. */
  isReliable?: (flow: Flow) => boolean;
  /** Where listener exceptions and dropped messages are reported (never message bodies). */
  onError?: (error: unknown, where: string) => void;
}

type ServerTx = InviteServerTransaction | NonInviteServerTransaction;
type ClientTx = InviteClientTransaction | NonInviteClientTransaction;
type AnyTx = ServerTx | ClientTx;

export interface SipTransactionLayer extends TransactionLayer {
  /** Looks up the server transaction a request belongs to (tests, diagnostics). */
  findServerTransaction(request: SipRequest): ServerTransaction | undefined;
}

export function createTransactionLayer(
  transport: TransportLayer,
  user: TransactionUser,
  timers: TimerSettings = DEFAULT_TIMERS,
  options: TransactionLayerOptions = {},
): SipTransactionLayer {
  const trying = options.inviteTrying ?? 'immediate';
  const isReliable = options.isReliable ?? (() => true);
  const reportError = options.onError ?? (() => {});
  const servers = new Map<string, ServerTx>();
  const clients = new Map<string, ClientTx>();
  /** flow id -> its live transactions, so a closing flow reaches them without per-tx listeners. */
  const byFlow = new Map<string, Set<AnyTx>>();
  let closed = false;

  function context(flow: Flow, forget: () => void): TransactionContext {
    return {
      timers: timerValues(timers, isReliable(flow)),
      reportError,
      onTerminated: (tx) => {
        forget();
        const set = byFlow.get(flow.id);
        set?.delete(tx as AnyTx);
        if (set?.size === 0) byFlow.delete(flow.id);
      },
    };
  }

  function track(flow: Flow, tx: AnyTx): void {
    let set = byFlow.get(flow.id);
    if (!set) byFlow.set(flow.id, (set = new Set()));
    set.add(tx);
  }

  function forgetter(map: Map<string, AnyTx>, key: string, get: () => AnyTx | undefined): () => void {
    return () => {
      if (map.get(key) === get()) map.delete(key);
    };
  }

  function createServer(request: SipRequest, flow: Flow, key: string): ServerTx {
    let tx: ServerTx | undefined;
    const ctx = context(flow, forgetter(servers, key, () => tx));
    tx =
      request.method === 'INVITE'
        ? new InviteServerTransaction(key, request, flow, ctx, trying)
        : new NonInviteServerTransaction(key, request, flow, ctx);
    if (!tx.terminated) {
      servers.set(key, tx);
      track(flow, tx);
    }
    return tx;
  }

  function handleRequest(request: SipRequest, flow: Flow): void {
    const key = serverKey(request);
    if (key === undefined) {
      reportError(new Error(`${request.method} without a usable top Via dropped`), 'match');
      return;
    }
    const existing = servers.get(key);
    if (request.method === 'ACK') {
      // §17.2.1: an ACK for a non-2xx is part of the INVITE transaction; any other ACK goes up.
      if (existing instanceof InviteServerTransaction && existing.receiveAck()) return;
      safely('onAck', () => user.onAck(request, flow));
      return;
    }
    if (existing) {
      existing.receiveRetransmission();
      return;
    }
    const tx = createServer(request, flow, key);
    if (request.method === 'CANCEL' && handleCancel(request, tx)) return;
    try {
      user.onRequest(tx);
    } catch (err) {
      reportError(err, 'onRequest');
      // A defined answer for every failure: the TU threw before answering.
      if (!tx.terminated && !tx.hasFinalResponse) safely('500', () => tx.respond(createResponse(request, 500, 'Server Internal Error')));
    }
  }

  /** §9.2: a CANCEL matching a server transaction is answered 200 here; the INVITE's TU learns via onCancel. */
  function handleCancel(cancel: SipRequest, cancelTx: ServerTx): boolean {
    const inviteKey = serverKey(cancel, 'INVITE');
    const invite = inviteKey === undefined ? undefined : servers.get(inviteKey);
    if (!(invite instanceof InviteServerTransaction)) return false; // stray: the TU forwards it (§16.10)
    cancelTx.respond(createResponse(cancel, 200, 'OK'));
    invite.receiveCancel(cancel);
    return true;
  }

  function handleResponse(response: SipResponse, flow: Flow): void {
    const key = clientKey(response);
    const tx = key === undefined ? undefined : clients.get(key);
    if (tx) tx.receiveResponse(response);
    else safely('onStrayResponse', () => user.onStrayResponse(response, flow));
  }

  function safely(where: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      reportError(err, where);
    }
  }

  function sendRequest(request: SipRequest, flow: Flow, handlers: ClientTransactionHandlers): ClientTransaction {
    const key = clientKey(request);
    if (key === undefined) throw new TypeError('sendRequest: the request needs a top Via with a branch and a CSeq');
    if (request.method === 'ACK') throw new TypeError('sendRequest: ACK is not a transaction (§17.1.1.3); send it on the flow');
    let tx: ClientTx | undefined;
    const ctx = context(flow, forgetter(clients, key, () => tx));
    tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(key, request, flow, ctx, handlers, (cancel) => sendCancel(cancel, flow))
        : new NonInviteClientTransaction(key, request, flow, ctx, handlers);
    if (closed) {
      tx.terminate();
      queueMicrotask(() => handlers.onTransportError(new Error('transaction layer closed')));
      return tx;
    }
    clients.set(key, tx);
    track(flow, tx);
    tx.start();
    return tx;
  }

  /** The CANCEL is a non-INVITE client transaction of its own (§9.1); its outcome concerns nobody. */
  function sendCancel(cancel: SipRequest, flow: Flow): void {
    sendRequest(cancel, flow, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => {} });
  }

  transport.on('message', (message: SipMessage, flow: Flow) => {
    if (closed) return;
    if (message.kind === 'request') handleRequest(message, flow);
    else handleResponse(message, flow);
  });

  transport.on('flowClose', (flow: Flow, reason: string) => {
    const set = byFlow.get(flow.id);
    if (!set) return;
    for (const tx of [...set]) tx.flowClosed(reason);
  });

  return {
    sendRequest,
    stats: () => ({ server: servers.size, client: clients.size }),
    findServerTransaction: (request) => {
      const key = serverKey(request);
      return key === undefined ? undefined : servers.get(key);
    },
    close: () => {
      if (closed) return;
      closed = true;
      const all: Array<TransactionBase<string>> = [...servers.values(), ...clients.values()];
      for (const tx of all) tx.terminate();
      servers.clear();
      clients.clear();
      byFlow.clear();
    },
  };
}
