/**
 * The session's HTTP calls (/api/login, /api/me) with typed failures: the UI distinguishes
 * "the server said no" (ApiError with a catalogue code) from "the server could not be reached".
 */
import { isApiErrorBody } from '../../../shared/api/errors';
import { API_PATHS } from '../../../shared/api/paths';
import type { LoginResponse, MeResponse } from '../../../shared/api/session';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSec?: number) {
    super(message);
    this.name = 'ApiError';
  }
}

/** fetch threw (DNS, refused, offline) or a proxy answered 502/503/504 without our JSON body. */
export class ServerUnreachableError extends Error {
  constructor(cause?: unknown) {
    super("Can't reach the server.", cause === undefined ? undefined : { cause });
    this.name = 'ServerUnreachableError';
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

async function request<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw new ServerUnreachableError(err);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body as T;
  if (isApiErrorBody(body)) {
    const retry = Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, body.error.code, body.error.message, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  if (response.status >= 502 && response.status <= 504) throw new ServerUnreachableError();
  throw new ApiError(response.status, 'INTERNAL', `Unexpected answer from the server (HTTP ${response.status}).`);
}

export function login(user: string, password: string): Promise<LoginResponse> {
  return request<LoginResponse>(API_PATHS.login, { method: 'POST', body: JSON.stringify({ user, password }) });
}

export function fetchMe(token: string): Promise<MeResponse> {
  return request<MeResponse>(API_PATHS.me, { token });
}
