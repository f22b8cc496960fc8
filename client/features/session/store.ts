/**
 * The session feature's state: signed out, or signed in with a SIP connection. Lives outside React
 * (React reads it through useSyncExternalStore), so StrictMode's double effects can never open
 * two UserAgents. One instance is created by the app shell and handed down by context.
 */
import type { SessionUser } from '../../../shared/api/session';
import { ApiError, fetchMe, login, ServerUnreachableError } from './api';
import { MESSAGES } from './messages';
import { connectSip, sipWebSocketUrl, type ConnectionState, type SessionCheck, type SipConnection } from './sip';
import { claimEndpointInstanceId, clearSession, loadSession, saveSession, type StoredSession } from './storage';

export type SessionView =
  | { phase: 'signed-out'; notice?: string }
  | { phase: 'signed-in'; user: SessionUser; connection: ConnectionState };

export class SessionStore {
  private view: SessionView = { phase: 'signed-out' };
  private readonly listeners = new Set<() => void>();
  private sip: SipConnection | undefined;
  private session: StoredSession | undefined;
  /** Bumped by every sign-in and sign-out: a connection being set up for an older one is dropped. */
  private generation = 0;

  constructor(private readonly location: Pick<Location, 'protocol' | 'host'>) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionView => this.view;

  /** The live SIP connection while signed in (for presence, IM and calls). */
  get connection(): SipConnection | undefined {
    return this.sip;
  }

  /** The signed-in user and API token (for features calling /api). */
  get credentials(): { user: SessionUser; token: string } | undefined {
    return this.session && this.view.phase === 'signed-in' ? { user: this.view.user, token: this.session.token } : undefined;
  }

  /** Picks up a session kept in sessionStorage (a reload of the tab). */
  restore(): void {
    const stored = loadSession();
    if (!stored) return;
    this.begin(stored);
    // The stored token may have been revoked (user disabled, server secret rotated): ask once now
    // rather than after several failed WebSocket attempts. Unreachable: keep trying as usual.
    void fetchMe(stored.token).then((me) => {
      if (this.session !== stored || this.view.phase !== 'signed-in') return;
      const updated = { ...stored, user: me.user };
      this.session = updated;
      saveSession(updated);
      this.set({ ...this.view, user: me.user });
    }, (err: unknown) => {
      if (this.session === stored && err instanceof ApiError && err.status === 401) void this.signOut(MESSAGES.sessionExpired);
    });
  }

  /** Throws ApiError / ServerUnreachableError for the sign-in form to explain. */
  async signIn(user: string, password: string): Promise<void> {
    const session = await login(user, password);
    saveSession(session);
    this.begin(session);
  }

  async signOut(notice?: string): Promise<void> {
    const sip = this.sip;
    this.generation++;
    this.sip = undefined;
    this.session = undefined;
    clearSession();
    this.set(notice ? { phase: 'signed-out', notice } : { phase: 'signed-out' });
    await sip?.stop();
  }

  private begin(session: StoredSession): void {
    void this.sip?.stop();
    const generation = ++this.generation;
    this.sip = undefined;
    this.session = session;
    this.set({ phase: 'signed-in', user: session.user, connection: 'connecting' });
    // The endpoint id first (a duplicated tab must not take over its original's registration).
    void claimEndpointInstanceId().then((instanceId) => {
      if (this.generation !== generation || this.view.phase !== 'signed-in') return; // signed out or in again meanwhile
      const sip = connectSip({
        aor: session.user.uri,
        displayName: session.user.displayName,
        server: sipWebSocketUrl(this.location, session.token),
        instanceId,
        checkSession: () => this.checkSession(session.token),
        onSessionInvalid: () => { if (this.sip === sip) void this.signOut(MESSAGES.sessionExpired); },
      });
      this.sip = sip;
      sip.onStateChange((connection) => {
        if (this.sip !== sip || this.view.phase !== 'signed-in') return;
        this.set({ ...this.view, connection });
      });
      this.set({ ...this.view }); // the feature runtime starts with the connection
    });
  }

  private async checkSession(token: string): Promise<SessionCheck> {
    try {
      await fetchMe(token);
      return 'valid';
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return 'invalid';
      if (err instanceof ServerUnreachableError) return 'unknown';
      return 'unknown';
    }
  }

  private set(view: SessionView): void {
    this.view = view;
    for (const listener of [...this.listeners]) listener();
  }
}
