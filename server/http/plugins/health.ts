/** GET /healthz: liveness/readiness for load balancers and the e2e fixture (200 only when every listener is up). */
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps';

export async function healthPlugin(app: FastifyInstance, opts: { health: HttpDeps['health'] }): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    const report = await opts.health();
    return reply.code(report.ready ? 200 : 503).header('cache-control', 'no-store').send(report);
  });
}
