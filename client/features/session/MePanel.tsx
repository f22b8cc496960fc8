import type { SessionUser } from '../../../shared/api/session';
import { Avatar } from '../../ui';
import { useSession } from './context';
import type { ConnectionState } from './sip';
import { describeConnection } from './status';
import './session.css';

/**
 * The default top of the side column: who is signed in and whether we are registered. The
 * presence feature replaces it with its status menu when it is present.
 */
export function MeCard() {
  const session = useSession();
  if (session.phase !== 'signed-in') return null;
  const status = describeConnection(session.connection);
  const user = session.user;
  return (
    <section className="me" aria-label="My account">
      <div className="me__card" data-testid="me-card">
        <Avatar name={user.displayName} colourKey={user.uri} size={48} presence={status.badge} presenceLabel={status.label} />
        <div className="me__text">
          <h2 className="me__name" data-testid="display-name">{user.displayName}</h2>
          <p className={`me__status me__status--${status.badge}`} data-testid="registration-state">{status.label}</p>
        </div>
      </div>
    </section>
  );
}

/** The account's facts for the home page: how others reach you, your user name and role. */
export function AccountFacts({ user, connection }: { user: SessionUser; connection: ConnectionState }) {
  return (
    <section className="facts" aria-label="About your account">
      <dl className="facts__list">
        <div><dt>Sign-in address</dt><dd className="mono" data-testid="sip-uri">{user.uri}</dd></div>
        <div><dt>User name</dt><dd data-testid="user-name">{user.name}</dd></div>
        <div><dt>Role</dt><dd>{user.admin ? 'Administrator' : 'User'}</dd></div>
        <div><dt>Connection</dt><dd>{describeConnection(connection).label}</dd></div>
      </dl>
    </section>
  );
}
