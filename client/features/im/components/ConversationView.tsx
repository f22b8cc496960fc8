import { useEffect } from 'react';
import { IconButton } from '../../../ui';
import { usePerson } from '../../base/people';
import { PersonAvatar } from '../../base/PersonAvatar';
import { useRuntime, useRequiredService } from '../../base/react';
import { useStore } from '../../base/store';
import { findConversation } from '../model';
import { IM } from '../service';
import { Composer } from './Composer';
import { MessageList } from './MessageList';

/** One conversation (Teams-style): header with presence and call buttons, messages, typing, composer. */
export function ConversationView({ param: uri }: { param?: string }) {
  const runtime = useRuntime();
  const im = useRequiredService(IM);
  const state = useStore(im.state);
  const conversation = uri ? findConversation(state, uri) : undefined;
  const person = usePerson(uri ?? '', conversation?.displayName);

  useEffect(() => {
    if (uri && !conversation) im.open(uri);
  }, [uri, conversation, im]);

  if (!uri || !conversation) return null;
  const presence = person.presence;
  const typing = conversation.typingUntil > Date.now();
  const call = (video: boolean) => runtime.bus.emit('call/start', { uri, displayName: person.displayName, video });

  return (
    <section className="conversation" aria-label={`Conversation with ${person.displayName}`} data-testid="conversation" data-uri={uri}>
      <header className="conversation__head">
        <IconButton icon="chevronLeft" label="Back to chats" className="conversation__back" onClick={() => runtime.nav.close()} />
        <PersonAvatar person={person} size={40} />
        <div className="conversation__who">
          <h1 className="conversation__name" data-testid="conversation-name">{person.displayName}</h1>
          <p className="conversation__status">
            {presence ? presence.label : <span className="mono">{uri.replace(/^sip:/, '')}</span>}
            {presence?.note && <span className="conversation__note"> — {presence.note}</span>}
          </p>
        </div>
        <div className="conversation__actions">
          <IconButton icon="people" label={`Start a meeting with ${person.displayName}`} data-testid="conversation-meet-now"
            onClick={() => runtime.bus.emit('meeting/start', { with: [uri] })} />
          <IconButton icon="video" label={`Video call ${person.displayName}`} onClick={() => call(true)} data-testid="video-call" />
          <IconButton icon="phone" label={`Audio call ${person.displayName}`} onClick={() => call(false)} data-testid="audio-call" />
          <IconButton icon="close" label="Close conversation" onClick={() => im.close(uri)} />
        </div>
      </header>
      {conversation.messages.length === 0
        ? <div className="conversation__empty"><p>This is the start of your conversation with {person.displayName}.</p></div>
        : <MessageList messages={conversation.messages} peerName={person.displayName} />}
      <div className="typing" aria-live="polite" data-testid="typing-indicator">
        {typing && <><span className="typing__dots" aria-hidden="true"><i /><i /><i /></span>{person.displayName} is typing…</>}
      </div>
      <Composer key={uri} peerName={person.displayName} initial={im.drafts.get(uri) ?? ''}
        onDraft={(draft) => { im.drafts.set(uri, draft); im.draftChanged(uri, draft); }}
        onSend={(text) => { im.drafts.delete(uri); im.send(uri, text); }} />
    </section>
  );
}
