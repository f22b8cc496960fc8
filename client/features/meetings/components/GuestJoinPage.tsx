import { useEffect, useRef, useState } from 'react';
import { GUEST_JOIN_PATH, type GuestJoinReply, type MeetingPublicInfo } from '../../../../shared/conferencing/types';
import { connectSip, sipWebSocketUrl, type SipConnection } from '../../session/sip';
import { MeetingController } from '../controller';
import { fetchPublicInfo } from '../service';
import { MeetingStage } from './MeetingStage';

/**
 * `/join/<conference id>` for someone who is not signed in: a guest gives a display name and the
 * meeting's PIN, gets a guest pass, connects SIP with it and waits in the lobby.
 */
export function GuestJoinPage({ conferenceId, onSignIn }: { conferenceId: string; onSignIn?: () => void }) {
  const [info, setInfo] = useState<MeetingPublicInfo>();
  const [error, setError] = useState<string>();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [controller, setController] = useState<MeetingController>();
  // Owned for the page's lifetime: closed on unmount only (not when state changes).
  const owned = useRef<{ sip?: SipConnection; controller?: MeetingController }>({});

  useEffect(() => {
    fetchPublicInfo(conferenceId).then(setInfo, (e: Error) => setError(e.message));
  }, [conferenceId]);
  useEffect(() => () => {
    owned.current.controller?.close();
    void owned.current.sip?.stop();
  }, []);

  if (controller) return <div className="guest-meeting"><MeetingStage controller={controller} /></div>;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch(GUEST_JOIN_PATH.replace(':conferenceId', encodeURIComponent(conferenceId)), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: name, pin }),
      });
      const body = (await res.json()) as GuestJoinReply & { error?: { message: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
      const aor = `sip:${body.user}@${body.domain}`;
      const conn = connectSip({ aor, displayName: name, server: sipWebSocketUrl(window.location, body.token), instanceId: crypto.randomUUID() });
      owned.current.sip = conn;
      await new Promise<void>((resolve) => {
        const off = conn.onRegistered(() => { off(); resolve(); });
      });
      const c = new MeetingController({ ua: conn.userAgent, aor, conferenceUri: body.conferenceUri });
      // Attached after the first registration: every later one follows a reconnect.
      conn.onRegistered(() => void c.rejoin());
      owned.current.controller = c;
      setController(c);
      await c.join();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="guest-join" data-testid="guest-join">
      <h1>{info ? info.subject || 'Meeting' : 'Join a meeting'}</h1>
      {info && <p>Organized by {info.organizer}</p>}
      {info?.expired && <p role="alert">This meeting has expired.</p>}
      {info && info.access !== 'anonymous' && <p>This meeting is for people with an account. {onSignIn && <button type="button" onClick={onSignIn}>Sign in to join</button>}</p>}
      {info && info.access === 'anonymous' && !info.expired && (
        <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <label>Your name <input aria-label="Your name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required /></label>
          <label>Meeting PIN <input aria-label="Meeting PIN" value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" required /></label>
          <button type="submit" disabled={busy}>Join as a guest</button>
          {onSignIn && <button type="button" onClick={onSignIn}>I have an account</button>}
        </form>
      )}
      {error && <p role="alert" data-testid="guest-error">{error}</p>}
    </main>
  );
}
