/**
 * The Front End's HTTP server (fastify): one plugin per resource, schema-validated, every error a
 * coded JSON body. The SIP WebSocket path is NOT a fastify route: the SIP transport attaches to
 * `app.server`'s 'upgrade' event itself, and fastify never listens for upgrades.
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps';
import { makeErrorHandler } from './errors';
import { adminSystemPlugin } from './plugins/admin-system';
import { adminUsersPlugin } from './plugins/admin-users';
import { bearerAuth, requireAdmin } from './plugins/authenticate';
import { clientIsBuilt, registerClient } from './plugins/client';
import { healthPlugin } from './plugins/health';
import { loginPlugin } from './plugins/login';
import { mePlugin } from './plugins/me';
import { installRequestLog, installSecurityHeaders } from './security';

/** API bodies are small JSON documents; anything bigger is refused before it is parsed. */
const BODY_LIMIT = 64 * 1024;

export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const { config, log } = deps;
  const app = Fastify({
    // Fastify's own logger would log full URLs (query strings carry tokens); we log ourselves.
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });

  // The API speaks JSON only; other bodies are refused with 415 rather than parsed as strings.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', null);
  app.setErrorHandler(makeErrorHandler(log));
  installSecurityHeaders(app);
  installRequestLog(app, log);

  await app.register(healthPlugin, { health: deps.health });
  await app.register(loginPlugin, deps);

  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuth(deps));
    await api.register(mePlugin, { domain: config.domain });
    await api.register(async (admin) => {
      admin.addHook('onRequest', requireAdmin);
      await admin.register(adminUsersPlugin, { users: deps.users, domain: config.domain, log });
      await admin.register(adminSystemPlugin, { admin: deps.admin, health: deps.health, serverName: config.serverName });
    }, { prefix: '/admin' });
  }, { prefix: '/api' });

  const clientDir = deps.clientDir ?? join(process.cwd(), 'dist', 'client');
  const serveClient = config.serveClient && clientIsBuilt(clientDir);
  if (config.serveClient && !serveClient) log.warn('web client not built; run `npm run build`', { clientDir });
  await registerClient(app, { clientDir: serveClient ? clientDir : undefined });

  // Not ready()-ed: the composition root may still register routes (e.g. for MCUs) before listen().
  return app;
}
