import type { SessionUser } from '../../../shared/api/session';
import { Avatar } from '../../ui';
import type { ConnectionState } from './sip';
import { describeConnection } from './status';
import './session.css';

/** The signed-in person: who they are, how others reach them, and whether we are registered. */
export function MePanel({ user, connection }: { user: SessionUser; connection: ConnectionState }) {
  const status = describeConnection(connection);
  return (
    <section className="me" aria-label="My account">
      <div className="me__card" data-testid="me-card">
        <Avatar name={user.displayName} colourKey={user.uri} size={64} presence={status.badge} presenceLabel={status.label} />
        <div className="me__text">
          <h2 className="me__name" data-testid="display-name">{user.displayName}</h2>
          <p className={`me__status me__status--${status.badge}`} data-testid="registration-state">{status.label}</p>
        </div>
      </div>
      <dl className="me__facts">
        <div><dt>Sign-in address</dt><dd className="mono" data-testid="sip-uri">{user.uri}</dd></div>
        <div><dt>User name</dt><dd data-testid="user-name">{user.name}</dd></div>
        <div><dt>Role</dt><dd>{user.admin ? 'Administrator' : 'User'}</dd></div>
      </dl>
    </section>
  );
}
