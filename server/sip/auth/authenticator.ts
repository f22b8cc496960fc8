/**
 * Authentication of every request a client sends (RFC 3261 §22), used by the dispatcher before any
 * service sees the request. Three ways in, tried in this order:
 *
 *   1. flow   - the WebSocket was opened with a valid bearer token (the web client: sip.js has no
 *               Bearer support), so the HTTP layer set `flow.attributes.get('authUser')`;
 *   2. bearer - `Authorization: Bearer <token>` (RFC 8898), verified with the TokenService;
 *   3. digest - 401/WWW-Authenticate for REGISTER, 407/Proxy-Authenticate otherwise (§22.2, §22.3).
 *
 * Then the identity rule: the authenticated user must be the From URI's user@domain (unless the
 * caller exempts the request). Lock-out (per user and per IP) applies to password and token guesses.
 * ACK and CANCEL cannot be challenged (§22.1); callers do not pass them here.
 */
import type { AuthSettings } from '../../config';
import type { Logger } from '../../log';
import { Lockout } from '../../auth/lockout';
import { fromOf } from '../message/accessors';
import { createResponse } from '../message/response';
import type { SipRequest, SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import type { AuthParamsValue } from './authParams';
import { bearerInvalidChallenge, digestChallenges, opaqueFor } from './challenge';
import { challengeHeaders, findCredentials } from './credentials';
import { DigestVerifier, type CredentialSource } from './digestVerifier';
import { NonceService } from './nonce';

export type AuthMethod = 'digest' | 'bearer' | 'flow';

export type AuthResult = { ok: true; user: string; method: AuthMethod } | { ok: false; response: SipResponse };

/** TokenService satisfies this; only the subject is needed here. */
export interface BearerVerifier {
  verify(token: string): { sub: string } | undefined;
}

export interface AuthenticatorOptions {
  /** The SIP domain; also the Digest realm. */
  domain: string;
  settings: AuthSettings;
  credentials: CredentialSource;
  tokens: BearerVerifier;
  /** Shared by every Front End of a pool (e.g. SettingsStore.getOrCreateSecret('sip-digest')), >= 16 bytes. */
  secret: Buffer;
  /** Pass the HTTP login's instance so guesses count across both; default: a private one from settings. */
  lockout?: Lockout;
  now?: () => number;
  /** Only user names and addresses are ever logged; never credentials, nonces or tokens. */
  logger?: Pick<Logger, 'info' | 'debug'>;
}

export interface AuthenticateOptions {
  /** Skip the From = authenticated user rule (e.g. a request the caller vouches for otherwise). */
  identityExempt?: boolean;
}

/** Where the HTTP layer stores the user a WebSocket was opened for (Flow.attributes). */
export const FLOW_AUTH_USER = 'authUser';

const FORBIDDEN_LOCKED = 'Forbidden (too many failed attempts)';
const FORBIDDEN_IDENTITY = 'Forbidden (From does not match authenticated identity)';

export class Authenticator {
  readonly realm: string;
  private readonly settings: AuthSettings;
  private readonly nonces: NonceService;
  private readonly opaque: string;
  private readonly verifier: DigestVerifier;
  private readonly lockout: Lockout;
  private readonly credentials: CredentialSource;
  private readonly tokens: BearerVerifier;
  private readonly logger?: Pick<Logger, 'info' | 'debug'>;

  constructor(options: AuthenticatorOptions) {
    if (options.settings.digestAlgorithms.length === 0) throw new RangeError('Authenticator: no digest algorithm configured');
    this.realm = options.domain.toLowerCase();
    this.settings = options.settings;
    this.credentials = options.credentials;
    this.tokens = options.tokens;
    this.logger = options.logger;
    this.nonces = new NonceService({ secret: options.secret, realm: this.realm, ttlMs: options.settings.nonceTtlMs, now: options.now });
    this.opaque = opaqueFor(options.secret, this.realm);
    this.verifier = new DigestVerifier(this.realm, options.settings.digestAlgorithms, this.nonces, this.opaque, options.credentials, options.secret);
    this.lockout =
      options.lockout ??
      new Lockout({ maxFailures: options.settings.maxFailures, lockoutMs: options.settings.lockoutMs, now: options.now });
  }

  async authenticate(req: SipRequest, flow: Flow, options: AuthenticateOptions = {}): Promise<AuthResult> {
    const ipKey = ipLockoutKey(flow.remote.address);
    const flowUser = flow.attributes.get(FLOW_AUTH_USER);
    if (typeof flowUser === 'string' && flowUser !== '') return this.accept(req, flowUser, 'flow', options);

    const found = findCredentials(req, this.realm);
    switch (found.kind) {
      case 'bearer':
        return this.bearer(req, found.token, ipKey, options);
      case 'digest':
        return this.digest(req, found.value, ipKey, options);
      case 'none':
        return this.lockout.isLocked([ipKey]).locked ? this.locked(req, [ipKey]) : this.challenge(req, false);
    }
  }

  /**
   * A valid token is accepted even while the user or address is locked: it proves an earlier login,
   * and refusing it would let a password guesser lock real users out of their open sessions.
   */
  private async bearer(req: SipRequest, token: string, ipKey: string, options: AuthenticateOptions): Promise<AuthResult> {
    const claims = this.tokens.verify(token);
    if (claims) return this.accept(req, claims.sub, 'bearer', options);
    if (this.lockout.isLocked([ipKey]).locked) return this.locked(req, [ipKey]);
    this.lockout.fail([ipKey]);
    this.logger?.info('sip bearer token refused', { ip: ipKey.slice(3), method: req.method });
    if (this.lockout.isLocked([ipKey]).locked) return this.locked(req, [ipKey]);
    return this.challenge(req, false, true);
  }

  private async digest(req: SipRequest, credential: AuthParamsValue, ipKey: string, options: AuthenticateOptions): Promise<AuthResult> {
    // Verify first, whatever the lock state: a locked key costs the same work as an open one.
    const outcome = await this.verifier.verify(req, credential);
    if (outcome.kind === 'malformed') {
      this.logger?.debug('sip digest credentials unusable', { reason: outcome.reason, ip: ipKey.slice(3) });
      return this.lockout.isLocked([ipKey]).locked ? this.locked(req, [ipKey]) : this.challenge(req, false);
    }
    const keys = [`user:${outcome.username.toLowerCase()}`, ipKey];
    if (this.lockout.isLocked(keys).locked) return this.locked(req, keys);
    switch (outcome.kind) {
      case 'uri-mismatch':
        return { ok: false, response: createResponse(req, 400, 'Bad Request (digest uri does not match Request-URI)') };
      case 'failure':
        this.lockout.fail(keys);
        this.logger?.info('sip digest authentication failed', { user: outcome.username, ip: ipKey.slice(3), method: req.method });
        return this.lockout.isLocked(keys).locked ? this.locked(req, keys) : this.challenge(req, false);
      case 'stale':
        return this.challenge(req, true);
      case 'success':
        // Only the user's counter: a success must not wipe the guesses counted against a shared address.
        this.lockout.succeed([keys[0]!]);
        return this.identity(req, outcome.username, 'digest', options);
    }
  }

  /** Flow and bearer users are re-checked against the store: a disabled account stops at once. */
  private async accept(req: SipRequest, user: string, method: AuthMethod, options: AuthenticateOptions): Promise<AuthResult> {
    const record = await this.credentials.getDigestCredentials(user);
    if (!record || record.disabled) return { ok: false, response: createResponse(req, 403, 'Forbidden') };
    return this.identity(req, user, method, options);
  }

  private identity(req: SipRequest, user: string, method: AuthMethod, options: AuthenticateOptions): AuthResult {
    if (!options.identityExempt && !this.fromMatches(req, user)) {
      this.logger?.info('sip From does not match authenticated user', { user, method: req.method });
      return { ok: false, response: createResponse(req, 403, FORBIDDEN_IDENTITY) };
    }
    return { ok: true, user, method };
  }

  /**
   * The From URI must be sip(s):user@domain. Compared case-insensitively: user names are unique
   * regardless of case in the user store, and hosts are case-insensitive (§19.1.4).
   */
  private fromMatches(req: SipRequest, user: string): boolean {
    let uri;
    try {
      uri = fromOf(req).uri;
    } catch {
      return false;
    }
    if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return false;
    return uri.user?.toLowerCase() === user.toLowerCase() && uri.host.toLowerCase() === this.realm;
  }

  private challenge(req: SipRequest, stale: boolean, bearerRefused = false): AuthResult {
    const { status, challenge } = challengeHeaders(req.method);
    const response = createResponse(req, status, status === 401 ? 'Unauthorized' : 'Proxy Authentication Required');
    const nonce = this.nonces.issue();
    for (const value of digestChallenges(this.realm, nonce, this.opaque, this.settings.digestAlgorithms, stale)) {
      response.headers.append(challenge, value);
    }
    // After the Digest values: clients that read only the first still see Digest.
    if (bearerRefused) response.headers.append(challenge, bearerInvalidChallenge(this.realm));
    return { ok: false, response };
  }

  private locked(req: SipRequest, keys: string[]): AuthResult {
    const state = this.lockout.isLocked(keys);
    const response = createResponse(req, 403, FORBIDDEN_LOCKED);
    if (state.retryAfterSec !== undefined) response.headers.set('Retry-After', String(state.retryAfterSec));
    return { ok: false, response };
  }
}

/**
 * The lock-out key of an address. An IPv4 client of a dual-stack socket shows up as `::ffff:a.b.c.d`;
 * it is counted as `a.b.c.d` so that both forms, and HTTP and SIP, share one counter.
 */
export function ipLockoutKey(address: string): string {
  const lower = address.toLowerCase();
  return `ip:${lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower}`;
}
