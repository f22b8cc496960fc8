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
 * Bounded: one copy per other endpoint with a live flow (the registrar caps endpoints per user),
 * plus one per other pool member holding endpoints of the sender (it forks the copy to them, and
 * keeps the mark: it came from a member); the copies' answers are only logged. Wire form: docs/protocol.md "IM".
 */
import type { Logger } from '../log';
import type { LocationService } from '../registrar/location';
import { createRequest, formatUri, newBranch, newCallId, newTag, parseUri, toOf, type SipRequest, type SipUri } from '../sip/message/index';
import type { PoolPort } from '../routing/router';
import { aorOf } from '../registrar/register';
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
  /** The pool's other members holding endpoints of the sender (absent: copies stay on this Front End). */
  pool?: Pick<PoolPort, 'remoteTargets'>;
}

export class SentCopies {
  constructor(private readonly deps: SentCopiesDeps) {}

  /**
   * Copies `request` (accepted, sent by `user` on `from`) to the user's other endpoints: here, and on
   * the other members of a pool that hold some (each forks it to its own); resolves with how many
   * copies went out.
   */
  async send(user: string, request: SipRequest, from: Flow): Promise<number> {
    const aor = aorOf(user, this.deps.domain);
    const recipient = formatUri({ ...toOf(request).uri, params: new Map(), headers: new Map() });
    let sent = 0;
    for (const binding of this.deps.location.lookup(aor)) {
      if (!binding.flowId || binding.flowId === from.id) continue;
      const flow = this.deps.transport.getFlow(binding.flowId);
      if (!flow || flow.closed) continue;
      const routes: [string, string][] = (binding.path ?? []).map((p) => ['Route', p]);
      if (this.copy(aor, recipient, request, parseUri(binding.contact), flow, routes)) sent++;
    }
    // Another member forks the copy to its endpoints of the user; it trusts the asserted sender.
    for (const target of (await this.deps.pool?.remoteTargets(aor, request)) ?? []) {
      if (this.copy(aor, recipient, request, parseUri(aor), target.flow, [['P-Asserted-Identity', `<${aor}>`]])) sent++;
    }
    return sent;
  }

  private copy(aor: string, recipient: string, request: SipRequest, uri: SipUri, flow: Flow, extra: [string, string][]): boolean {
    const copy = createRequest({
      method: 'MESSAGE',
      uri,
      from: `<${aor}>;tag=${newTag()}`,
      to: `<${aor}>`,
      callId: newCallId(),
      cseq: 1,
      via: viaFor(this.deps.localAddress(flow), newBranch()),
      headers: [...extra, [SENT_TO_HEADER, `<${recipient}>`], ['User-Agent', this.deps.serverName]],
      body: request.body,
      contentType: request.headers.get('Content-Type'),
    });
    const failed = (why: string) => this.deps.log.debug('sent copy not delivered', { aor, to: formatUri(uri), why });
    try {
      this.deps.transactions.sendRequest(copy, flow, {
        onResponse: (res) => {
          if (res.status >= 300) failed(String(res.status));
        },
        onTimeout: () => failed('timeout'),
        onTransportError: (err) => failed(err.message),
      });
      return true;
    } catch (err) {
      failed((err as Error).message);
      return false;
    }
  }
}
