/**
 * IM over SIP MESSAGE (RFC 3428) with typing indications (RFC 3994). The Front End delivers a
 * MESSAGE to every registered endpoint of the recipient, so each tab of theirs gets it, and copies
 * what we send to our other endpoints (X-OCS-Sent-To), so each tab of ours shows it too. The
 * service owns the conversations Store; the UI only calls its methods.
 */
import { Messager, UserAgent, type Message } from 'sip.js';
import type { FeatureContext } from '../base/runtime';
import { Store } from '../base/store';
import { buildIsComposing, IS_COMPOSING_TYPE, parseIsComposing } from './iscomposing';
import {
  addMessage, closeConversation, EMPTY_IM, findConversation, markRead, openConversation, setTyping, totalUnread, updateMessage,
  type ChatMessage, type ImState,
} from './model';
import { notify, pageHidden, setTitleBadge } from '../base/notify';
import { clearConversations, loadConversations, saveConversations } from './persistence';
import { TypingSender } from './typing';

export const CONVERSATION_VIEW = 'conversation';
/** The Front End's copy of a message we sent from another endpoint names the conversation here (docs/protocol.md "IM"). */
const SENT_TO_HEADER = 'X-OCS-Sent-To';
/** Without a refresh, a peer's "active" expires after this (RFC 3994 §4.3 default 120 s). */
const DEFAULT_TYPING_REFRESH_SEC = 120;

function aorOf(uri: { user?: string | undefined; host: string }): string {
  return `sip:${uri.user ?? ''}@${uri.host}`;
}

function userPart(uri: string): string {
  return uri.replace(/^sips?:/, '').replace(/@.*$/, '');
}

function failureText(status: number | undefined, name: string): string {
  switch (status) {
    case 404: return 'No such person: not delivered';
    case 408:
    case 480: return `${name} isn't signed in: not delivered`;
    case 403: return 'Not allowed: not delivered';
    case 486: return `${name} is busy: not delivered`;
    default: return 'Not delivered';
  }
}

export class ImService {
  readonly state: Store<ImState>;
  /** Unsent text per conversation, kept while the person looks at another one. */
  readonly drafts = new Map<string, string>();
  private readonly senders = new Map<string, TypingSender>();
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private seq = 0;

  /** Our own address, normalised as incoming From URIs are (copies of what we sent come from it). */
  private readonly ownAor: string;

  constructor(private readonly ctx: FeatureContext) {
    this.state = new Store(loadConversations(ctx.user.name) ?? EMPTY_IM);
    const own = UserAgent.makeURI(ctx.user.uri);
    this.ownAor = own ? aorOf(own) : '';
  }

  start(): () => void {
    const offs = [
      this.ctx.sip.onMessage((message) => this.receive(message)),
      this.ctx.bus.on('conversation/open', ({ uri, displayName }) => this.open(uri, displayName)),
      this.ctx.bus.on('call/missed', ({ uri, displayName, video, at }) => {
        const text = `Missed ${video ? 'video call' : 'call'} from ${displayName}`;
        const visible = !pageHidden() && this.ctx.nav.isOpen(CONVERSATION_VIEW, uri);
        this.state.set((s) => addMessage(s, uri, undefined, { id: this.nextId('e'), direction: 'event', text, at }, !visible));
      }),
      this.ctx.nav.state.subscribe(() => this.readOpenConversation()),
      this.state.subscribe(() => {
        saveConversations(this.ctx.user.name, this.state.get());
        setTitleBadge(totalUnread(this.state.get()));
      }),
    ];
    const onVisible = () => this.readOpenConversation();
    document.addEventListener('visibilitychange', onVisible);
    setTitleBadge(totalUnread(this.state.get()));
    return () => {
      for (const off of offs) off();
      document.removeEventListener('visibilitychange', onVisible);
      for (const sender of this.senders.values()) sender.dispose();
      this.senders.clear();
      for (const timer of this.typingTimers.values()) clearTimeout(timer);
      setTitleBadge(0);
      // The runtime stops only when the session ends (sign-out, expiry), never on a reload:
      // the next person on this tab must not find these conversations.
      clearConversations(this.ctx.user.name);
    };
  }

  /** Shows the conversation with `uri` (creating it). */
  open(uri: string, displayName?: string): void {
    this.state.set((s) => openConversation(s, uri, displayName ?? userPart(uri), Date.now()));
    this.ctx.nav.open(CONVERSATION_VIEW, uri);
  }

  close(uri: string): void {
    this.senders.get(uri)?.dispose();
    this.senders.delete(uri);
    this.state.set((s) => closeConversation(s, uri));
    if (this.ctx.nav.isOpen(CONVERSATION_VIEW, uri)) this.ctx.nav.close();
  }

  markRead(uri: string): void {
    this.state.set((s) => markRead(s, uri));
  }

  /** The draft in `uri`'s composer changed: drives our isComposing indications. */
  draftChanged(uri: string, draft: string): void {
    this.typingSender(uri).input(draft);
  }

