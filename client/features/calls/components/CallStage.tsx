import { useEffect, useRef, useState } from 'react';
import { Avatar, IconButton } from '../../../ui';
import { useStore } from '../../base/store';
import type { CallManager } from '../call-manager';
import { formatDuration, type CallView } from '../model';
import { MediaView } from './MediaView';

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function statusText(call: CallView, now: number): string {
  switch (call.phase) {
    case 'dialing': return 'Calling…';
    case 'ringing': return 'Ringing…';
    case 'connecting': return 'Connecting…';
    case 'ended': return call.endReason ?? 'Call ended';
    default:
      if (call.held) return 'On hold';
      if (call.remoteHeld) return `${call.remoteName} put the call on hold`;
      return formatDuration(now - (call.connectedAt ?? now));
  }
}

/** The call screen (after Jitsi Meet): the other person's video large, ours small, a toolbar below. */
export function CallStage({ call, manager }: { call: CallView; manager: CallManager }) {
  const media = useStore(manager.media).get(call.id);
  const [minimised, setMinimised] = useState(false);
  const [meetingAsked, setMeetingAsked] = useState(false);
  const now = useNow(call.phase === 'connected');
  const live = call.phase !== 'ended';
  const hangUpRef = useRef<HTMLButtonElement>(null);
  const remoteVideo = Boolean(media?.remote?.getVideoTracks().length) && call.phase === 'connected' && !call.held && !call.remoteHeld;
  const localVideo = call.video && Boolean(media?.local?.getVideoTracks().length) && !call.cameraOff;

  // Keyboard users land on the controls when a call starts.
  useEffect(() => { hangUpRef.current?.focus(); }, []);

  return (
    <section className={['call-stage', minimised ? 'call-stage--mini' : ''].filter(Boolean).join(' ')}
      aria-label={`Call with ${call.remoteName}`} data-testid="call-stage" data-phase={call.phase}>
      <div className="call-stage__top">
        <div className="call-stage__who">
          <span className="call-stage__name" data-testid="call-remote-name">{call.remoteName}</span>
          <span className="call-stage__status" data-testid="call-status" aria-live="polite">{statusText(call, now)}</span>
        </div>
        <IconButton icon={minimised ? 'monitor' : 'chevronDown'} label={minimised ? 'Show call full screen' : 'Minimise call'}
          variant="on-dark" size="small" onClick={() => setMinimised((m) => !m)} />
      </div>

      <div className="call-stage__videos">
        {remoteVideo
          ? <MediaView stream={media?.remote} kind="video" className="call-stage__remote" testId="remote-video" label={`${call.remoteName}'s video`} />
          : (
            <div className={['call-stage__avatar', call.phase === 'dialing' || call.phase === 'ringing' ? 'call-stage__avatar--ringing' : ''].filter(Boolean).join(' ')}>
              <Avatar name={call.remoteName} colourKey={call.remoteUri} size={minimised ? 56 : 120} />
              {/* Audio calls still need the remote stream playing. */}
              <MediaView stream={media?.remote} kind="audio" testId="remote-audio" />
            </div>
          )}
        {call.video && live && (
          <div className={['call-stage__self', localVideo ? '' : 'call-stage__self--off'].filter(Boolean).join(' ')}>
            {localVideo
              ? <MediaView stream={media?.local} kind="video" muted mirrored testId="local-video" label="Your video" />
              : <span>Camera off</span>}
          </div>
        )}
      </div>

      <div className="call-stage__toolbar" role="toolbar" aria-label="Call controls">
        <IconButton icon={call.muted ? 'micOff' : 'mic'} label={call.muted ? 'Unmute' : 'Mute'} variant="call" size="large"
          pressed={call.muted} disabled={!live} onClick={() => manager.setMuted(call.id, !call.muted)} />
        {call.video && (
          <IconButton icon={call.cameraOff ? 'videoOff' : 'video'} label={call.cameraOff ? 'Turn camera on' : 'Turn camera off'}
            variant="call" size="large" pressed={call.cameraOff} disabled={!live} onClick={() => manager.setCameraOff(call.id, !call.cameraOff)} />
        )}
        <IconButton icon={call.held ? 'play' : 'pause'} label={call.held ? 'Resume' : 'Hold'} variant="call" size="large"
          pressed={call.held} disabled={call.phase !== 'connected' || call.pending} onClick={() => manager.setHold(call.id, !call.held)} />
        {/* Teams: the meeting replaces the call; the manager hangs up once the meeting is open. */}
        <IconButton icon="people" label={`Start a meeting with ${call.remoteName}`} variant="call" size="large"
          disabled={call.phase !== 'connected' || meetingAsked} onClick={() => { setMeetingAsked(true); manager.moveToMeeting(call.id); }} data-testid="call-meet-now" />
        <IconButton ref={hangUpRef} icon="hangup" label="Hang up" variant="danger" size="large" disabled={!live}
          onClick={() => manager.hangUp(call.id)} data-testid="hang-up" />
      </div>
    </section>
  );
}
