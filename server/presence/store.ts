/**
 * The presence service's record in the DB: one row per endpoint publication (RFC 3903 soft state),
 * written through the write queue; the live index is in memory (publications.ts). At start-up a
 * Front End restores the unexpired publications of endpoints still registered with it; subscriptions are not stored (subscribers
 * re-subscribe after a 481 to their refresh, RFC 6665 §4.1.2.2; see docs/presence.md).
 */
import type { Db, MigrationSet } from '../db/index';
import type { EndpointState } from '../../shared/presence/types';

export const PRESENCE_MIGRATIONS: MigrationSet = {
  module: 'presence',
  migrations: [
    {
      version: 1,
      name: 'presence_publications',
      up: `
        CREATE TABLE presence_publications (
          owner TEXT NOT NULL,
          endpoint TEXT NOT NULL,
          etag TEXT NOT NULL,
          front_end TEXT NOT NULL,
          state TEXT NOT NULL,
          published_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL,
          PRIMARY KEY (owner, endpoint)
        );
        CREATE INDEX presence_publications_exp ON presence_publications (expires_at);
      `,
    },
  ],
};

export interface PublicationRecord {
  owner: string;
  endpoint: string;
  etag: string;
  frontEnd: string;
  state: EndpointState;
  publishedAt: number;
  expiresAt: number;
}

interface Row {
  owner: string;
  endpoint: string;
  etag: string;
  front_end: string;
  state: string;
  published_at: number;
  expires_at: number;
}

export class PublicationRecords {
  constructor(private readonly db: Pick<Db, 'sql' | 'queue'>) {}

  upsert(r: PublicationRecord): Promise<void> {
    return this.db.queue.enqueue(async (tx) => {
      await tx.run(
        `INSERT INTO presence_publications (owner, endpoint, etag, front_end, state, published_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (owner, endpoint) DO UPDATE SET etag = excluded.etag, front_end = excluded.front_end,
           state = excluded.state, published_at = excluded.published_at, expires_at = excluded.expires_at`,
        [r.owner, r.endpoint, r.etag, r.frontEnd, JSON.stringify(r.state), r.publishedAt, r.expiresAt],
      );
    });
  }

  remove(owner: string, endpoint: string): Promise<void> {
    return this.db.queue.enqueue(async (tx) => {
      await tx.run('DELETE FROM presence_publications WHERE owner = ? AND endpoint = ?', [owner, endpoint]);
    });
  }

  /** One person's unexpired publications (every Front End's), e.g. a pool member's share. */
  async listOwner(owner: string, now: number): Promise<PublicationRecord[]> {
    const rows = await this.db.sql.query<Row>('SELECT * FROM presence_publications WHERE owner = ? AND expires_at > ?', [owner, now]);
    return rows.flatMap((r) => toRecord(r) ?? []);
  }

  /**
   * Unexpired publications (expired ones are purged first). The caller keeps those whose endpoint is
   * still registered here: a Front End's id changes with each start, so rows are not filtered by it.
   */
  async listLive(now: number): Promise<PublicationRecord[]> {
    await this.db.queue.enqueue(async (tx) => {
      await tx.run('DELETE FROM presence_publications WHERE expires_at <= ?', [now]);
    });
    const rows = await this.db.sql.query<Row>('SELECT * FROM presence_publications WHERE expires_at > ?', [now]);
    return rows.flatMap((r) => toRecord(r) ?? []);
  }
}

/** A row as a record; undefined when its state is not JSON (skipped, never fatal). */
function toRecord(r: Row): PublicationRecord | undefined {
  let state: EndpointState;
  try {
    state = JSON.parse(r.state) as EndpointState;
  } catch {
    return undefined;
  }
  return { owner: r.owner, endpoint: r.endpoint, etag: r.etag, frontEnd: r.front_end, state, publishedAt: Number(r.published_at), expiresAt: Number(r.expires_at) };
}
