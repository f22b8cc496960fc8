/**
 * Best response selection (RFC 3261 §16.7 step 6): a 6xx if any branch gave one, otherwise the
 * lowest class; within a class the first received. 503 from a branch becomes 500 upstream
 * (the proxy itself is not the one that is unavailable). 401/407 challenges of all branches are
 * gathered into the chosen response (§16.7 step 7).
 */
import type { SipResponse } from '../message/types';

export function chooseBest(finals: SipResponse[]): SipResponse | undefined {
  if (finals.length === 0) return undefined;
  const sixxx = finals.find((r) => r.status >= 600);
  let best = sixxx ?? finals.reduce((a, b) => (Math.floor(b.status / 100) < Math.floor(a.status / 100) ? b : a));
  if (best.status === 401 || best.status === 407) {
    for (const other of finals) {
      if (other === best || (other.status !== 401 && other.status !== 407)) continue;
      for (const name of ['WWW-Authenticate', 'Proxy-Authenticate']) {
        for (const v of other.headers.getAll(name)) best.headers.append(name, v);
      }
    }
  }
  if (best.status === 503) {
    best = { ...best, status: 500, reason: 'Server Internal Error (downstream unavailable)' };
  }
  return best;
}
