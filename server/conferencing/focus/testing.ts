/**
 * A scripted conference participant over a raw SIP test endpoint (server/testing): C3P INFOs,
 * the join INVITE, the conference subscription and the NOTIFYs it brings, folded with the shared
 * RFC 4575 reader so tests check what a client would see.
 */
import type { SipEndpoint } from '../../testing/endpoint';
import { tagOf, type WireMessage } from '../../testing/sip-wire';
import { buildC3pRequest, parseC3pResponse, type C3pCommand, type C3pResponse } from '../../../shared/conferencing/c3p';
import { applyConferenceInfo, parseConferenceInfo } from '../../../shared/conferencing/conferenceInfo';
import { C3P_CONTENT_TYPE, type ConferenceView, type JoinAnswer } from '../../../shared/conferencing/types';
import { focusFactoryUri } from '../../../shared/conferencing/uri';

let requestIds = 0;

export class ConferenceClient {
  joinDialog?: { callId: string; toTag: string };
  subDialog?: { callId: string; toTag: string };
  state?: ConferenceView & { version: number };
  private seenNotifies = 0;

  constructor(
    readonly ep: SipEndpoint,
    readonly domain: string,
  ) {}

  get user(): string {
    return this.ep.options.user;
  }

  /** A C3P command to our Focus Factory. */
  factory(command: C3pCommand): Promise<C3pResponse> {
    return this.c3p(focusFactoryUri(this.user, this.domain), command);
  }

  /** A C3P command to a Focus, in the join dialog when there is one. */
  async c3p(uri: string, command: C3pCommand): Promise<C3pResponse> {
    const inDialog = this.joinDialog && !uri.includes('focusfactory');
    const res = await this.ep.request('INFO', uri, {
      body: buildC3pRequest({ requestId: String(++requestIds), from: this.ep.aor, to: uri, command }),
      contentType: C3P_CONTENT_TYPE,
      ...(inDialog ? { callId: this.joinDialog!.callId, to: `<${uri}>;tag=${this.joinDialog!.toTag}` } : {}),
    });
    if (res.status !== 200) throw new Error(`INFO ${command.name}: ${res.startLine}`);
    return parseC3pResponse(res.body.toString('utf8'));
  }

  /** INVITE to the conference URI; resolves with the SIP response and, on 200, the JoinAnswer. */
  async join(uri: string): Promise<{ response: WireMessage; answer?: JoinAnswer }> {
    const response = await this.ep.request('INVITE', uri, { timeoutMs: 15_000 });
    if (response.status !== 200) return { response };
    this.joinDialog = { callId: response.header('Call-ID')!, toTag: tagOf(response.header('To'))! };
    await this.ep.connection.send(Buffer.from(
      `ACK ${uri} SIP/2.0\r\nVia: SIP/2.0/${this.ep.connection.transport} ack.invalid;branch=z9hG4bKack${Date.now()}\r\nMax-Forwards: 70\r\nFrom: <${this.ep.aor}>;tag=${this.ep.fromTag}\r\nTo: <${uri}>;tag=${this.joinDialog.toTag}\r\nCall-ID: ${this.joinDialog.callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n`,
    ));
    return { response, answer: JSON.parse(response.body.toString('utf8')) as JoinAnswer };
  }

  async subscribe(uri: string): Promise<WireMessage> {
    const res = await this.ep.request('SUBSCRIBE', uri, { headers: [['Event', 'conference'], ['Expires', '600'], ['Accept', 'application/conference-info+xml']] });
    if (res.status === 200) {
      this.subDialog = { callId: res.header('Call-ID')!, toTag: tagOf(res.header('To'))! };
      this.state = undefined;
      this.seenNotifies = 0;
    }
    return res;
  }

  /** Waits until the roster folded from NOTIFYs satisfies `accept`. */
  async waitState(accept: (s: ConferenceView) => boolean, timeoutMs = 5_000): Promise<ConferenceView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const notifies = this.ep.requests.filter((r) => r.method === 'NOTIFY' && r.header('Call-ID') === this.subDialog?.callId);
      for (const n of notifies.slice(this.seenNotifies)) {
        if (n.body.length > 0) {
          const next = applyConferenceInfo(this.state, parseConferenceInfo(n.body.toString('utf8')));
          if (!next) throw new Error(`${this.user}: conference-info version gap`);
          this.state = next;
        }
      }
      this.seenNotifies = notifies.length;
      if (this.state && accept(this.state)) return this.state;
      if (Date.now() > deadline) throw new Error(`${this.user}: roster never matched; last ${JSON.stringify(this.state?.participants)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async bye(uri: string): Promise<WireMessage> {
    return this.ep.request('BYE', uri, { callId: this.joinDialog!.callId, to: `<${uri}>;tag=${this.joinDialog!.toTag}` });
  }
}
