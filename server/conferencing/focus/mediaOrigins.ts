/**
 * Browsers open socket.io straight to an MCU (docs/mcu.md), so the media keeps flowing while a
 * Front End restarts. The page's Content-Security-Policy (server/http/security.ts) allows
 * connections only to its own host; this hook, run after that one, adds the origins of the MCUs
 * the Conferencing Server Factory knows (their API origin, which is also their signaling origin by
 * default, and every signaling URL an MCU has handed out). Nothing else in the policy changes.
 */
import type { FastifyInstance } from 'fastify';
import type { ConferencingServerFactory } from '../mcu-factory/index';

export class MediaOrigins {
  private readonly seen = new Set<string>();

  constructor(private readonly mcus: Pick<ConferencingServerFactory, 'list'>) {}

  /** Remembers a signaling URL given to a client. */
  add(url: string): void {
    const o = originOf(url);
    if (o) this.seen.add(o);
  }

  async origins(): Promise<string[]> {
    const fromFactory = (await this.mcus.list()).map((m) => originOf(m.apiUrl)).filter((o): o is string => !!o);
    return [...new Set([...fromFactory, ...this.seen])];
  }

  install(http: FastifyInstance): void {
    http.addHook('onSend', async (_req, reply, payload) => {
      const csp = reply.getHeader('content-security-policy');
      // Only pages carry a policy that matters for connections.
      if (typeof csp !== 'string' || !csp.includes('connect-src') || !String(reply.getHeader('content-type') ?? '').includes('text/html')) return payload;
      const extra = (await this.origins()).flatMap((o) => [o, o.replace(/^http/, 'ws')]);
      if (extra.length > 0) reply.header('content-security-policy', csp.replace(/connect-src ([^;]*)/, (_m, list: string) => `connect-src ${list} ${extra.join(' ')}`));
      return payload;
    });
  }
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}
