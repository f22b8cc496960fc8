import { useEffect, useState, type KeyboardEvent } from 'react';
import { Avatar, Icon, Menu, type MenuItem } from '../../../ui';
import { badgeOf } from '../../base/contracts';
import { useRequiredService } from '../../base/react';
import { useStore } from '../../base/store';
import { describeConnection, useSession } from '../../session';
import { PRESENCE } from '../service';
import { NOTE_MAX_LENGTH, STATUS_CHOICES, type StatusChoice } from '../status';
import { AwaySettingsDialog } from './AwaySettingsDialog';

const DOT_CLASS: Record<StatusChoice, string> = { available: 'available', busy: 'busy', dnd: 'dnd', brb: 'away', away: 'away', offline: 'offline' };

/** The personal note ("What's happening today?"): Enter or leaving the field saves, Escape reverts. */
function NoteField({ note, onSave }: { note: string; onSave: (note: string) => void }) {
  const [draft, setDraft] = useState(note);
  useEffect(() => setDraft(note), [note]);
  const commit = () => { if (draft.trim() !== note.trim()) onSave(draft.trim()); };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') { e.preventDefault(); commit(); e.currentTarget.blur(); }
    if (e.key === 'Escape') { setDraft(note); e.currentTarget.blur(); }
  };
  return (
    <input className="me__note" type="text" aria-label="Personal note" placeholder="What's happening today?" maxLength={NOTE_MAX_LENGTH}
      value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={onKeyDown} data-testid="my-note" />
  );
}

/** Top of the side column (Skype for Business): me, my status menu, my note. Replaces the session's card. */
export function MeStatus() {
  const session = useSession();
  const presence = useRequiredService(PRESENCE);
  const me = useStore(presence.me);
  const [awayDialog, setAwayDialog] = useState(false);
  if (session.phase !== 'signed-in') return null;
  const user = session.user;
  const registered = session.connection === 'registered';
  const view = presence.view();
  const connection = describeConnection(session.connection);
  const choice = me.status.choice;

  const items: MenuItem[] = [
    ...STATUS_CHOICES.map(({ choice: c, label }) => ({
      id: c, label, checked: choice === c,
      leading: <span className={`dot dot--${DOT_CLASS[c]}`} />,
      onSelect: () => presence.choose(c),
    })),
    { id: 'reset', label: 'Reset status', separatorBefore: true, leading: <Icon name="refresh" size={14} />, onSelect: () => presence.choose(undefined) },
    { id: 'idle', label: me.status.awayAfterMinutes ? `Away after ${me.status.awayAfterMinutes} min idle…` : 'Automatic Away is off…',
      leading: <Icon name="clock" size={14} />, onSelect: () => setAwayDialog(true) },
  ];

  return (
    <section className="me" aria-label="My status" data-testid="me-card" data-connection={session.connection}>
      <div className="me__card">
        <Avatar name={user.displayName} colourKey={user.uri} size={48}
          presence={registered ? badgeOf(view.class) : connection.badge} presenceLabel={registered ? view.label : connection.label} />
        <div className="me__text">
          <h2 className="me__name" data-testid="display-name">{user.displayName}</h2>
          {registered ? (
            <Menu label={`My status: ${view.label}. Change status`} items={items} triggerClassName="me__status-button" testId="my-status"
              trigger={<>
                <span className={`dot dot--${badgeOf(view.class)}`} aria-hidden="true" />
                <span data-testid="my-status-label">{view.label}</span>
                <Icon name="chevronDown" size={14} />
              </>} />
          ) : (
            <p className={`me__status me__status--${connection.badge}`} data-testid="registration-state">{connection.label}</p>
          )}
        </div>
      </div>
      <NoteField note={me.status.note} onSave={(note) => presence.setNote(note)} />
      <AwaySettingsDialog open={awayDialog} minutes={me.status.awayAfterMinutes} onClose={() => setAwayDialog(false)}
        onSave={(minutes) => { presence.setAwayAfter(minutes); setAwayDialog(false); }} />
    </section>
  );
}
