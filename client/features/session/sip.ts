/**
 * The one place the client touches sip.js's UserAgent/Registerer lifecycle. Presence, IM and calls
 * get a `SipConnection`: its `userAgent` for their own sip.js objects, its state, and a
 * "registered" event to (re)create subscriptions after every reconnect.
 *
 * Authentication: the bearer token from /api/login rides in the WebSocket URL
 * (`/sip?access_token=`), because browsers cannot set headers on a WebSocket; the Front End binds
 * the flow to that user, so sip.js never does digest and has no password.
 *
 * Connection loss: sip.js's own reconnection stays off (its default; fixed delay, no re-REGISTER); we
 * reconnect with jittered exponential backoff and send a fresh REGISTER (RFC 3261 §10.2) each time,
 * since the Registrar drops bindings of a flow that closed. After a few failed attempts we ask
 * the HTTP API whether the token is still good, so an expired session ends instead of looping.
 */
import { Registerer, RegistererState, UserAgent, type Core, type Invitation, type Message } from 'sip.js';
import { SIP_WS_PATH, SIP_WS_TOKEN_PARAM } from '../../../shared/api/paths';
import { backoffDelay, RECONNECT_BACKOFF, type BackoffOptions } from './backoff';

export type ConnectionState =
  /** First connect + REGISTER in progress. */
  | 'connecting'
  /** REGISTER accepted: reachable for calls, IM and presence. */
  | 'registered'
  /** Lost the WebSocket or the registration; retrying with backoff. */
  | 'reconnecting'
  | 'stopping'
  | 'stopped';

export type SessionCheck = 'valid' | 'invalid' | 'unknown';

export interface SipConnectionOptions {
  /** `sip:alice@domain`. */
  aor: string;
  displayName: string;
  /** Full ws(s):// URL including the access token (see `sipWebSocketUrl`). */
  server: string;
  /** This browser's +sip.instance UUID (RFC 5626 §4.1). */
  instanceId: string;
  /** Asked after repeated failures: is the bearer token still accepted? */
  checkSession?: () => Promise<SessionCheck>;
  /** The token was refused: the session is over (the caller signs out). */
  onSessionInvalid?: () => void;
  backoff?: BackoffOptions;
  /** REGISTER expiry asked for, seconds (the Registrar may shorten it). */
  expires?: number;
}

export interface SipConnection {
  readonly aor: string;
  readonly state: ConnectionState;
  /** For features building their own sip.js objects (Subscriber, Messager, Inviter). */
  readonly userAgent: UserAgent;
  /** Listener is called on every state change. Returns an unsubscribe function. */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Called after each accepted REGISTER, including re-registrations after a reconnect. */
  onRegistered(listener: () => void): () => void;
  /**
   * Out-of-dialog MESSAGE (IM, RFC 3994 isComposing). A handler returns true when it took the
   * message (and answered it); one nobody takes is answered 415 Unsupported Media Type.
   */
  onMessage(handler: (message: Message) => boolean): () => void;
  /** A new INVITE. Same contract as onMessage; an INVITE nobody takes is answered 488 Not Acceptable Here. */
  onInvite(handler: (invitation: Invitation) => boolean): () => void;
  /** Unregisters (best effort, bounded) and closes the WebSocket. Idempotent. */
  stop(): Promise<void>;
}

/** Failed reconnects before we check the token with the HTTP API. */
const CHECK_SESSION_AFTER = 2;
const UNREGISTER_TIMEOUT_MS = 3_000;
const ICE_GATHERING_TIMEOUT_MS = 1_000;

/** Hands `item` to each handler in turn until one takes it. */
function offer<T>(handlers: Set<(item: T) => boolean>, item: T): boolean {
  for (const handler of [...handlers]) {
    try {
      if (handler(item)) return true;
    } catch (err) {
      console.error('SIP request handler failed', err);
    }
  }
  return false;
}

