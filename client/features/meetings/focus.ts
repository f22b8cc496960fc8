/**
 * The client side of conferencing signalling (docs/c3p.md), on sip.js's core API: C3P commands in
 * INFO (to the Focus Factory outside a dialog, to the Focus in the join dialog), the join INVITE
 * (no SDP: the 200 carries a JSON JoinAnswer, so sip.js's WebRTC session layer is not involved),
 * group chat by MESSAGE in that dialog, and the roster from the conference event package
 * (RFC 4575) through a sip.js Subscriber.
 */
import { Subscriber, UserAgent, type Notification } from 'sip.js';
import type { Core } from 'sip.js';

type CoreSession = Core.Session;
import { buildC3pRequest, parseC3pResponse, type C3pCommand, type C3pResponse } from '../../../shared/conferencing/c3p';
import { applyConferenceInfo, parseConferenceInfo } from '../../../shared/conferencing/conferenceInfo';
import {
  C3P_CONTENT_TYPE,
  CONFERENCE_EVENT,
  CONFERENCE_IM_CONTENT_TYPE,
  CONFERENCE_INFO_CONTENT_TYPE,
  JOIN_CONTENT_TYPE,
  type ConferenceChatMessage,
  type ConferenceView,
  type JoinAnswer,
} from '../../../shared/conferencing/types';
import { focusFactoryUri } from '../../../shared/conferencing/uri';

let requestIds = 0;

export class FocusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function uri(s: string) {
  const u = UserAgent.makeURI(s);
  if (!u) throw new FocusError(0, `not a SIP URI: ${s}`);
  return u;
}

function c3pBody(from: string, to: string, command: C3pCommand) {
  return { contentDisposition: 'render', contentType: C3P_CONTENT_TYPE, content: buildC3pRequest({ requestId: String(++requestIds), from, to, command }) };
}

function c3pResult(body: string, status: number, reason: string): C3pResponse {
  if (status !== 200) throw new FocusError(status, reason);
  return parseC3pResponse(body);
}

/** A C3P command to our own Focus Factory (out-of-dialog INFO). */
export function focusFactoryCommand(ua: UserAgent, aor: string, domain: string, command: C3pCommand): Promise<C3pResponse> {
  const user = aor.replace(/^sips?:/, '').split('@')[0]!;
  const target = focusFactoryUri(user, domain);
  const core = ua.userAgentCore;
  const message = core.makeOutgoingRequestMessage('INFO', uri(target), uri(aor), uri(target), {}, [], c3pBody(aor, target, command));
  return new Promise((resolve, reject) => {
    core.request(message, c3pDelegate(resolve, reject));
  });
}

export interface MeetingDialogEvents {
  onChat(message: ConferenceChatMessage): void;
  /** The Focus ended our participation (eject, meeting over); `reason` from its Reason header. */
  onEnded(reason: string): void;
}

/** Our join dialog with a Focus. */
export class MeetingDialog {
  private ended = false;

  private constructor(
    private readonly session: CoreSession,
    readonly answer: JoinAnswer,
    private readonly aor: string,
    readonly conferenceUri: string,
  ) {}

