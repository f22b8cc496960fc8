/** The IM feature's state and its pure transitions (tested without a browser). */

export interface ChatMessage {
  id: string;
  /** `event`: something that happened in the conversation (a missed call), shown as a line. */
  direction: 'in' | 'out' | 'event';
  text: string;
  /** Epoch ms. */
  at: number;
  /** Outgoing only. */
  status?: 'sending' | 'sent' | 'failed';
  /** Why delivery failed, in words. */
  error?: string;
}

export interface Conversation {
  /** The other person's address of record, `sip:bob@domain`. */
  uri: string;
  displayName: string;
  messages: readonly ChatMessage[];
  unread: number;
  /** Epoch ms until which the other person counts as typing (0: not typing). */
  typingUntil: number;
  lastActivity: number;
}

export interface ImState {
  /** Most recent activity first. */
  conversations: readonly Conversation[];
}

export const EMPTY_IM: ImState = { conversations: [] };

/** Messages kept per conversation (older ones drop off). */
export const MAX_MESSAGES = 300;

export function findConversation(state: ImState, uri: string): Conversation | undefined {
  return state.conversations.find((c) => c.uri === uri);
}

function upsert(state: ImState, uri: string, change: (c: Conversation) => Conversation, create: () => Conversation, bump: boolean): ImState {
  const existing = findConversation(state, uri);
  const updated = change(existing ?? create());
  const others = state.conversations.filter((c) => c.uri !== uri);
  if (!bump && existing) return { conversations: state.conversations.map((c) => (c.uri === uri ? updated : c)) };
  return { conversations: [updated, ...others] };
}

function fresh(uri: string, displayName: string, now: number): Conversation {
  return { uri, displayName, messages: [], unread: 0, typingUntil: 0, lastActivity: now };
}

export function openConversation(state: ImState, uri: string, displayName: string, now: number): ImState {
  if (findConversation(state, uri)) return state;
  return { conversations: [fresh(uri, displayName, now), ...state.conversations] };
}

export function addMessage(state: ImState, uri: string, displayName: string | undefined, message: ChatMessage, countUnread: boolean): ImState {
  return upsert(state, uri, (c) => ({
    ...c,
    displayName: displayName || c.displayName,
    messages: [...c.messages, message].slice(-MAX_MESSAGES),
    unread: countUnread ? c.unread + 1 : c.unread,
    // §3.3: a content message ends the sender's composing state.
    typingUntil: message.direction === 'in' ? 0 : c.typingUntil,
    lastActivity: message.at,
  }), () => fresh(uri, displayName || uri, message.at), true);
}

export function updateMessage(state: ImState, uri: string, id: string, change: Partial<ChatMessage>): ImState {
  return upsert(state, uri, (c) => ({ ...c, messages: c.messages.map((m) => (m.id === id ? { ...m, ...change } : m)) }),
    () => fresh(uri, uri, 0), false);
}

export function setTyping(state: ImState, uri: string, until: number): ImState {
  const existing = findConversation(state, uri);
  if (!existing || existing.typingUntil === until) return state;
  return upsert(state, uri, (c) => ({ ...c, typingUntil: until }), () => existing, false);
}

export function markRead(state: ImState, uri: string): ImState {
  const existing = findConversation(state, uri);
  if (!existing || existing.unread === 0) return state;
  return upsert(state, uri, (c) => ({ ...c, unread: 0 }), () => existing, false);
}

export function totalUnread(state: ImState): number {
  return state.conversations.reduce((n, c) => n + c.unread, 0);
}

export function closeConversation(state: ImState, uri: string): ImState {
  return { conversations: state.conversations.filter((c) => c.uri !== uri) };
}
