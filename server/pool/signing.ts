/**
 * Every request this Front End sends on a link to another member carries the pool credential,
 * whoever built it: the proxy core forwarding a client's request, the Focus or the presence
 * notifier sending NOTIFY or BYE into a dialog that crosses the pool. Wrapping the transaction
 * layer once, in the composition root, covers them all.
 */
import type { TransactionLayer } from '../sip/transaction/types';
import { POOL_HEADER, type PoolCredentials } from './credentials';
import { POOL_PEER } from './routing';

export function signingTransactions(inner: TransactionLayer, credentials: Pick<PoolCredentials, 'sign'>): TransactionLayer {
  return {
    ...inner,
    sendRequest(request, flow, handlers) {
      if (flow.attributes.has(POOL_PEER)) request.headers.set(POOL_HEADER, credentials.sign(request));
      return inner.sendRequest(request, flow, handlers);
    },
  };
}
