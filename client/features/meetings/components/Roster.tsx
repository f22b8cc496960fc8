import type { Participant, Role } from '../../../../shared/conferencing/types';
import type { MeetingController } from '../controller';

const ROLE_LABEL: Record<Role, string> = { organizer: 'Organizer', presenter: 'Presenter', attendee: 'Attendee' };

/** The roster with roles, the lobby, and the controls a presenter has (the Focus checks privileges again). */
export function Roster({ controller, participants, me, myRole }: { controller: MeetingController; participants: Participant[]; me: string; myRole?: Role | undefined }) {
  const canModerate = myRole === 'organizer' || myRole === 'presenter';
  const lobby = participants.filter((p) => p.status === 'pending');
  const inMeeting = participants.filter((p) => p.status === 'connected');
  return (
    <section className="meeting-roster" aria-label="Participants" data-testid="roster">
      {lobby.length > 0 && (
        <>
          <h3>Lobby ({lobby.length})</h3>
          <ul>
            {lobby.map((p) => (
              <li key={p.user} data-testid={`lobby-${p.user}`}>
                <span className="meeting-roster__name">{p.displayName}{p.guest ? ' (guest)' : ''}</span>
                {canModerate && (
                  <span className="meeting-roster__actions">
                    <button type="button" onClick={() => void controller.command({ name: 'setLobbyAccess', user: p.user, admit: true })}>Admit</button>
                    <button type="button" onClick={() => void controller.command({ name: 'setLobbyAccess', user: p.user, admit: false })}>Deny</button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>In the meeting ({inMeeting.length})</h3>
      <ul>
        {inMeeting.map((p) => {
          const muted = p.mutedByFocus.includes('audio');
          return (
            <li key={p.user} data-testid={`participant-${p.user}`} data-role={p.role} data-muted={muted ? 'true' : 'false'}>
              <span className="meeting-roster__name">
                {p.displayName}{p.user === me ? ' (you)' : ''}{p.guest ? ' (guest)' : ''}
              </span>
              <span className="meeting-roster__role">{ROLE_LABEL[p.role]}{muted ? ' · muted' : ''}</span>
              {canModerate && p.user !== me && p.role !== 'organizer' && (
                <span className="meeting-roster__actions">
                  <button type="button" aria-label={`${muted ? 'Unmute' : 'Mute'} ${p.displayName}`} onClick={() => void controller.command({ name: 'muteUser', user: p.user, kind: 'audio', muted: !muted })}>{muted ? 'Unmute' : 'Mute'}</button>
                  <button type="button" aria-label={p.role === 'presenter' ? `Make ${p.displayName} an attendee` : `Make ${p.displayName} a presenter`} onClick={() => void controller.command({ name: 'modifyUserRole', user: p.user, role: p.role === 'presenter' ? 'attendee' : 'presenter' })}>{p.role === 'presenter' ? 'Make attendee' : 'Make presenter'}</button>
                  <button type="button" aria-label={`Remove ${p.displayName}`} onClick={() => void controller.command({ name: 'deleteUser', user: p.user })}>Remove</button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
