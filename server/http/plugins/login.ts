/**
 * POST /api/login: password -> bearer token. Unknown user, wrong password and disabled account all
 * answer the same 401 so the API does not reveal which names exist. Failures count per user name
 * and per client address; while either is locked the answer is 429 with Retry-After, before the
 * password is even checked (no oracle while locked).
 */
import type { FastifyInstance } from 'fastify';
import { ApiErrorBody } from '../../../shared/api/errors';
import { parseLoginName, sipUriOf } from '../../../shared/api/login-name';
import { LoginRequest, LoginResponse } from '../../../shared/api/session';
import { lockoutKeys, toIso, type HttpDeps } from '../deps';
import { HttpError } from '../errors';

type LoginDeps = Pick<HttpDeps, 'config' | 'users' | 'tokens' | 'lockout' | 'log'>;

export async function loginPlugin(app: FastifyInstance, deps: LoginDeps): Promise<void> {
  const domain = deps.config.domain;

  app.post<{ Body: LoginRequest }>('/api/login', {
    schema: {
      body: LoginRequest,
      response: { 200: LoginResponse, 400: ApiErrorBody, 401: ApiErrorBody, 429: ApiErrorBody },
    },
  }, async (request) => {
    const parsed = parseLoginName(request.body.user);
    // A name in another domain is not one of our users: same answer as a wrong password.
    const name = parsed && (parsed.domain === undefined || parsed.domain === domain) ? parsed.name : undefined;
    const keys = lockoutKeys(name, request.ip);
    const allKeys = [keys.ip, ...(keys.user ? [keys.user] : [])];

    const lock = deps.lockout.isLocked(allKeys);
    if (lock.locked) {
      deps.log.warn('login refused: locked out', { user: name, ip: request.ip });
      throw new HttpError('LOCKED_OUT', undefined, { 'retry-after': String(Math.max(1, Math.ceil(lock.retryAfterSec ?? 60))) });
    }

    const user = name === undefined ? undefined : await deps.users.verifyPassword(name, request.body.password);
    if (!user || user.disabled) {
      deps.lockout.fail(allKeys);
      deps.log.info('login failed', { user: name, ip: request.ip });
      throw new HttpError('INVALID_CREDENTIALS');
    }

    // Only the user's own counter is cleared: one good account must not reset an attacker's IP budget.
    if (keys.user) deps.lockout.succeed([keys.user]);
    const issued = deps.tokens.issue({ sub: user.name, admin: user.admin });
    deps.log.info('login', { user: user.name, ip: request.ip });
    return {
      token: issued.token,
      expiresAt: toIso(issued.expiresAt),
      user: { name: user.name, displayName: user.displayName || user.name, admin: user.admin, uri: sipUriOf(user.name, domain) },
    } satisfies LoginResponse;
  });
}
