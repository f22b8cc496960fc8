import { useState } from 'react';
import type { SessionUser } from '../../../shared/api/session';
import { Avatar, Button } from '../../ui';
import { badgeOf } from '../base/contracts';
import { usePerson } from '../base/people';
import { useSessionStore } from './context';
import type { ConnectionState } from './sip';
import { describeConnection } from './status';

/** Header corner: the person's avatar with their state, and Sign out (unregisters, then closes). */
export function AccountMenu({ user, connection }: { user: SessionUser; connection: ConnectionState }) {
  const store = useSessionStore();
  const [signingOut, setSigningOut] = useState(false);
  const me = usePerson(user.uri, user.displayName);
  const status = describeConnection(connection);
  // Registered: my presence as a presence feature reports it; otherwise the connection state.
  const badge = connection === 'registered' && me.presence ? { presence: badgeOf(me.presence.class), presenceLabel: me.presence.label } : { presence: status.badge, presenceLabel: status.label };
  return (
    <div className="account">
      <Avatar name={user.displayName} colourKey={user.uri} size={30} {...badge} />
      <span className="account__name">{user.displayName}</span>
      <Button variant="on-dark" busy={signingOut} onClick={() => { setSigningOut(true); void store.signOut(); }}>
        Sign out
      </Button>
    </div>
  );
}
