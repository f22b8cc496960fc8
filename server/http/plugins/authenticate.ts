/**
 * Bearer authentication for /api/* (RFC 6750 §2.1) and the admin role check for /api/admin/*.
 * The token names the user; the user store stays the truth for "still enabled" and "still admin",
 * so disabling or demoting someone takes effect on their next request, not at token expiry.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpTokenService, HttpUser, HttpUserStore } from '../deps';
import { HttpError } from '../errors';

export interface Principal {
  name: string;
  admin: boolean;
  user: HttpUser;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer hook on authenticated /api routes; null elsewhere. */
    principal: Principal | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

export function bearerAuth(deps: { tokens: HttpTokenService; users: Pick<HttpUserStore, 'findByName'> }) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const match = BEARER.exec(request.headers.authorization ?? '');
    const claims = match?.[1] ? deps.tokens.verify(match[1]) : undefined;
    const user = claims ? await deps.users.findByName(claims.sub) : undefined;
    if (!claims || !user || user.disabled) {
      void reply.header('www-authenticate', 'Bearer realm="ocs"');
      throw new HttpError('UNAUTHENTICATED');
    }
    request.principal = { name: user.name, admin: claims.admin && user.admin, user };
  };
}

export async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (!request.principal) throw new HttpError('UNAUTHENTICATED');
  if (!request.principal.admin) throw new HttpError('FORBIDDEN');
}

/** For handlers behind bearerAuth: the principal, or a defined 401 if the hook was not installed. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError('UNAUTHENTICATED');
  return request.principal;
}
