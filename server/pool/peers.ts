/**
 * The dispatcher step for requests from other Front Ends of the pool (before authentication): a
 * request with a valid X-OCS-Pool credential is trusted as the sending Front End's (its asserted
 * identity becomes the request's user, and it is routed to this Front End's endpoints only, so a
 * request never bounces between members); one with an invalid credential is refused with 403, so
 * no client can pass for a Front End. The header never travels further.
 */
import type { Middleware } from '../dispatcher/context';
import { parseNameAddr, SipError } from '../sip/message/index';
import { POOL_HEADER, type PoolCredentials } from './credentials';
import { markPoolFlow } from './routing';

export function poolPeers(credentials: Pick<PoolCredentials, 'verify'>, domain: string): Middleware {
  return async (ctx, next) => {
    const req = ctx.request;
    const value = req.headers.get(POOL_HEADER);
    if (value === undefined) return next();
    req.headers.remove(POOL_HEADER);
    const verdict = credentials.verify(req, value);
    if (!verdict.ok) throw new SipError(403, 'Forbidden (not a Front End of this pool)');
    markPoolFlow(ctx.flow, verdict.frontEnd);
    ctx.authMethod = 'peer';
    const asserted = req.headers.get('P-Asserted-Identity');
    if (asserted) {
      try {
        const uri = parseNameAddr(asserted).uri;
        if (uri.user && uri.host.toLowerCase() === domain.toLowerCase()) ctx.user = uri.user.toLowerCase();
      } catch {
        // an unparsable assertion asserts nothing
      }
    }
    return next();
  };
}
