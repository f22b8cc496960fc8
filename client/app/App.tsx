import { useEffect, useState, useSyncExternalStore } from 'react';
import { RuntimeProvider } from '../features/base/react';
import { SignInPage, useSession } from '../features/session';
import { GuestJoinPage, joinRouteId } from '../features/meetings';
import { AppShell } from './AppShell';
import type { RuntimeHost } from './runtime-host';

export function App({ host }: { host: RuntimeHost }) {
  const session = useSession();
  const runtime = useSyncExternalStore(host.subscribe, host.get);
  const signedIn = session.phase === 'signed-in';
  // A meeting link (`/join/<id>`) opened while signed out: the guest page, unless they choose to sign in.
  const [signInInstead, setSignInInstead] = useState(false);
  const joinId = joinRouteId(window.location.pathname);

  useEffect(() => {
    document.title = signedIn ? `${session.user.displayName} — OCS Web` : 'Sign in — OCS Web';
  }, [signedIn, signedIn ? session.user.displayName : '']);

  if (session.phase === 'signed-out' && joinId && !signInInstead) return <GuestJoinPage conferenceId={joinId} onSignIn={() => setSignInInstead(true)} />;
  if (session.phase === 'signed-out') return <SignInPage {...(session.notice ? { notice: session.notice } : {})} />;
  if (!runtime) return null;
  return (
    <RuntimeProvider runtime={runtime}>
      <AppShell user={session.user} connection={session.connection} />
    </RuntimeProvider>
  );
}
