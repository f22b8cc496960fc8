/**
 * The HTTP API's coded error catalogue (cf. fastify's `errors.js`): every failure the API can
 * answer with has a code, a status and a default message. The body is always
 * `{ error: { code, message } }`, so the client switches on `code`, never on prose.
 */
import { Type, type Static } from '@sinclair/typebox';

export const API_ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The user name or password is incorrect.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign-in is required.' },
  FORBIDDEN: { status: 403, message: 'This requires administrator rights.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed.' },
  USER_EXISTS: { status: 409, message: 'A user with this name already exists.' },
  CANNOT_MODIFY_SELF: { status: 409, message: 'You cannot remove your own access.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type.' },
  LOCKED_OUT: { status: 429, message: 'Too many failed sign-in attempts. Try again later.' },
  INTERNAL: { status: 500, message: 'Something went wrong on the server.' },
  NOT_READY: { status: 503, message: 'The server is starting or unavailable.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export const ApiErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
  }),
});
export type ApiErrorBody = Static<typeof ApiErrorBody>;

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null
    && typeof (error as { code?: unknown }).code === 'string'
    && typeof (error as { message?: unknown }).message === 'string';
}
