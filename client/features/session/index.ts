export { AccountMenu } from './AccountMenu';
export { ConnectionBanner } from './ConnectionBanner';
export { SessionProvider, useSession, useSessionStore } from './context';
export { AccountFacts, MeCard } from './MePanel';
export { SignInPage } from './SignInPage';
export type { ConnectionState, SipConnection } from './sip';
export { describeConnection } from './status';
export { SessionStore, type SessionView } from './store';
