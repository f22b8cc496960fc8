/** GET /api/me: who the bearer token belongs to (the client checks a stored token with it after a reload). */
import type { FastifyInstance } from 'fastify';
import { ApiErrorBody } from '../../../shared/api/errors';
import { sipUriOf } from '../../../shared/api/login-name';
import { MeResponse } from '../../../shared/api/session';
import { principalOf } from './authenticate';

export async function mePlugin(app: FastifyInstance, opts: { domain: string }): Promise<void> {
  app.get('/me', { schema: { response: { 200: MeResponse, 401: ApiErrorBody } } }, async (request) => {
    const { user, admin } = principalOf(request);
    return {
      user: { name: user.name, displayName: user.displayName || user.name, admin, uri: sipUriOf(user.name, opts.domain) },
      domain: opts.domain,
    } satisfies MeResponse;
  });
}
