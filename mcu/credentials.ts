/**
 * Media credentials: the Focus asks the MCU for one per user (HTTP API), hands it to the browser,
 * and the browser presents it when opening socket.io. HMAC-SHA256 over the JSON claims
 * (shared/mcu/credential.ts) with a key derived from MCU_SECRET, so the credential key is never
 * the bearer secret itself.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CredentialClaims, MAX_CREDENTIAL_LENGTH } from '../shared/mcu/credential';
import { McuError } from './errors';

const checkClaims = TypeCompiler.Compile(CredentialClaims);

export class CredentialAuthority {
  readonly #key: Buffer;

  constructor(secret: string, private readonly now: () => number = Date.now) {
    this.#key = createHmac('sha256', secret).update('ocs-mcu media credential v1').digest();
  }

  issue(conferenceId: string, userId: string, ttlMs: number): { credential: string; expiresAt: number } {
    const claims: CredentialClaims = {
      v: 1,
      conferenceId,
      userId,
      exp: this.now() + ttlMs,
      nonce: randomBytes(9).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { credential: `${body}.${this.#sign(body)}`, expiresAt: claims.exp };
  }

  /** The claims of a genuine, unexpired credential; McuError CREDENTIAL_INVALID / CREDENTIAL_EXPIRED otherwise. */
  verify(credential: unknown): CredentialClaims {
    if (typeof credential !== 'string' || credential.length > MAX_CREDENTIAL_LENGTH) throw new McuError('CREDENTIAL_INVALID');
    const [body, mac, extra] = credential.split('.');
    if (!body || !mac || extra !== undefined) throw new McuError('CREDENTIAL_INVALID');
    const expected = Buffer.from(this.#sign(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new McuError('CREDENTIAL_INVALID');
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new McuError('CREDENTIAL_INVALID');
    }
    if (!checkClaims.Check(claims)) throw new McuError('CREDENTIAL_INVALID');
    if (claims.exp <= this.now()) throw new McuError('CREDENTIAL_EXPIRED');
    return claims;
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}
