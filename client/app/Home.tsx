import type { SessionUser } from '../../shared/api/session';
import { AccountFacts, type ConnectionState } from '../features/session';

function firstName(user: SessionUser): string {
  return user.displayName.split(/\s+/)[0] || user.name;
}

/** The main area before any conversation is open. */
export function Home({ user, connection }: { user: SessionUser; connection: ConnectionState }) {
  return (
    <div className="home">
      <div className="welcome">
        <svg className="welcome__art" viewBox="0 0 160 120" aria-hidden="true" focusable="false">
          <rect x="10" y="14" width="92" height="62" rx="14" fill="#cfe4fa" />
          <path d="M30 76v20l20-20z" fill="#cfe4fa" />
          <circle cx="36" cy="40" r="8" fill="#0f6cbd" opacity="0.35" />
          <rect x="50" y="36" width="36" height="8" rx="4" fill="#0f6cbd" opacity="0.35" />
          <rect x="24" y="54" width="50" height="6" rx="3" fill="#0f6cbd" opacity="0.2" />
          <rect x="58" y="42" width="92" height="58" rx="14" fill="#0f6cbd" />
          <path d="M130 100v16l-18-16z" fill="#0f6cbd" />
          <rect x="74" y="60" width="52" height="6" rx="3" fill="#fff" opacity="0.9" />
          <rect x="74" y="74" width="36" height="6" rx="3" fill="#fff" opacity="0.6" />
        </svg>
        <h1 className="welcome__title">Welcome, {firstName(user)}</h1>
        <p className="welcome__text">Pick a conversation or a contact on the left, or start a new chat. Others reach you at your sign-in address.</p>
      </div>
      <AccountFacts user={user} connection={connection} />
    </div>
  );
}
