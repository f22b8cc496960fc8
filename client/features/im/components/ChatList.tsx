import { useState } from 'react';
import { Button, CountBadge, IconButton } from '../../../ui';
import { usePerson } from '../../base/people';
import { PersonAvatar } from '../../base/PersonAvatar';
import { useNav, useRequiredService } from '../../base/react';
import { useStore } from '../../base/store';
import { CONVERSATION_VIEW } from '../im-service';
import type { Conversation } from '../model';
import { IM } from '../service';
import { shortTime } from '../time';
import { NewChatDialog } from './NewChatDialog';
import { NotificationPrompt } from './NotificationPrompt';

function preview(c: Conversation): string {
  if (c.typingUntil > Date.now()) return 'Typing…';
  const last = c.messages[c.messages.length - 1];
  if (!last) return 'No messages yet';
  return last.direction === 'out' ? `You: ${last.text}` : last.text;
}

function ChatListItem({ conversation, current, onOpen }: { conversation: Conversation; current: boolean; onOpen: () => void }) {
  const person = usePerson(conversation.uri, conversation.displayName);
  const last = conversation.messages[conversation.messages.length - 1];
  const unread = conversation.unread > 0;
  return (
    <li>
      <button type="button" className={['chat-item', unread ? 'chat-item--unread' : ''].filter(Boolean).join(' ')}
        aria-current={current ? 'true' : undefined} onClick={onOpen} data-testid="chat-item" data-uri={conversation.uri}>
        <PersonAvatar person={person} size={36} />
        <span className="chat-item__text">
          <span className="chat-item__row">
            <span className="chat-item__name">{person.displayName}</span>
            {last && <span className="chat-item__time">{shortTime(last.at)}</span>}
          </span>
          <span className="chat-item__row">
            <span className="chat-item__preview">{preview(conversation)}</span>
            <CountBadge count={conversation.unread} label="unread" testId="unread-count" />
          </span>
        </span>
      </button>
    </li>
  );
}

/** The "Chat" side panel: recent conversations, unread counts, and New chat. */
export function ChatList() {
  const im = useRequiredService(IM);
  const { conversations } = useStore(im.state);
  const nav = useNav();
  const [composing, setComposing] = useState(false);
  const openUri = nav.view?.id === CONVERSATION_VIEW ? nav.view.param : undefined;
  return (
    <section className="panel" aria-labelledby="chat-list-title">
      <div className="panel__head">
        <h2 className="panel__title" id="chat-list-title">Chat</h2>
        <IconButton icon="compose" label="New chat" onClick={() => setComposing(true)} data-testid="new-chat" />
      </div>
      <NotificationPrompt />
      {conversations.length === 0 ? (
        <div className="panel__empty">
          <p>No conversations yet.</p>
          <Button variant="primary" onClick={() => setComposing(true)}>Start a chat</Button>
        </div>
      ) : (
        <ul className="chat-list" aria-label="Conversations">
          {conversations.map((c) => (
            <ChatListItem key={c.uri} conversation={c} current={c.uri === openUri} onOpen={() => im.open(c.uri)} />
          ))}
        </ul>
      )}
      <NewChatDialog open={composing} onClose={() => setComposing(false)} />
    </section>
  );
}

/** Unread count on the rail's Chat icon. */
export function ChatBadge() {
  const im = useRequiredService(IM);
  const { conversations } = useStore(im.state);
  return <CountBadge count={conversations.reduce((n, c) => n + c.unread, 0)} label="unread messages" testId="chat-unread-total" />;
}
