import type { PresenceBadge } from '../../ui';
import type { ConnectionState } from './sip';

/** How a connection state reads to the person signed in. */
export function describeConnection(state: ConnectionState): { label: string; badge: PresenceBadge } {
  switch (state) {
    case 'registered': return { label: 'Signed in', badge: 'available' };
    case 'connecting': return { label: 'Connecting…', badge: 'connecting' };
    case 'reconnecting': return { label: 'Reconnecting…', badge: 'away' };
    case 'stopping': return { label: 'Signing out…', badge: 'offline' };
    case 'stopped': return { label: 'Signed out', badge: 'offline' };
  }
}
