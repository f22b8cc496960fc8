/**
 * The Focus's side of a join dialog (RFC 3261 §12.1.1, UAS): what it needs to send a request in
 * it: BYE (eject, end of the meeting) and MESSAGE (group chat). Kept in memory: after a Front End restart
 * the clients rejoin with a new INVITE, so a dialog never outlives its flow.
 */
import { callIdOf, contactsOf, createRequest, formatUri, fromOf, formatNameAddr, newBranch, newTag, tagOf, toOf, cseqOf } from '../../sip/message/index';
import type { SipRequest } from '../../sip/message/types';
import { viaFor } from '../../sip/proxy/proxy';
import type { LocalAddress } from '../../sip/proxy/flow-token';
import type { TransactionLayer } from '../../sip/transaction/types';
import type { Flow } from '../../sip/transport/types';

export class JoinDialog {
  readonly localTag: string;
  readonly callId: string;
  readonly remoteTag: string;
  private readonly remoteTarget: string;
  private readonly localUri: string;
  private readonly remoteUri: string;
  private readonly routeSet: string[];
  private localCseq = 0;
  remoteCseq: number;
  closed = false;

  constructor(
    invite: SipRequest,
    readonly flow: Flow,
  ) {
    const from = fromOf(invite);
    this.remoteTag = tagOf(from) ?? '';
    this.localTag = tagOf(toOf(invite)) ?? newTag();
    this.callId = callIdOf(invite);
    const contact = contactsOf(invite)[0];
    this.remoteTarget = contact && !contact.wildcard ? formatUri(contact.uri) : formatUri(from.uri);
    this.localUri = formatNameAddr({ ...toOf(invite), params: new Map() });
    this.remoteUri = formatNameAddr({ ...from, params: new Map() });
    this.routeSet = invite.headers.getAll('Record-Route');
    this.remoteCseq = cseqOf(invite).seq;
  }

  /** Whether an in-dialog request belongs to this dialog (Call-ID and both tags, §12.2.2). */
  matches(req: SipRequest): boolean {
    return callIdOf(req) === this.callId && tagOf(fromOf(req)) === this.remoteTag && tagOf(toOf(req)) === this.localTag;
  }

  /** Sends BYE (§15.1.1) and resolves with the final status; the dialog is over either way. */
  bye(transactions: TransactionLayer, local: LocalAddress, reason?: string): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    const p = this.request(transactions, local, 'BYE', { headers: reason ? [['Reason', `SIP;cause=200;text="${reason.replace(/"/g, "'")}"`]] : [] });
    this.closed = true;
    return p;
  }

  /**
   * Sends a request in the dialog (§12.2.1.1: remote target, route set, our CSeq) and resolves with
   * the final status (408 on Timer F, 503 on a failed flow, 0 when the dialog is gone).
   */
  request(transactions: TransactionLayer, local: LocalAddress, method: string, opts: { headers?: [string, string][]; body?: Buffer; contentType?: string } = {}): Promise<number> {
    if (this.closed || this.flow.closed) return Promise.resolve(0);
    const req = createRequest({
      method,
      uri: this.remoteTarget,
      from: `${this.localUri};tag=${this.localTag}`,
      to: `${this.remoteUri};tag=${this.remoteTag}`,
      callId: this.callId,
      cseq: ++this.localCseq,
      via: viaFor(local, newBranch()),
      headers: [...[...this.routeSet].reverse().map((r): [string, string] => ['Route', r]), ...(opts.headers ?? [])],
      ...(opts.body ? { body: opts.body, contentType: opts.contentType ?? 'text/plain' } : {}),
    });
    return new Promise((resolve) => {
      transactions.sendRequest(req, this.flow, {
        onResponse: (res) => res.status >= 200 && resolve(res.status),
        onTimeout: () => resolve(408),
        onTransportError: () => resolve(503),
      });
    });
  }
}