export function sipWebSocketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${SIP_WS_PATH}?${SIP_WS_TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

export function connectSip(options: SipConnectionOptions): SipConnection {
  const connection = new SipConnectionImpl(options);
  connection.start();
  return connection;
}

class SipConnectionImpl implements SipConnection {
  readonly aor: string;
  readonly userAgent: UserAgent;
  private registerer: Registerer;
  private current: ConnectionState = 'connecting';
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly registeredListeners = new Set<() => void>();
  private readonly messageHandlers = new Set<(message: Message) => boolean>();
  private readonly inviteHandlers = new Set<(invitation: Invitation) => boolean>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private registering = false;
  private stopPromise: Promise<void> | undefined;
  private readonly onOnline = () => this.retryNow();

  constructor(private readonly options: SipConnectionOptions) {
    this.aor = options.aor;
    const uri = UserAgent.makeURI(options.aor);
    if (!uri) throw new Error(`Not a SIP URI: ${options.aor}`);
    this.userAgent = new UserAgent({
      uri,
      displayName: options.displayName,
      transportOptions: { server: options.server, connectionTimeout: 5, keepAliveInterval: 30 },
      instanceId: options.instanceId,
      instanceIdAlwaysAdded: true,
      userAgentString: 'OCS Web (sip.js 0.21.2)',
      logLevel: 'warn',
      // Calls: sip.js's default WebRTC SessionDescriptionHandler. No STUN/TURN servers are
      // configured (host candidates only: same-network deployments and loopback tests); a short
      // gathering timeout keeps a missing interface from stalling the offer.
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: [] },
        iceGatheringTimeout: ICE_GATHERING_TIMEOUT_MS,
      },
      delegate: {
        onDisconnect: (error?: Error) => this.handleDisconnect(error),
        onMessage: (message: Message) => {
          if (!offer(this.messageHandlers, message)) void message.reject({ statusCode: 415 }).catch(() => undefined);
        },
        onInvite: (invitation: Invitation) => {
          if (!offer(this.inviteHandlers, invitation)) void invitation.reject({ statusCode: 488 }).catch(() => undefined);
        },
      },
    });
    this.registerer = this.newRegisterer();
  }

  get state(): ConnectionState {
    return this.current;
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onRegistered(listener: () => void): () => void {
    this.registeredListeners.add(listener);
    return () => this.registeredListeners.delete(listener);
  }

  onMessage(handler: (message: Message) => boolean): () => void {
    this.messageHandlers.add(handler);
    return () => this.messageHandlers.delete(handler);
  }

  onInvite(handler: (invitation: Invitation) => boolean): () => void {
    this.inviteHandlers.add(handler);
    return () => this.inviteHandlers.delete(handler);
  }

  start(): void {
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    this.userAgent.start().then(() => this.register(), () => this.scheduleRetry());
  }

  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  private async doStop(): Promise<void> {
    const wasRegistered = this.current === 'registered';
    this.setState('stopping');
    this.clearRetry();
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    if (wasRegistered && this.userAgent.isConnected()) await this.unregister();
    try {
      await this.userAgent.stop();
    } catch {
      // Already stopped or the transport is gone: nothing left to release.
    }
    this.setState('stopped');
  }

  private unregister(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, UNREGISTER_TIMEOUT_MS);
      const done = () => { clearTimeout(timer); resolve(); };
      this.registerer.unregister({ requestDelegate: { onAccept: done, onReject: done } }).catch(done);
    });
  }

  private get stopped(): boolean {
    return this.current === 'stopping' || this.current === 'stopped';
  }

  private setState(next: ConnectionState): void {
    if (next === this.current) return;
    this.current = next;
    for (const listener of [...this.stateListeners]) {
      try { listener(next); } catch (err) { console.error('SipConnection state listener failed', err); }
    }
  }

  private newRegisterer(): Registerer {
    const registerer = new Registerer(this.userAgent, { expires: this.options.expires ?? 600 });
    registerer.stateChange.addListener((state) => {
      // A refresh that failed (e.g. the Front End restarted and lost the binding) while the
      // WebSocket stayed up: register again rather than sit unreachable.
      if (state === RegistererState.Unregistered && this.current === 'registered' && !this.stopped) {
        this.setState('reconnecting');
        this.scheduleRetry();
      }
    });
    return registerer;
  }

  private register(): void {
    if (this.stopped || this.registering) return;
    if (this.registerer.state === RegistererState.Terminated) this.registerer = this.newRegisterer();
    this.registering = true;
    const finished = () => { this.registering = false; };
    this.registerer.register({
      requestDelegate: {
        onAccept: () => {
          finished();
          if (this.stopped) return;
          this.attempt = 0;
          this.setState('registered');
          for (const listener of [...this.registeredListeners]) {
            try { listener(); } catch (err) { console.error('SipConnection registered listener failed', err); }
          }
        },
        onReject: (response: Core.IncomingResponse) => {
          finished();
          const status = response.message.statusCode;
          // 401/403 on a token-authenticated flow: the token no longer names an allowed user.
          if (status === 401 || status === 403) void this.sessionStillValid().then((valid) => { if (valid) this.scheduleRetry(); });
          else this.scheduleRetry();
        },
      },
    }).catch(() => {
      finished();
      this.scheduleRetry();
    });
  }

  private handleDisconnect(error?: Error): void {
    if (this.stopped) return;
    // sip.js passes no error for a disconnect we asked for; anything else is a loss.
    if (!error) return;
    this.registering = false;
    // Until the first REGISTER succeeds we are still "connecting", not "reconnecting".
    if (this.current !== 'connecting') this.setState('reconnecting');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    if (this.current === 'registered') this.setState('reconnecting');
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retry();
    }, backoffDelay(this.attempt, this.options.backoff ?? RECONNECT_BACKOFF));
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private retryNow(): void {
    if (this.stopped || !this.retryTimer) return;
    this.clearRetry();
    void this.retry();
  }

  private async retry(): Promise<void> {
    if (this.stopped) return;
    if (this.attempt > CHECK_SESSION_AFTER && this.attempt % CHECK_SESSION_AFTER === 1) {
      if (!(await this.sessionStillValid())) return;
    }
    if (this.userAgent.isConnected()) {
      this.register();
      return;
    }
    try {
      await this.userAgent.reconnect();
    } catch {
      this.scheduleRetry();
      return;
    }
    this.register();
  }

  /** False (after telling the owner, who ends the session) when the API says the token is no longer valid. */
  private async sessionStillValid(): Promise<boolean> {
    const verdict = this.options.checkSession ? await this.options.checkSession().catch((): SessionCheck => 'unknown') : 'unknown';
    if (this.stopped) return false;
    if (verdict === 'invalid') {
      this.options.onSessionInvalid?.();
      return false;
    }
    return true;
  }
}
