import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { IconButton } from '../../../ui';

/** The message box: Enter sends, Shift+Enter starts a new line; every change reports the draft (typing). */
export function Composer({ peerName, initial, onDraft, onSend }: {
  peerName: string;
  initial: string;
  onDraft: (draft: string) => void;
  onSend: (text: string) => void;
}) {
  const [draft, setDraft] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  function change(value: string) {
    setDraft(value);
    onDraft(value);
  }

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (!draft.trim()) return;
    onSend(draft);
    setDraft('');
    ref.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className="composer" onSubmit={send}>
      <label htmlFor={id} className="visually-hidden">Message {peerName}</label>
      <textarea ref={ref} id={id} className="composer__input" rows={1} value={draft} placeholder="Type a message"
        autoFocus onChange={(e) => change(e.target.value)} onKeyDown={onKeyDown} data-testid="composer" />
      <IconButton type="submit" icon="send" label="Send" disabled={!draft.trim()} className="composer__send" data-testid="send" />
    </form>
  );
}
