/**
 * MCU registrations, load reports and conference assignments in the shared DB (tables in
 * schema.ts). Writes go through the DB's write queue; reads go straight to the query layer.
 * Times are the Factory's clock (ms epoch), never the MCU's, so a skewed MCU clock cannot make
 * it look fresh or silent.
 */
import type { Db, SqlDriver, WriteQueue } from '../../db/index';
import type { McuLoad, McuRegistration } from '../../../shared/mcu/factory';
import type { MediaType } from '../../../shared/mcu/ids';

export interface McuRecord {
  mcuId: string;
  kind: McuRegistration['kind'];
  apiUrl: string;
  mediaTypes: MediaType[];
  capacity: McuRegistration['capacity'];
  version: string;
  /** The last load report, absent until the first one arrives. */
  load?: McuLoad;
  /** When the Factory received that report (or registered the MCU, before any report). */
  loadAt: number;
  registeredAt: number;
  /** Last registration or load report received. */
  lastSeenAt: number;
  /**
   * Conferences assigned to this MCU since its last load report: the report cannot count them
   * yet, and without them a burst of picks would all land on the same MCU.
   */
  pendingConferences: number;
}

interface McuRow {
  mcu_id: string;
  kind: string;
  api_url: string;
  media_types: string;
  workers: number | string;
  max_consumers: number | string;
  version: string;
  load: string | null;
  load_at: number | string;
  registered_at: number | string;
  last_seen: number | string;
  pending: number | string | null;
}

function toRecord(r: McuRow): McuRecord {
  const record: McuRecord = {
    mcuId: r.mcu_id,
    kind: r.kind as McuRecord['kind'],
    apiUrl: r.api_url,
    mediaTypes: JSON.parse(r.media_types) as MediaType[],
    capacity: { workers: Number(r.workers), maxConsumers: Number(r.max_consumers) },
    version: r.version,
    loadAt: Number(r.load_at),
    registeredAt: Number(r.registered_at),
    lastSeenAt: Number(r.last_seen),
    pendingConferences: Number(r.pending ?? 0),
  };
  if (r.load !== null) record.load = JSON.parse(r.load) as McuLoad;
  return record;
}

// Pending = distinct conferences assigned at or after the last report was received.
const SELECT = `SELECT m.mcu_id, m.kind, m.api_url, m.media_types, m.workers, m.max_consumers, m.version, m.load,
    m.load_at, m.registered_at, m.last_seen,
    (SELECT COUNT(DISTINCT c.conference_id) FROM conference_mcus c WHERE c.mcu_id = m.mcu_id AND c.assigned_at >= m.load_at) AS pending
  FROM mcus m`;

const UPSERT = `INSERT INTO mcus (mcu_id, kind, api_url, media_types, workers, max_consumers, version, load, load_at, registered_at, last_seen)
  VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
  ON CONFLICT (mcu_id) DO UPDATE SET kind = excluded.kind, api_url = excluded.api_url, media_types = excluded.media_types,
    workers = excluded.workers, max_consumers = excluded.max_consumers, version = excluded.version, load = NULL,
    load_at = excluded.load_at, registered_at = excluded.registered_at, last_seen = excluded.last_seen`;

export class McuStore {
  private readonly sql: SqlDriver;
  private readonly queue: WriteQueue;

  constructor(db: Pick<Db, 'sql' | 'queue'>) {
    this.sql = db.sql;
    this.queue = db.queue;
  }

  /** Creates or replaces a registration (a registering MCU starts with no load). Resolves true when it is new. */
  register(reg: McuRegistration, now: number): Promise<boolean> {
    return this.queue.enqueue(async (tx) => {
      const existed = await tx.get<{ mcu_id: string }>('SELECT mcu_id FROM mcus WHERE mcu_id = ?', [reg.mcuId]);
      await tx.run(UPSERT, [
        reg.mcuId,
        reg.kind,
        reg.apiUrl,
        JSON.stringify([...new Set(reg.mediaTypes)]),
        reg.capacity.workers,
        reg.capacity.maxConsumers,
        reg.version,
        now,
        now,
        now,
      ]);
      return !existed;
    });
  }