  send(uri: string, text: string): void {
    const body = text.trim();
    if (!body) return;
    this.senders.get(uri)?.sent();
    const id = this.nextId('m');
    const message: ChatMessage = { id, direction: 'out', text: body, at: Date.now(), status: 'sending' };
    this.state.set((s) => addMessage(s, uri, undefined, message, false));
    const name = findConversation(this.state.get(), uri)?.displayName ?? userPart(uri);
    const fail = (error: string) => this.state.set((s) => updateMessage(s, uri, id, { status: 'failed', error }));
    if (this.ctx.sip.state !== 'registered') {
      fail("You're offline: not sent");
      return;
    }
    this.sendMessage(uri, body, 'text/plain', {
      onAccept: () => this.state.set((s) => updateMessage(s, uri, id, { status: 'sent' })),
      onReject: (status) => fail(failureText(status, name)),
    });
  }

  private nextId(prefix: string): string {
    return `${prefix}${Date.now().toString(36)}-${(this.seq++).toString(36)}`;
  }

  private typingSender(uri: string): TypingSender {
    let sender = this.senders.get(uri);
    if (!sender) {
      sender = new TypingSender({
        send: (state, refreshSec) => {
          if (this.ctx.sip.state === 'registered') this.sendMessage(uri, buildIsComposing(state, refreshSec), IS_COMPOSING_TYPE, {});
        },
      });
      this.senders.set(uri, sender);
    }
    return sender;
  }

  private sendMessage(uri: string, body: string, contentType: string, on: { onAccept?: () => void; onReject?: (status?: number) => void }): void {
    const target = UserAgent.makeURI(uri);
    if (!target) {
      on.onReject?.(404);
      return;
    }
    const messager = new Messager(this.ctx.sip.userAgent, target, body, contentType);
    messager.message({
      requestDelegate: {
        onAccept: () => on.onAccept?.(),
        onReject: (response) => on.onReject?.(response.message.statusCode),
      },
    }).catch(() => on.onReject?.());
  }

  private receive(message: Message): boolean {
    const request = message.request;
    const contentType = (request.getHeader('Content-Type') ?? 'text/plain').split(';')[0]?.trim().toLowerCase() ?? '';
    const uri = aorOf(request.from.uri);
    const sentTo = request.getHeader(SENT_TO_HEADER);
    // What we sent from another endpoint: only the Front End marks a MESSAGE from our own address.
    if (sentTo !== undefined && uri === this.ownAor && contentType.startsWith('text/')) {
      const peer = UserAgent.makeURI(sentTo.replace(/^\s*<|>\s*$/g, ''));
      if (!peer) return false;
      message.accept().catch(() => undefined);
      const copy: ChatMessage = { id: this.nextId('c'), direction: 'out', text: request.body ?? '', at: Date.now(), status: 'sent' };
      const conversation = aorOf(peer);
      this.state.set((s) => addMessage(s, conversation, findConversation(s, conversation) ? undefined : userPart(conversation), copy, false));
      return true;
    }
    const displayName = request.from.displayName || undefined;
    if (contentType === IS_COMPOSING_TYPE) {
      const indication = parseIsComposing(request.body ?? '');
      if (!indication) return false;
      message.accept().catch(() => undefined);
      this.peerTyping(uri, indication.state === 'active' ? (indication.refresh ?? DEFAULT_TYPING_REFRESH_SEC) : 0);
      return true;
    }
    if (!contentType.startsWith('text/')) return false;
    message.accept().catch(() => undefined);
    if (displayName) this.ctx.bus.emit('person/seen', { uri, displayName });
    const text = request.body ?? '';
    const visible = !pageHidden() && this.ctx.nav.isOpen(CONVERSATION_VIEW, uri);
    const incoming: ChatMessage = { id: this.nextId('r'), direction: 'in', text, at: Date.now() };
    this.clearTypingTimer(uri);
    this.state.set((s) => addMessage(s, uri, displayName, incoming, !visible));
    if (pageHidden()) {
      const name = findConversation(this.state.get(), uri)?.displayName ?? userPart(uri);
      notify(name, text, `im:${uri}`, () => this.open(uri));
    }
    return true;
  }

  /** The peer is typing for `seconds` more (0: stopped). */
  private peerTyping(uri: string, seconds: number): void {
    this.clearTypingTimer(uri);
    const until = seconds > 0 ? Date.now() + seconds * 1000 : 0;
    this.state.set((s) => setTyping(s, uri, until));
    if (until) {
      this.typingTimers.set(uri, setTimeout(() => {
        this.typingTimers.delete(uri);
        this.state.set((s) => setTyping(s, uri, 0));
      }, seconds * 1000));
    }
  }

  private clearTypingTimer(uri: string): void {
    const timer = this.typingTimers.get(uri);
    if (timer) clearTimeout(timer);
    this.typingTimers.delete(uri);
  }

  private readOpenConversation(): void {
    const view = this.ctx.nav.state.get().view;
    if (view?.id === CONVERSATION_VIEW && view.param && !pageHidden()) this.markRead(view.param);
  }
}
