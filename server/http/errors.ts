/**
 * Typed HTTP errors over the shared catalogue (shared/api/errors.ts), and the one error handler
 * that turns anything thrown in a route into `{ error: { code, message } }` with the right status.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { API_ERRORS, type ApiErrorCode } from '../../shared/api/errors';
import type { HttpLog } from './deps';

export class HttpError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  /** Extra response headers, e.g. Retry-After on LOCKED_OUT. */
  readonly headers: Record<string, string>;

  constructor(code: ApiErrorCode, message?: string, headers: Record<string, string> = {}) {
    super(message ?? API_ERRORS[code].message);
    this.name = 'HttpError';
    this.code = code;
    this.status = API_ERRORS[code].status;
    this.headers = headers;
  }
}

export function errorBody(code: ApiErrorCode, message?: string): { error: { code: string; message: string } } {
  return { error: { code, message: message ?? API_ERRORS[code].message } };
}

/** Fastify's own codes (FST_ERR_*) mapped onto ours; anything else with a 4xx status is a bad request. */
function fromFastify(error: FastifyError): HttpError | undefined {
  if (error.validation) return new HttpError('BAD_REQUEST', `Invalid request: ${error.message}`);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new HttpError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new HttpError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError('BAD_REQUEST', 'The request body is not valid JSON.');
    default:
      break;
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new HttpError('BAD_REQUEST');
  }
  return undefined;
}

export function makeErrorHandler(log: HttpLog) {
  return function handleError(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): void {
    const known = error instanceof HttpError ? error : fromFastify(error);
    if (!known) {
      // Never echo internal messages to the client; the log gets them (without the query string).
      log.error('http request failed', { method: request.method, path: pathOf(request.url), err: String(error?.stack ?? error) });
      void reply.code(500).send(errorBody('INTERNAL'));
      return;
    }
    for (const [k, v] of Object.entries(known.headers)) void reply.header(k, v);
    void reply.code(known.status).send(errorBody(known.code, known.message));
  };
}

/** The path without its query string: query strings may carry tokens (`/sip?access_token=`). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
