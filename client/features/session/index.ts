export { AccountMenu } from './AccountMenu';
export { ConnectionBanner } from './ConnectionBanner';
export { SessionProvider, useSession, useSessionStore } from './context';
export { MePanel } from './MePanel';
export { SignInPage } from './SignInPage';
export type { ConnectionState, SipConnection } from './sip';
export { SessionStore, type SessionView } from './store';
