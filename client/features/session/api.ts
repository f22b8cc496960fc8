/** The session's HTTP calls (/api/login, /api/me). Errors are base/http's typed ones. */
import { API_PATHS } from '../../../shared/api/paths';
import type { LoginResponse, MeResponse } from '../../../shared/api/session';
import { apiRequest } from '../base/http';

export { ApiError, ServerUnreachableError } from '../base/http';

export function login(user: string, password: string): Promise<LoginResponse> {
  return apiRequest<LoginResponse>(API_PATHS.login, { method: 'POST', body: { user, password } });
}

export function fetchMe(token: string): Promise<MeResponse> {
  return apiRequest<MeResponse>(API_PATHS.me, { token });
}
