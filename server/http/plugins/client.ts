/**
 * Serves the built web client (dist/client) and answers unknown paths: API-ish paths get a JSON 404,
 * other GETs that look like page navigations (`/join/xyz`) get index.html so the client router
 * can take them (SPA fallback).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SIP_WS_PATH } from '../../../shared/api/paths';
import { errorBody, pathOf } from '../errors';

/** Paths that are never the client's: they 404 as JSON even when the client is served. */
function isServerPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === SIP_WS_PATH || path.startsWith(`${SIP_WS_PATH}/`)
    || path === '/healthz' || path.startsWith('/assets/');
}

export function clientIsBuilt(clientDir: string): boolean {
  return existsSync(join(clientDir, 'index.html'));
}

export async function registerClient(app: FastifyInstance, opts: { clientDir: string | undefined }): Promise<void> {
  const clientDir = opts.clientDir;
  if (clientDir) {
    await app.register(fastifyStatic, {
      root: clientDir,
      prefix: '/',
      wildcard: true,
      index: 'index.html',
      cacheControl: false,
      setHeaders(res, filePath) {
        // Vite puts content-hashed files under assets/: cache them forever; everything else revalidates.
        const hashed = filePath.includes(`${join(clientDir, 'assets')}`);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request.url);
    const isNavigation = (request.method === 'GET' || request.method === 'HEAD') && !isServerPath(path)
      && !/\.[a-z0-9]{1,8}$/i.test(path);
    if (clientDir && isNavigation) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', clientDir);
    }
    return reply.code(404).send(errorBody('NOT_FOUND'));
  });
}
