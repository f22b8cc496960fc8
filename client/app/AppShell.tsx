import type { SessionUser } from '../../shared/api/session';
import { AccountMenu, ConnectionBanner, MePanel, type ConnectionState } from '../features/session';
import { Logo } from '../ui';
import { Welcome } from './Welcome';
import './app.css';

/** The signed-in frame. Features add their panels here as they arrive (contacts, chats, calls, admin). */
export function AppShell({ user, connection }: { user: SessionUser; connection: ConnectionState }) {
  return (
    <div className="shell">
      <header className="shell__header">
        <Logo size={26} className="shell__logo" />
        <AccountMenu user={user} connection={connection} />
      </header>
      <ConnectionBanner state={connection} />
      <div className="shell__body">
        <aside className="shell__side"><MePanel user={user} connection={connection} /></aside>
        <main className="shell__main"><Welcome user={user} /></main>
      </div>
    </div>
  );
}
