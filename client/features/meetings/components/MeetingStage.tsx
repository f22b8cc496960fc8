import { useStore } from '../../base/store';
import type { MeetingController } from '../controller';
import type { MediaState } from '../media';
import { Store } from '../../base/store';
import { Chat } from './Chat';
import { Roster } from './Roster';
import { Tile } from './Tile';

const NO_MEDIA = new Store<MediaState>({ connected: false, remote: new Map(), activeSpeaker: null, sharing: false, mutedByFocus: [] });

/** The meeting as one screen: lobby, stage (video grid, shared screen large, roster, chat, controls), or the end. */
export function MeetingStage({ controller, onClose }: { controller: MeetingController; onClose?: () => void }) {
  const s = useStore(controller.state);
  const media = useStore(controller.mediaRef);
  const m = useStore(media?.state ?? NO_MEDIA);
  const local = useStore(controller.localStream);
  const nameOf = (user: string) => s.view?.participants.find((p) => p.user === user)?.displayName ?? user;

  if (s.phase === 'joining') return <div className="meeting-screen" data-testid="meeting-joining"><p>Joining the meeting…</p></div>;
  if (s.phase === 'refused' || s.phase === 'ended') {
    return (
      <div className="meeting-screen" data-testid={s.phase === 'refused' ? 'meeting-refused' : 'meeting-ended'}>
        <h2>{s.phase === 'refused' ? 'You could not join' : 'The meeting is over for you'}</h2>
        <p role="alert" data-testid="meeting-notice">{s.notice}</p>
        {onClose && <button type="button" onClick={onClose}>Close</button>}
      </div>
    );
  }
  if (s.phase === 'lobby') {
    return (
      <div className="meeting-screen" data-testid="meeting-lobby">
        <h2>{s.view?.subject || 'Meeting'}</h2>
        <p>Please wait: someone in the meeting will let you in soon.</p>
        <button type="button" onClick={() => controller.leave()}>Leave</button>
      </div>
    );
  }
  const remotes = [...m.remote.values()];
  const screen = remotes.find((r) => r.screen);
  const isOrganizer = s.role === 'organizer';
  const canModerate = isOrganizer || s.role === 'presenter';
  const focusMuted = m.mutedByFocus.includes('audio') || !!s.view?.participants.find((p) => p.user === s.me)?.mutedByFocus.includes('audio');
  return (
    <div className="meeting-stage" data-testid="meeting-stage" data-conference-uri={s.conferenceUri} data-joins={s.joins}>
      <header className="meeting-stage__bar">
        <h2>{s.view?.subject || 'Meeting'}{s.view?.locked ? ' · locked' : ''}</h2>
        {s.notice && <p className="meeting-stage__notice" role="status" data-testid="meeting-notice">{s.notice}</p>}
      </header>
      <div className="meeting-stage__main">
        {screen?.screen && <Tile label={`${nameOf(screen.userId)} is sharing`} video={screen.screen} large testId={`screen-${screen.userId}`} />}
        <div className="meeting-grid" data-testid="video-grid">
          <Tile label={`${nameOf(s.me)} (you)`} video={local?.getVideoTracks()[0]} self speaking={m.activeSpeaker === s.me} testId="tile-self" />
          {remotes.map((r) => (
            <Tile key={r.userId} label={nameOf(r.userId)} video={r.camera} audio={r.audio} speaking={m.activeSpeaker === r.userId} testId={`tile-${r.userId}`} />
          ))}
        </div>
      </div>
      <aside className="meeting-stage__side">
        <Roster controller={controller} participants={s.view?.participants ?? []} me={s.me} myRole={s.role} />
        <Chat messages={s.chat} onSend={(t) => void controller.chat(t)} />
      </aside>
      <footer className="meeting-stage__controls" aria-label="Meeting controls">
        <button type="button" aria-pressed={s.selfMuted} disabled={focusMuted} onClick={() => void controller.toggleSelfMute()}>{focusMuted ? 'Muted by presenter' : s.selfMuted ? 'Unmute' : 'Mute'}</button>
        <button type="button" aria-pressed={s.cameraOff} onClick={() => void controller.toggleCamera()}>{s.cameraOff ? 'Start video' : 'Stop video'}</button>
        <button type="button" aria-pressed={m.sharing} onClick={() => void controller.shareScreen()}>{m.sharing ? 'Stop sharing' : 'Share screen'}</button>
        {canModerate && <button type="button" onClick={() => void controller.command({ name: 'muteAll', kind: 'audio', muted: true })}>Mute all</button>}
        {canModerate && <button type="button" aria-pressed={!!s.view?.locked} onClick={() => void controller.command({ name: 'modifyConferenceLock', locked: !s.view?.locked })}>{s.view?.locked ? 'Unlock' : 'Lock'}</button>}
        <button type="button" onClick={() => controller.leave()}>Leave</button>
        {isOrganizer && <button type="button" className="meeting-danger" onClick={() => void controller.command({ name: 'deleteConference' })}>End meeting</button>}
      </footer>
    </div>
  );
}
