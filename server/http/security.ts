/**
 * Response hardening and request logging, as root-level hooks.
 * CSP: no inline script or style elements (the Vite build emits none), WebSocket only back to the
 * page's own host (SIP over WS at /sip, socket.io to the MCU through the same origin), media from
 * the camera/microphone and blobs only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpLog } from './deps';
import { pathOf } from './errors';

const SAFE_HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

export function contentSecurityPolicy(host: string | undefined): string {
  // 'self' covers ws:/wss: to the same host in CSP Level 3 browsers; the explicit entries keep
  // older engines working. Host is echoed only when it is a plain host[:port].
  const sameHostWs = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    `connect-src 'self'${sameHostWs}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    void reply.header('content-security-policy', contentSecurityPolicy(request.headers.host));
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    void reply.header('cross-origin-resource-policy', 'same-origin');
    void reply.header('permissions-policy', 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()');
    if (pathOf(request.url).startsWith('/api/')) void reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** One line per request: method, path without query string, status, duration. Never headers or bodies. */
export function installRequestLog(app: FastifyInstance, log: HttpLog): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request.url);
    const fields = {
      method: request.method,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ip: request.ip,
      ...(request.principal ? { user: request.principal.name } : {}),
    };
    if (path === '/healthz' || reply.statusCode < 400) log.debug('http', fields);
    else log.info('http', fields);
  });
}
