import { useEffect, useState } from 'react';
import type { AccessType } from '../../../../shared/conferencing/types';
import { useFeatureContext, useService } from '../../base/react';
import { useStore } from '../../base/store';
import { joinLink, MEETINGS } from '../service';

/** The Meetings tab: Meet now, schedule a meeting, the user's meetings with their join links. */
export function MeetingsPanel() {
  const service = useService(MEETINGS);
  const ctx = useFeatureContext();
  const [scheduling, setScheduling] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => void service?.refresh(), [service]);
  if (!service) return null;
  const open = (id: string) => ctx.nav.open('meeting', id);
  return (
    <div className="meetings-panel" data-testid="meetings-panel">
      <div className="meetings-panel__actions">
        <button type="button" data-testid="meet-now" onClick={() => service.meetNow().then((m) => open(m.conferenceId), (e: Error) => setError(e.message))}>Meet now</button>
        <button type="button" data-testid="schedule-meeting" onClick={() => setScheduling((v) => !v)}>Schedule a meeting</button>
      </div>
      {error && <p role="alert">{error}</p>}
      {scheduling && <ScheduleForm onDone={(id) => { setScheduling(false); if (id) open(id); }} />}
      <MeetingList onJoin={open} />
    </div>
  );
}

function MeetingList({ onJoin }: { onJoin(id: string): void }) {
  const service = useService(MEETINGS)!;
  const { meetings, loading } = useStore(service.state);
  if (loading && meetings.length === 0) return <p>Loading meetings…</p>;
  if (meetings.length === 0) return <p className="meetings-panel__empty">No meetings yet.</p>;
  return (
    <ul className="meetings-list">
      {meetings.map((m) => (
        <li key={m.conferenceId} data-testid={`meeting-${m.conferenceId}`}>
          <strong>{m.subject || 'Meeting'}</strong>
          <span className="meetings-list__meta">{m.access}{m.pin ? ` · PIN ${m.pin}` : ''} · until {new Date(m.expiresAt).toLocaleString()}</span>
          <input readOnly aria-label="Join link" value={joinLink(m.conferenceId)} onFocus={(e) => e.currentTarget.select()} />
          <span>
            <button type="button" onClick={() => onJoin(m.conferenceId)}>Join</button>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(joinLink(m.conferenceId)).catch(() => undefined)}>Copy link</button>
            <button type="button" onClick={() => void service.remove(m.conferenceId)}>Delete</button>
          </span>
        </li>
      ))}
    </ul>
  );
}

function ScheduleForm({ onDone }: { onDone(id?: string): void }) {
  const service = useService(MEETINGS)!;
  const [subject, setSubject] = useState('');
  const [access, setAccess] = useState<AccessType>('open');
  const [pin, setPin] = useState('');
  const [hours, setHours] = useState(8);
  const [invitees, setInvitees] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="meetings-form"
      data-testid="schedule-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        const list = invitees.split(/[\s,;]+/).filter(Boolean).map((u) => ({ user: u, role: 'attendee' as const }));
        service
          .schedule({ subject, access, ...(pin ? { pin } : {}), expiresAt: Date.now() + hours * 3600_000, invitees: list })
          .then((m) => onDone(m.conferenceId), (err: Error) => setError(err.message))
          .finally(() => setBusy(false));
      }}
    >
      <label>Subject <input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={256} /></label>
      <label>
        Who can join
        <select value={access} onChange={(e) => setAccess(e.target.value as AccessType)}>
          <option value="closed">Invited people only</option>
          <option value="open">Anyone in the company</option>
          <option value="anonymous">Anyone with the link and PIN (guests wait in the lobby)</option>
        </select>
      </label>
      <label>PIN for guests <input value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" pattern="[0-9]{4,12}" /></label>
      <label>Lasts (hours) <input type="number" min={1} max={8784} value={hours} onChange={(e) => setHours(Number(e.target.value))} /></label>
      <label>Invitees (user names) <input value={invitees} onChange={(e) => setInvitees(e.target.value)} /></label>
      {error && <p role="alert">{error}</p>}
      <button type="submit" disabled={busy}>Create meeting</button>
      <button type="button" onClick={() => onDone()}>Cancel</button>
    </form>
  );
}
