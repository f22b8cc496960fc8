/**
 * The client's one HTTP helper for our JSON API, with typed failures: the UI distinguishes "the
 * server said no" (ApiError with a catalogue code from shared/api/errors) from "the server could
 * not be reached". Every feature (session, admin, contacts) calls the API through it.
 */
import { isApiErrorBody } from '../../../shared/api/errors';

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

export interface ApiRequestInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Serialised as JSON. */
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

export async function apiRequest<T>(path: string, init: ApiRequestInit = {}): Promise<T> {
  const headers = new Headers({ accept: 'application/json' });
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ServerUnreachableError(err);
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body as T;
  if (isApiErrorBody(body)) {
    const retry = Number(response.headers.get('retry-after'));
    throw new ApiError(response.status, body.error.code, body.error.message, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  if (response.status >= 502 && response.status <= 504) throw new ServerUnreachableError();
  throw new ApiError(response.status, 'INTERNAL', `Unexpected answer from the server (HTTP ${response.status}).`);
}

/** A sentence for a failed API call, for features that show errors inline. */
export function describeApiError(error: unknown): string {
  if (error instanceof ServerUnreachableError) return "Can't reach the server. Check your connection and try again.";
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Try again.';
}
