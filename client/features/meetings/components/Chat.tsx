import { useState } from 'react';
import type { ConferenceChatMessage } from '../../../../shared/conferencing/types';

/** Group chat of the meeting (relayed by the Focus to everyone admitted). */
export function Chat({ messages, onSend }: { messages: ConferenceChatMessage[]; onSend(text: string): void }) {
  const [text, setText] = useState('');
  return (
    <section className="meeting-chat" aria-label="Meeting chat" data-testid="meeting-chat">
      <ol className="meeting-chat__log">
        {messages.map((m, i) => (
          <li key={i}><strong>{m.displayName}</strong> {m.text}</li>
        ))}
      </ol>
      <form onSubmit={(e) => { e.preventDefault(); onSend(text); setText(''); }}>
        <input aria-label="Message to everyone" value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
        <button type="submit" disabled={text.trim() === ''}>Send</button>
      </form>
    </section>
  );
}
