import { Fragment, useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { Icon } from '../../../ui';
import type { ChatMessage } from '../model';
import { clockTime, dayLabel, isSameDay } from '../time';

/** Messages from one side within this many ms form one group (one name/time line). */
const GROUP_GAP_MS = 5 * 60_000;
const URL = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Plain text with links made clickable (never HTML from the peer). */
function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(<a key={at} href={match[0]} target="_blank" rel="noopener noreferrer">{match[0]}</a>);
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function statusLine(m: ChatMessage): string | undefined {
  if (m.status === 'sending') return 'Sending…';
  if (m.status === 'failed') return m.error ?? 'Not delivered';
  return undefined;
}

export function MessageList({ messages, peerName }: { messages: readonly ChatMessage[]; peerName: string }) {
  const ref = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // Stay at the bottom while the reader is there; leave them alone when they scrolled up.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => { stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48; };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <ol ref={ref} className="messages" role="log" aria-label={`Messages with ${peerName}`} data-testid="messages" tabIndex={0}>
      {messages.map((m, i) => {
        const previous = messages[i - 1];
        const newDay = !previous || !isSameDay(previous.at, m.at);
        const startsGroup = newDay || !previous || previous.direction !== m.direction || m.at - previous.at > GROUP_GAP_MS;
        const status = statusLine(m);
        if (m.direction === 'event') {
          return (
            <Fragment key={m.id}>
              {newDay && <li className="messages__day" role="separator"><span>{dayLabel(m.at)}</span></li>}
              <li className="message-event" data-testid="message-event">
                <Icon name="phone" size={14} /><span>{m.text}</span><time dateTime={new Date(m.at).toISOString()}>{clockTime(m.at)}</time>
              </li>
            </Fragment>
          );
        }
        return (
          <Fragment key={m.id}>
            {newDay && <li className="messages__day" role="separator"><span>{dayLabel(m.at)}</span></li>}
            <li className={['message', `message--${m.direction}`, startsGroup ? 'message--first' : '', m.status === 'failed' ? 'message--failed' : ''].filter(Boolean).join(' ')}
              data-testid={m.direction === 'in' ? 'message-in' : 'message-out'} data-status={m.status}>
              {startsGroup && (
                <span className="message__meta">
                  {m.direction === 'in' ? <span className="message__author">{peerName}</span> : <span className="visually-hidden">You</span>}
                  <time dateTime={new Date(m.at).toISOString()}>{clockTime(m.at)}</time>
                </span>
              )}
              <span className="message__bubble" data-testid="message-text">{linkify(m.text)}</span>
              {status && <span className="message__status" role={m.status === 'failed' ? 'alert' : undefined}>{status}</span>}
            </li>
          </Fragment>
        );
      })}
    </ol>
  );
}
