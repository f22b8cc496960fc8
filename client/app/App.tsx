import { useEffect } from 'react';
import { SignInPage, useSession } from '../features/session';
import { AppShell } from './AppShell';

export function App() {
  const session = useSession();
  const signedIn = session.phase === 'signed-in';

  useEffect(() => {
    document.title = signedIn ? `${session.user.displayName} — OCS Web` : 'Sign in — OCS Web';
  }, [signedIn, signedIn ? session.user.displayName : '']);

  return signedIn
    ? <AppShell user={session.user} connection={session.connection} />
    : <SignInPage {...(session.notice ? { notice: session.notice } : {})} />;
}
