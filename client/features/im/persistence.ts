/**
 * Conversations survive a reload of the tab (sessionStorage, per signed-in user), like the session
 * itself; a new tab starts empty. Bounded by MAX_MESSAGES per conversation.
 */
import type { ChatMessage, ImState } from './model';

function key(user: string): string {
  return `ocs.im.${user}`;
}

export function loadConversations(user: string): ImState | undefined {
  try {
    const raw = sessionStorage.getItem(key(user));
    const parsed = raw ? (JSON.parse(raw) as ImState) : undefined;
    if (!parsed || !Array.isArray(parsed.conversations)) return undefined;
    // Messages that were in flight when the page went away never got an answer.
    return {
      conversations: parsed.conversations.map((c) => ({
        ...c,
        typingUntil: 0,
        messages: c.messages.map((m: ChatMessage) => (m.status === 'sending' ? { ...m, status: 'failed' as const, error: 'Not sent' } : m)),
      })),
    };
  } catch {
    return undefined;
  }
}

export function saveConversations(user: string, state: ImState): void {
  try {
    sessionStorage.setItem(key(user), JSON.stringify(state));
  } catch {
    // Full or disabled storage: conversations just won't survive a reload.
  }
}

export function clearConversations(user: string): void {
  try {
    sessionStorage.removeItem(key(user));
  } catch {
    // nothing stored
  }
}
