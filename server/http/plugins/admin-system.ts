/** /api/admin/registrations and /api/admin/health: what the admin page shows about the running server. */
import type { FastifyInstance } from 'fastify';
import { RegistrationListResponse } from '../../../shared/api/admin';
import type { AdminView, HttpDeps } from '../deps';

export interface AdminSystemOptions {
  admin?: AdminView;
  health: HttpDeps['health'];
  serverName: string;
}

const startedAt = Date.now();

export async function adminSystemPlugin(app: FastifyInstance, opts: AdminSystemOptions): Promise<void> {
  app.get('/registrations', { schema: { response: { 200: RegistrationListResponse } } }, async () => {
    const registrations = opts.admin ? await opts.admin.registrations() : [];
    return { registrations } satisfies RegistrationListResponse;
  });

  app.get('/health', async () => {
    const report = await opts.health();
    const memory = process.memoryUsage();
    return {
      ...report,
      server: opts.serverName,
      node: process.version,
      pid: process.pid,
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      memory: { rss: memory.rss, heapUsed: memory.heapUsed },
    };
  });
}
