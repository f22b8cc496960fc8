/**
 * Sent copies: a person signed in on several endpoints (two tabs, a laptop and a phone) sees what
 * they sent from one of them in the conversation on the others, as Skype for Business and every
 * chat service does. After a text MESSAGE from an authenticated user to another person got a 2xx,
 * the Front End sends each of the sender's OTHER registered endpoints a copy: a MESSAGE from and
 * to the sender's own address, with `X-OCS-Sent-To: <recipient>` naming the conversation.
 *
 * Trust: a client believes a copy only when it comes from its own address, which no other user can
 * send (the Front End requires From to match the authenticated user); and ImPolicy strips any
 * X-OCS-Sent-To from requests it relays, so only the Front End ever adds one.
 * Bounded: one copy per other endpoint with a live flow (the registrar caps endpoints per user);
 * the copies' answers are only logged. Wire form: docs/protocol.md "IM".
 */
import type { Logger } from '../log';
import type { LocationService } from '../registrar/location';
import { createRequest, formatUri, newBranch, newCallId, newTag, parseUri, toOf, type SipRequest } from '../sip/message/index';
import type { LocalAddress } from '../sip/proxy/flow-token';
import { viaFor } from '../sip/proxy/proxy';
import type { TransactionLayer } from '../sip/transaction/types';
import type { SipTransportLayer } from '../sip/transport/layer';
import type { Flow } from '../sip/transport/types';

export const SENT_TO_HEADER = 'X-OCS-Sent-To';

export interface SentCopiesDeps {
  domain: string;
  serverName: string;
  location: Pick<LocationService, 'lookup'>;
  transport: Pick<SipTransportLayer, 'getFlow'>;
  transactions: Pick<TransactionLayer, 'sendRequest'>;
  localAddress(flow: Flow): LocalAddress;
  log: Logger;
}

export class SentCopies {
  constructor(private readonly deps: SentCopiesDeps) {}

  /**
   * Copies `request` (accepted, sent by `user` on `from`) to the user's other endpoints; returns how
   * many copies went out.
   */
  send(user: string, request: SipRequest, from: Flow): number {
    const aor = `sip:${user}@${this.deps.domain}`;
    const to = toOf(request).uri;
    const recipient = formatUri({ scheme: to.scheme, user: to.user, host: to.host, params: new Map(), headers: new Map() });
    let sent = 0;
    for (const binding of this.deps.location.lookup(aor)) {
      if (!binding.flowId || binding.flowId === from.id) continue;
      const flow = this.deps.transport.getFlow(binding.flowId);
      if (!flow || flow.closed) continue;
      const headers: [string, string][] = (binding.path ?? []).map((p) => ['Route', p]);
      headers.push([SENT_TO_HEADER, `<${recipient}>`], ['User-Agent', this.deps.serverName]);
      const copy = createRequest({
        method: 'MESSAGE',
        uri: parseUri(binding.contact),
        from: `<${aor}>;tag=${newTag()}`,
        to: `<${aor}>`,
        callId: newCallId(),
        cseq: 1,
        via: viaFor(this.deps.localAddress(flow), newBranch()),
        headers,
        body: request.body,
        contentType: request.headers.get('Content-Type'),
      });
      const failed = (why: string) => this.deps.log.debug('sent copy not delivered', { aor, contact: binding.contact, why });
      try {
        this.deps.transactions.sendRequest(copy, flow, {
          onResponse: (res) => {
            if (res.status >= 300) failed(String(res.status));
          },
          onTimeout: () => failed('timeout'),
          onTransportError: (err) => failed(err.message),
        });
        sent++;
      } catch (err) {
        failed((err as Error).message);
      }
    }
    return sent;
  }
}
