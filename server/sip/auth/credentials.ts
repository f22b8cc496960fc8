/**
 * Finding the credentials meant for this server in a request (RFC 3261 §22.2-22.3, §20.7, §20.28):
 * REGISTER carries them in Authorization (answering our 401), other requests in Proxy-Authorization
 * (answering our 407). A Proxy-Authorization value is consumed only by the proxy whose realm it
 * names; values for other realms belong to proxies further on and are left alone.
 */
import type { SipRequest } from '../message/types';
import { isParams, parseAuthorization, type AuthParamsValue } from './authParams';

export type FoundCredentials =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'digest'; value: AuthParamsValue };

/** The header this server challenges with for a request, and the one the answer comes back in. */
export function challengeHeaders(method: string): { status: 401 | 407; challenge: string; credentials: string } {
  return method === 'REGISTER'
    ? { status: 401, challenge: 'WWW-Authenticate', credentials: 'Authorization' }
    : { status: 407, challenge: 'Proxy-Authenticate', credentials: 'Proxy-Authorization' };
}

/**
 * Bearer first (RFC 8898 §2.2: no realm; any Bearer value is addressed to us, the only issuer the
 * client knows), then Digest for our realm. The expected header is read first; the other one is a
 * fallback for clients that answer a 407 with Authorization (harmless: HA2 binds the method).
 */
export function findCredentials(req: SipRequest, realm: string): FoundCredentials {
  const { credentials } = challengeHeaders(req.method);
  const other = credentials === 'Authorization' ? 'Proxy-Authorization' : 'Authorization';
  const values = [...req.headers.getAll(credentials), ...req.headers.getAll(other)];
  let digest: AuthParamsValue | undefined;
  for (const raw of values) {
    const parsed = parseAuthorization(raw);
    if (!parsed) continue;
    const scheme = parsed.scheme.toLowerCase();
    if (scheme === 'bearer' && !isParams(parsed)) return { kind: 'bearer', token: parsed.token68 };
    if (scheme === 'digest' && isParams(parsed) && !digest && parsed.params.get('realm') === realm) digest = parsed;
  }
  return digest ? { kind: 'digest', value: digest } : { kind: 'none' };
}

/**
 * Removes the credentials this server consumed before the request is forwarded (§20.28: a value is
 * consumed by the proxy whose realm it names), and every Bearer value: our tokens must never reach
 * the callee or another hop.
 */
export function consumeCredentials(req: SipRequest, realm: string): void {
  for (const name of ['Authorization', 'Proxy-Authorization']) {
    const values = req.headers.getAll(name);
    if (values.length === 0) continue;
    const keep = values.filter((raw) => {
      const parsed = parseAuthorization(raw);
      if (!parsed) return true;
      const scheme = parsed.scheme.toLowerCase();
      if (scheme === 'bearer') return false;
      return !(scheme === 'digest' && isParams(parsed) && parsed.params.get('realm') === realm);
    });
    if (keep.length === values.length) continue;
    req.headers.remove(name);
    for (const v of keep) req.headers.append(name, v);
  }
}
