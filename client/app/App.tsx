import { useEffect, useSyncExternalStore } from 'react';
import { RuntimeProvider } from '../features/base/react';
import { SignInPage, useSession } from '../features/session';
import { AppShell } from './AppShell';
import type { RuntimeHost } from './runtime-host';

export function App({ host }: { host: RuntimeHost }) {
  const session = useSession();
  const runtime = useSyncExternalStore(host.subscribe, host.get);
  const signedIn = session.phase === 'signed-in';

  useEffect(() => {
    document.title = signedIn ? `${session.user.displayName} — OCS Web` : 'Sign in — OCS Web';
  }, [signedIn, signedIn ? session.user.displayName : '']);

  if (session.phase === 'signed-out') return <SignInPage {...(session.notice ? { notice: session.notice } : {})} />;
  if (!runtime) return null;
  return (
    <RuntimeProvider runtime={runtime}>
      <AppShell user={session.user} connection={session.connection} />
    </RuntimeProvider>
  );
}
