/**
 * Compact signed bearer tokens for the web client (HTTP API, SIP-over-WebSocket upgrade) and for
 * SIP `Authorization: Bearer` (RFC 8898). Format: `base64url(JSON payload) "." base64url(HMAC-SHA256)`.
 *
 * The payload carries a format version (`v`) and a key id (`kid`, derived from the secret) so a
 * Front End can tell "signed with another/rotated secret" from "forged", and so the format can
 * change without old tokens being misread. Every Front End of a pool shares the secret
 * (`SettingsStore.getOrCreateSecret`), so any of them verifies any token.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  sub: string;
  admin: boolean;
}

export interface VerifiedToken extends TokenClaims {
  /** Expiry, ms since the epoch. */
  exp: number;
}

const TOKEN_VERSION = 1;
/** Tokens travel in headers and URLs; anything longer is not ours and is refused before any work. */
const MAX_TOKEN_LENGTH = 2_048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface WirePayload {
  v: number;
  kid: string;
  sub: string;
  adm: boolean;
  iat: number;
  exp: number;
}

export class TokenService {
  private readonly kid: string;

  constructor(
    private readonly secret: Buffer,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < 16) throw new RangeError('TokenService: secret must be at least 16 bytes');
    if (!(ttlMs > 0)) throw new RangeError('TokenService: ttlMs must be positive');
    // Not secret: a short fingerprint of the key, never the key itself.
    this.kid = createHash('sha256').update('ocs-token-kid:').update(secret).digest('base64url').slice(0, 8);
  }

  issue(claims: TokenClaims): { token: string; expiresAt: number } {
    const iat = this.now();
    const exp = iat + this.ttlMs;
    const payload: WirePayload = { v: TOKEN_VERSION, kid: this.kid, sub: claims.sub, adm: claims.admin, iat, exp };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return { token: `${body}.${this.sign(body).toString('base64url')}`, expiresAt: exp };
  }

  /** The claims of a well-formed, authentic, unexpired token; otherwise undefined (no reason leaks). */
  verify(token: string): VerifiedToken | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
    const body = token.slice(0, dot);
    const sig = token.slice(dot + 1);
    if (!BASE64URL.test(body) || !BASE64URL.test(sig)) return undefined;
    const given = Buffer.from(sig, 'base64url');
    const expected = this.sign(body);
    // Length check first: timingSafeEqual throws on unequal lengths (the length is not secret).
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isWirePayload(payload)) return undefined;
    if (payload.v !== TOKEN_VERSION || payload.kid !== this.kid) return undefined;
    if (payload.exp <= this.now()) return undefined;
    return { sub: payload.sub, admin: payload.adm, exp: payload.exp };
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}

function isWirePayload(p: unknown): p is WirePayload {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  return (
    typeof o.v === 'number' &&
    typeof o.kid === 'string' &&
    typeof o.sub === 'string' &&
    o.sub.length > 0 &&
    typeof o.adm === 'boolean' &&
    typeof o.iat === 'number' &&
    typeof o.exp === 'number' &&
    Number.isFinite(o.exp)
  );
}