  /** Records a load report; resolves false when the MCU is not registered (it must register again). */
  async reportLoad(mcuId: string, load: McuLoad, now: number): Promise<boolean> {
    const changed = await this.queue.enqueue((tx) =>
      tx.run('UPDATE mcus SET load = ?, load_at = ?, last_seen = ? WHERE mcu_id = ?', [JSON.stringify(load), now, now, mcuId]),
    );
    return changed > 0;
  }

  /** Forgets an MCU; its assignments stay until they are reassigned or pruned. Resolves false when unknown. */
  async remove(mcuId: string): Promise<boolean> {
    return (await this.queue.enqueue((tx) => tx.run('DELETE FROM mcus WHERE mcu_id = ?', [mcuId]))) > 0;
  }

  /**
   * Drops MCUs not heard from since `cutoff` (restarted MCUs come back under new ids, so old rows
   * would pile up) and assignments to MCUs that are gone, made before `cutoff`.
   */
  prune(cutoff: number): Promise<{ mcus: number; assignments: number }> {
    return this.queue.enqueue(async (tx) => ({
      mcus: await tx.run('DELETE FROM mcus WHERE last_seen < ?', [cutoff]),
      assignments: await tx.run('DELETE FROM conference_mcus WHERE assigned_at < ? AND mcu_id NOT IN (SELECT mcu_id FROM mcus)', [cutoff]),
    }));
  }

  async list(): Promise<McuRecord[]> {
    return (await this.sql.query<McuRow>(`${SELECT} ORDER BY m.mcu_id`)).map(toRecord);
  }

  async get(mcuId: string): Promise<McuRecord | undefined> {
    const row = await this.sql.get<McuRow>(`${SELECT} WHERE m.mcu_id = ?`, [mcuId]);
    return row ? toRecord(row) : undefined;
  }

  async assignment(conferenceId: string, mediaType: MediaType): Promise<string | undefined> {
    const row = await this.sql.get<{ mcu_id: string }>('SELECT mcu_id FROM conference_mcus WHERE conference_id = ? AND media_type = ?', [
      conferenceId,
      mediaType,
    ]);
    return row?.mcu_id;
  }

  /**
   * Compare-and-set: assigns `mcuId` when the conference's media type has no MCU yet (`previous`
   * undefined) or still has `previous`. Resolves with the MCU assigned after the write, which is
   * another Front End's choice when it got there first.
   */
  assign(conferenceId: string, mediaType: MediaType, mcuId: string, previous: string | undefined, now: number): Promise<string | undefined> {
    return this.queue.enqueue(async (tx) => {
      if (previous === undefined) {
        await tx.run(
          `INSERT INTO conference_mcus (conference_id, media_type, mcu_id, assigned_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (conference_id, media_type) DO NOTHING`,
          [conferenceId, mediaType, mcuId, now],
        );
      } else {
        await tx.run('UPDATE conference_mcus SET mcu_id = ?, assigned_at = ? WHERE conference_id = ? AND media_type = ? AND mcu_id = ?', [
          mcuId,
          now,
          conferenceId,
          mediaType,
          previous,
        ]);
      }
      const row = await tx.get<{ mcu_id: string }>('SELECT mcu_id FROM conference_mcus WHERE conference_id = ? AND media_type = ?', [
        conferenceId,
        mediaType,
      ]);
      return row?.mcu_id;
    });
  }

  /** The conference ended: its MCUs no longer carry it. Resolves with the rows removed. */
  release(conferenceId: string): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('DELETE FROM conference_mcus WHERE conference_id = ?', [conferenceId]));
  }

  async assignments(conferenceId: string): Promise<{ mediaType: MediaType; mcuId: string }[]> {
    const rows = await this.sql.query<{ media_type: string; mcu_id: string }>(
      'SELECT media_type, mcu_id FROM conference_mcus WHERE conference_id = ? ORDER BY media_type',
      [conferenceId],
    );
    return rows.map((r) => ({ mediaType: r.media_type as MediaType, mcuId: r.mcu_id }));
  }
}
