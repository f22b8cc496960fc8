/**
 * Directory search for the client's "add contact" box: GET /api/directory?q=&limit= (bearer, the
 * same hook as every /api route). Matches the user name or display name of enabled users; returns
 * name, display name and SIP URI only. Phone numbers are neither returned nor searched: who may see
 * a number follows presence access levels, and a search by number would reveal whose it is.
 */
import type { FastifyInstance } from 'fastify';
import { ApiErrorBody } from '../../shared/api/errors';
import { DirectoryQuery, DirectoryResponse, type DirectoryEntry } from '../../shared/contacts';
import type { Db } from '../db/index';
import type { HttpTokenService, HttpUserStore } from '../http/deps';
import { bearerAuth, principalOf } from '../http/plugins/authenticate';

export const DIRECTORY_DEFAULT_LIMIT = 20;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchDirectory(db: Pick<Db, 'sql'>, domain: string, q: string, limit = DIRECTORY_DEFAULT_LIMIT): Promise<DirectoryEntry[]> {
  const pattern = `%${escapeLike(q.trim().toLowerCase())}%`;
  // LOWER() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
  const rows = await db.sql.query<{ name: string; display_name: string }>(
    `SELECT name, display_name FROM users
      WHERE disabled = 0 AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? ESCAPE '\\')
      ORDER BY name LIMIT ?`,
    [pattern, pattern, limit],
  );
  return rows.map((r) => ({ name: r.name, displayName: r.display_name || r.name, uri: `sip:${r.name}@${domain}` }));
}

export interface DirectoryRouteOptions {
  db: Pick<Db, 'sql' | 'users'>;
  domain: string;
  tokens: HttpTokenService;
}

/**
 * Registered on the root server under its own `/api` prefix: the bearer hook of server/http covers
 * only the routes registered inside its own plugin, so this plugin installs the same hook itself.
 */
export async function directoryPlugin(app: FastifyInstance, opts: DirectoryRouteOptions): Promise<void> {
  // bearerAuth needs only findByName of the user store (disabled users are refused there).
  const users: Pick<HttpUserStore, 'findByName'> = { findByName: (name: string) => opts.db.users.findByName(name) };
  app.addHook('onRequest', bearerAuth({ tokens: opts.tokens, users }));
  app.get(
    '/directory',
    { schema: { querystring: DirectoryQuery, response: { 200: DirectoryResponse, 400: ApiErrorBody, 401: ApiErrorBody } } },
    async (request) => {
      principalOf(request);
      const { q, limit } = request.query as DirectoryQuery;
      return { items: await searchDirectory(opts.db, opts.domain, q, limit) } satisfies DirectoryResponse;
    },
  );
}
