/**
 * Network-asserted identity (RFC 3325 §9.1): once this server has authenticated the sender, it
 * tells the next hop who that is in P-Asserted-Identity. Whatever identity the client itself
 * claimed (P-Asserted-Identity, P-Preferred-Identity §9.2) is removed first: inside our trust
 * domain only the server asserts.
 */
import type { SipRequest } from '../message/types';
import { consumeCredentials } from './credentials';

/**
 * Prepares an authenticated request for forwarding: replaces client-supplied identity headers by
 * `P-Asserted-Identity: <sip:user@domain>` and removes the credentials this server consumed
 * (our Digest realm, any Bearer token) so they never reach the callee.
 */
export function assertIdentity(req: SipRequest, user: string, domain: string): void {
  req.headers.remove('P-Asserted-Identity');
  req.headers.remove('P-Preferred-Identity');
  req.headers.set('P-Asserted-Identity', `<sip:${escapeUser(user)}@${domain.toLowerCase()}>`);
  consumeCredentials(req, domain.toLowerCase());
}

/** RFC 3261 §25.1 `user`: unreserved / escaped / user-unreserved; anything else is %-escaped. */
function escapeUser(user: string): string {
  return Array.from(Buffer.from(user, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}
