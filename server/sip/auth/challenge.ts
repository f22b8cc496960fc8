/**
 * The challenges this server sends (RFC 3261 §22.1, RFC 7616 §3.3, RFC 8760 §2.4): one
 * WWW-Authenticate / Proxy-Authenticate value per configured algorithm, in the configured order of
 * preference (RFC 7616 §3.7: a client uses the first it supports).
 *
 * Deployed clients are less careful, and in opposite ways. SIPp answers the FIRST value and knows
 * only MD5. sip.js 0.21 and JsSIP 3.x also know only MD5 but keep the LAST value: their parsers
 * store these headers with `setHeader`, each value replacing the one before (sip.js
 * `core/messages/parser.js`). So when MD5 is offered and is not already last, its challenge is
 * repeated at the end: first-readers still see the configured preference, last-readers see MD5.
 */
import { createHmac } from 'node:crypto';
import type { DigestAlgorithm } from '../../config';
import { formatChallenge, type ChallengeParam } from './authParams';

export function opaqueFor(secret: Buffer, realm: string): string {
  // Constant per realm and secret, so any Front End of the pool recognises it (RFC 7616 §3.3: opaque
  // is returned unchanged by the client).
  return createHmac('sha256', secret).update(`ocs-sip-digest-opaque:${realm}`).digest('base64url').slice(0, 22);
}

export function digestChallenges(
  realm: string,
  nonce: string,
  opaque: string,
  algorithms: readonly DigestAlgorithm[],
  stale: boolean,
): string[] {
  const order = [...algorithms];
  if (order.includes('MD5') && order.at(-1) !== 'MD5') order.push('MD5');
  return order.map((algorithm) => {
    const params: ChallengeParam[] = [
      ['realm', realm, 'quoted'],
      ['nonce', nonce, 'quoted'],
      ['opaque', opaque, 'quoted'],
      ['algorithm', algorithm, 'token'],
      ['qop', 'auth', 'quoted'],
    ];
    if (stale) params.push(['stale', 'true', 'token']);
    return formatChallenge('Digest', params);
  });
}

/** RFC 6750 §3 as profiled by RFC 8898 §2.3: tells a Bearer client its token was refused. */
export function bearerInvalidChallenge(realm: string): string {
  return formatChallenge('Bearer', [
    ['realm', realm, 'quoted'],
    ['error', 'invalid_token', 'quoted'],
  ]);
}
