/**
 * Verifies one Digest credential (RFC 3261 §22.4, RFC 7616 §3.4, RFC 8760) against the stored HA1.
 *
 * Every credential that is well-formed goes through the same work whatever the user: one store
 * look-up and one response computation. Unknown and disabled users get a fake HA1 derived from a
 * private key, so neither the answer nor the work tells them apart from a wrong password.
 */
import { createHmac } from 'node:crypto';
import type { DigestAlgorithm } from '../../config';
import type { SipRequest } from '../message/types';
import { parseUri, uriEquals } from '../message/uri';
import type { AuthParamsValue } from './authParams';
import { computeDigestResponse, digestEquals, parseAlgorithm, type ParsedAlgorithm } from './digest';
import type { NonceService } from './nonce';

/** What the user store keeps for Digest (server/db `UserStore.getDigestCredentials`). */
export interface DigestCredentialRecord {
  realm: string;
  ha1Md5?: string | null;
  ha1Sha256?: string | null;
  disabled: boolean;
}

export interface CredentialSource {
  getDigestCredentials(name: string): Promise<DigestCredentialRecord | undefined>;
}

export type DigestOutcome =
  /** Missing/invalid parameters, an algorithm or qop we did not offer: answer with a fresh challenge. */
  | { kind: 'malformed'; reason: string }
  /** The `uri` parameter names another resource than the Request-URI (RFC 7616 §3.4.6): 400. */
  | { kind: 'uri-mismatch'; username: string }
  /** Wrong password, unknown or disabled user: counts toward lock-out. */
  | { kind: 'failure'; username: string }
  /** Right password, but the nonce is expired, not ours, or its nc was used: stale=true (RFC 7616 §3.3). */
  | { kind: 'stale'; username: string }
  | { kind: 'success'; username: string };

const NC = /^[0-9a-fA-F]{8}$/;
/** Beyond any sane user name; refused before the store is asked. */
const MAX_USERNAME = 256;

export class DigestVerifier {
  private readonly fakeKey: Buffer;

  constructor(
    private readonly realm: string,
    private readonly algorithms: readonly DigestAlgorithm[],
    private readonly nonces: NonceService,
    private readonly opaque: string,
    private readonly store: CredentialSource,
    secret: Buffer,
  ) {
    this.fakeKey = createHmac('sha256', secret).update('ocs-sip-digest-fake-ha1').digest();
  }

  async verify(req: SipRequest, credential: AuthParamsValue): Promise<DigestOutcome> {
    const p = credential.params;
    const username = p.get('username');
    const nonce = p.get('nonce');
    const digestUri = p.get('uri');
    const response = p.get('response');
    const cnonce = p.get('cnonce');
    const nc = p.get('nc');
    const qop = p.get('qop');
    if (username === undefined || username === '' || username.length > MAX_USERNAME) return malformed('username');
    if (p.has('username*') || p.get('userhash')?.toLowerCase() === 'true') return malformed('userhash/username* not offered');
    if (nonce === undefined || digestUri === undefined || response === undefined) return malformed('nonce/uri/response');
    // We always send qop="auth", so RFC 2617 §3.2.2 requires it back (no RFC 2069 fallback).
    if (qop?.toLowerCase() !== 'auth' || cnonce === undefined || cnonce === '' || nc === undefined || !NC.test(nc)) {
      return malformed('qop=auth with cnonce and nc');
    }
    const algorithm = parseAlgorithm(p.get('algorithm'));
    if (!algorithm || !this.algorithms.includes(algorithm.base)) return malformed('algorithm not offered');
    if (!this.uriMatches(digestUri, req)) return { kind: 'uri-mismatch', username };

    const ha1 = await this.storedHa1(username, algorithm);
    const expected = computeDigestResponse({ algorithm, ha1: ha1.value, nonce, nc, cnonce, qop: 'auth', method: req.method, digestUri });
    const matches = digestEquals(expected, response);
    if (!matches || !ha1.real) return { kind: 'failure', username };

    const opaque = p.get('opaque');
    if (opaque !== undefined && opaque !== this.opaque) return { kind: 'stale', username };
    if (this.nonces.check(nonce).state !== 'valid') return { kind: 'stale', username };
    if (!this.nonces.acceptCount(nonce, parseInt(nc, 16))) return { kind: 'stale', username };
    return { kind: 'success', username };
  }

  /** RFC 7616 §3.4.6 / RFC 3261 §22.4: the digest-uri must identify the Request-URI (§19.1.4 equality). */
  private uriMatches(digestUri: string, req: SipRequest): boolean {
    try {
      return uriEquals(parseUri(digestUri), req.uri);
    } catch {
      return false;
    }
  }

  private async storedHa1(username: string, algorithm: ParsedAlgorithm): Promise<{ value: string; real: boolean }> {
    const record = await this.store.getDigestCredentials(username);
    const stored = algorithm.base === 'MD5' ? record?.ha1Md5 : record?.ha1Sha256;
    if (record && !record.disabled && record.realm === this.realm && typeof stored === 'string' && stored.length > 0) {
      return { value: stored.toLowerCase(), real: true };
    }
    // Same length and same hashing cost as a real HA1; stable per user so repeated tries look alike.
    const fake = createHmac('sha256', this.fakeKey).update(`${algorithm.base}:${username}`).digest('hex');
    return { value: algorithm.base === 'MD5' ? fake.slice(0, 32) : fake, real: false };
  }
}

function malformed(reason: string): DigestOutcome {
  return { kind: 'malformed', reason };
}
