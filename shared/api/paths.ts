/** URL paths both the client and the server must agree on. */
export const API_PATHS = {
  login: '/api/login',
  me: '/api/me',
  adminUsers: '/api/admin/users',
  adminRegistrations: '/api/admin/registrations',
  adminHealth: '/api/admin/health',
  healthz: '/healthz',
} as const;

/**
 * SIP over WebSocket (RFC 7118). Browsers cannot set an Authorization header on a WebSocket, so the
 * bearer token from /api/login travels as this query parameter; the SIP transport, not fastify,
 * owns this path on the HTTP server's 'upgrade' event.
 */
export const SIP_WS_PATH = '/sip';
export const SIP_WS_TOKEN_PARAM = 'access_token';
export const SIP_WS_SUBPROTOCOL = 'sip';
