/**
 * Digest computations (RFC 2617 §3.2.2, RFC 7616 §3.4.1-3.4.3, RFC 8760 for SIP): pure functions
 * over already-extracted parameters. Only qop=auth is supported; the server never offers auth-int.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type { DigestAlgorithm } from '../../config';

/** An algorithm token as a client may send it (RFC 7616 §3.3; `-sess` variants §3.4.2). */
export type DigestAlgorithmToken = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface ParsedAlgorithm {
  base: DigestAlgorithm;
  session: boolean;
}

/** RFC 7616 §3.4: the algorithm parameter is case-insensitive; absent means MD5 (RFC 2617 §3.2.1). */
export function parseAlgorithm(token: string | undefined): ParsedAlgorithm | undefined {
  switch ((token ?? 'MD5').toUpperCase()) {
    case 'MD5':
      return { base: 'MD5', session: false };
    case 'MD5-SESS':
      return { base: 'MD5', session: true };
    case 'SHA-256':
      return { base: 'SHA-256', session: false };
    case 'SHA-256-SESS':
      return { base: 'SHA-256', session: true };
    default:
      return undefined; // e.g. SHA-512-256: not offered, refused
  }
}

export function hashHex(algorithm: DigestAlgorithm, data: string): string {
  // One-shot hash(): a third of createHash()'s cost for inputs this small.
  return hash(algorithm === 'MD5' ? 'md5' : 'sha256', data, 'hex');
}

/** HA1 = H(username ":" realm ":" password), what the user store keeps instead of the password. */
export function computeHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return hashHex(algorithm, `${username}:${realm}:${password}`);
}

export interface DigestResponseInput {
  algorithm: ParsedAlgorithm;
  /** The stored H(username:realm:password), hex. */
  ha1: string;
  nonce: string;
  /** Eight hex digits, as sent (RFC 7616 §3.4: part of the hashed string verbatim). */
  nc: string;
  cnonce: string;
  qop: 'auth';
  method: string;
  /** The `uri` parameter as sent by the client (RFC 7616 §3.4.6: digest-uri). */
  digestUri: string;
}

/** response = KD(HA1', nonce:nc:cnonce:qop:HA2), KD(s, d) = H(s:d), HA2 = H(method:digest-uri). */
export function computeDigestResponse(i: DigestResponseInput): string {
  const { base, session } = i.algorithm;
  // -sess: HA1 is bound to this nonce/cnonce pair (RFC 7616 §3.4.2).
  const ha1 = session ? hashHex(base, `${i.ha1}:${i.nonce}:${i.cnonce}`) : i.ha1;
  const ha2 = hashHex(base, `${i.method}:${i.digestUri}`);
  return hashHex(base, `${ha1}:${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${ha2}`);
}

/** Constant-time comparison of two hex digests (case-insensitive, as hex digits are). */
export function digestEquals(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'latin1');
  const b = Buffer.from(given.toLowerCase(), 'latin1');
  // Compare against itself on a length mismatch so both branches do the same work.
  return a.length === b.length ? timingSafeEqual(a, b) : (timingSafeEqual(a, a), false);
}