  /** INVITE to the conference URI; rejects with FocusError(status, reason) when refused. */
  static join(ua: UserAgent, aor: string, conferenceUri: string, events: MeetingDialogEvents): Promise<MeetingDialog> {
    const core = ua.userAgentCore;
    const message = core.makeOutgoingRequestMessage('INVITE', uri(conferenceUri), uri(aor), uri(conferenceUri), {}, [
      `Contact: ${ua.contact.toString()}`,
      `Accept: ${JOIN_CONTENT_TYPE}`,
      'Allow: ACK, BYE, CANCEL, INFO, INVITE, MESSAGE, NOTIFY',
    ]);
    return new Promise((resolve, reject) => {
      core.invite(message, {
        onAccept: (response) => {
          response.ack();
          let answer: JoinAnswer;
          try {
            answer = JSON.parse(response.message.body) as JoinAnswer;
          } catch {
            response.session.bye();
            reject(new FocusError(500, 'The conference sent an answer this client cannot read.'));
            return;
          }
          const dialog = new MeetingDialog(response.session, answer, aor, conferenceUri);
          response.session.delegate = {
            onBye: (bye) => {
              bye.accept();
              const m = /text="([^"]*)"/.exec(bye.message.getHeader('Reason') ?? '');
              dialog.ended = true;
              events.onEnded(m?.[1] ?? 'The meeting ended.');
            },
            onMessage: (msg) => {
              msg.accept();
              if ((msg.message.getHeader('Content-Type') ?? '').startsWith(CONFERENCE_IM_CONTENT_TYPE)) {
                try {
                  events.onChat(JSON.parse(msg.message.body) as ConferenceChatMessage);
                } catch {
                  /* not ours to show */
                }
              }
            },
            onInfo: (info) => info.accept(),
          };
          resolve(dialog);
        },
        onReject: (r) => reject(new FocusError(r.message.statusCode ?? 0, r.message.reasonPhrase ?? '')),
      });
    });
  }

  /** A C3P command to the Focus in this dialog. */
  command(command: C3pCommand): Promise<C3pResponse> {
    return new Promise((resolve, reject) => {
      this.session.info(
        c3pDelegate(resolve, reject),
        { body: c3pBody(this.aor, this.conferenceUri, command) },
      );
    });
  }

  chat(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.session.message(
        { onAccept: () => resolve(), onReject: (r) => reject(new FocusError(r.message.statusCode ?? 0, r.message.reasonPhrase ?? '')) },
        { body: { contentDisposition: 'render', contentType: 'text/plain', content: text } },
      );
    });
  }

  leave(): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.session.bye();
    } catch {
      /* the dialog is already gone (connection lost) */
    }
  }
}

/**
 * The roster: SUBSCRIBE to the conference event package; full state first, then partial documents
 * folded in order. A version gap (a NOTIFY lost) subscribes afresh for full state (RFC 4575 §4.2).
 */
export class RosterSubscription {
  private subscriber?: Subscriber;
  private state?: ConferenceView & { version: number };
  private stopped = false;

  constructor(
    private readonly ua: UserAgent,
    private readonly conferenceUri: string,
    private readonly onView: (view: ConferenceView) => void,
  ) {}

  start(): void {
    if (this.stopped) return;
    this.state = undefined;
    const s = new Subscriber(this.ua, uri(this.conferenceUri), CONFERENCE_EVENT, { expires: 600, extraHeaders: [`Accept: ${CONFERENCE_INFO_CONTENT_TYPE}`] });
    s.delegate = { onNotify: (n: Notification) => this.notified(n) };
    this.subscriber = s;
    void s.subscribe().catch(() => undefined);
  }

  private notified(n: Notification): void {
    n.accept();
    if (!n.request.body) return;
    let next: (ConferenceView & { version: number }) | undefined;
    try {
      next = applyConferenceInfo(this.state, parseConferenceInfo(n.request.body));
    } catch {
      return;
    }
    if (!next) {
      this.restart();
      return;
    }
    this.state = next;
    this.onView(next);
  }

  restart(): void {
    const old = this.subscriber;
    this.subscriber = undefined;
    void old?.dispose().catch(() => undefined);
    this.start();
  }

  stop(): void {
    this.stopped = true;
    void this.subscriber?.dispose().catch(() => undefined);
  }
}

/** Reads the C3P answer to an INFO: a C3P response on 2xx, a FocusError otherwise. */
function c3pDelegate(resolve: (r: C3pResponse) => void, reject: (e: unknown) => void) {
  type Answer = { message: { body: string; statusCode?: number; reasonPhrase?: string } };
  return {
    onAccept: (r: Answer) => {
      try {
        resolve(c3pResult(r.message.body, r.message.statusCode ?? 0, r.message.reasonPhrase ?? ''));
      } catch (e) {
        reject(e);
      }
    },
    onReject: (r: Answer) => reject(new FocusError(r.message.statusCode ?? 0, r.message.reasonPhrase ?? '')),
  };
}
