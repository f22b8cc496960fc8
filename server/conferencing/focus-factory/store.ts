/**
 * Meetings, rosters and guests in the shared DB (tables in schema.ts). Writes go through the write
 * queue; reads go straight to the query layer. The Focus Factory writes meetings; the Focus writes
 * the conference state and roster, so a Focus on any Front End of the pool resumes from here.
 */
import type { Db, SqlDriver, WriteQueue } from '../../db/index';
import type { AccessType, Invitee, MediaType, Meeting, Participant, ParticipantStatus, Role, RolePrivileges } from '../../../shared/conferencing/types';
import { conferenceUri } from '../../../shared/conferencing/uri';

interface MeetingRow {
  conference_id: string;
  organizer: string;
  subject: string;
  access: string;
  pin: string | null;
  media_types: string;
  privileges: string;
  expires_at: number | string;
  created_at: number | string;
  locked: number | string;
  active: number | string;
}

interface ParticipantRow {
  user_name: string;
  display_name: string;
  role: string;
  status: string;
  guest: number | string;
  muted: string;
  media: string;
  ejected: number | string;
}

/** A meeting plus the conference state the Focus keeps on it. */
export interface StoredMeeting extends Meeting {
  locked: boolean;
  active: boolean;
}

export interface StoredParticipant extends Participant {
  /** Ejected people who come back wait in the lobby. */
  ejected: boolean;
}

export interface GuestRecord {
  user: string;
  conferenceId: string;
  displayName: string;
  expiresAt: number;
}

export class MeetingStore {
  private readonly sql: SqlDriver;
  private readonly queue: WriteQueue;

  constructor(
    db: Pick<Db, 'sql' | 'queue'>,
    private readonly domain: string,
  ) {
    this.sql = db.sql;
    this.queue = db.queue;
  }

  create(m: Meeting): Promise<void> {
    return this.queue.enqueue(async (tx) => {
      await tx.run(
        `INSERT INTO meetings (conference_id, organizer, subject, access, pin, media_types, privileges, expires_at, created_at, locked, active)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
        [m.conferenceId, m.organizer, m.subject, m.access, m.pin ?? null, JSON.stringify(m.mediaTypes), JSON.stringify(m.privileges), m.expiresAt, m.createdAt],
      );
      for (const i of m.invitees) await tx.run('INSERT INTO meeting_invitees (conference_id, user_name, role) VALUES (?, ?, ?)', [m.conferenceId, i.user, i.role]);
    });
  }

  /** Rewrites the meeting's settings (not its id, organizer or conference state). */
  update(m: Meeting): Promise<void> {
    return this.queue.enqueue(async (tx) => {
      await tx.run('UPDATE meetings SET subject = ?, access = ?, pin = ?, media_types = ?, privileges = ?, expires_at = ? WHERE conference_id = ?', [
        m.subject,
        m.access,
        m.pin ?? null,
        JSON.stringify(m.mediaTypes),
        JSON.stringify(m.privileges),
        m.expiresAt,
        m.conferenceId,
      ]);
      await tx.run('DELETE FROM meeting_invitees WHERE conference_id = ?', [m.conferenceId]);
      for (const i of m.invitees) await tx.run('INSERT INTO meeting_invitees (conference_id, user_name, role) VALUES (?, ?, ?)', [m.conferenceId, i.user, i.role]);
    });
  }

  /** Removes the meeting and everything hanging off it; resolves with the guests it had. */
  delete(conferenceId: string): Promise<string[]> {
    return this.queue.enqueue(async (tx) => {
      const guests = await tx.query<{ user_name: string }>('SELECT user_name FROM meeting_guests WHERE conference_id = ?', [conferenceId]);
      for (const t of ['meeting_invitees', 'conference_participants', 'meeting_guests', 'meetings']) {
        await tx.run(`DELETE FROM ${t} WHERE conference_id = ?`, [conferenceId]);
      }
      return guests.map((g) => g.user_name);
    });
  }

  async get(conferenceId: string): Promise<StoredMeeting | undefined> {
    const row = await this.sql.get<MeetingRow>('SELECT * FROM meetings WHERE conference_id = ?', [conferenceId]);
    return row ? this.toMeeting(row, await this.invitees(conferenceId)) : undefined;
  }

  async byOrganizer(organizer: string): Promise<StoredMeeting[]> {
    const rows = await this.sql.query<MeetingRow>('SELECT * FROM meetings WHERE organizer = ? ORDER BY created_at', [organizer]);
    return Promise.all(rows.map(async (r) => this.toMeeting(r, await this.invitees(r.conference_id))));
  }

  async expiredIds(now: number): Promise<string[]> {
    return (await this.sql.query<{ conference_id: string }>('SELECT conference_id FROM meetings WHERE expires_at <= ?', [now])).map((r) => r.conference_id);
  }

  setLocked(conferenceId: string, locked: boolean): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('UPDATE meetings SET locked = ? WHERE conference_id = ?', [locked ? 1 : 0, conferenceId]));
  }

  setActive(conferenceId: string, active: boolean): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('UPDATE meetings SET active = ? WHERE conference_id = ?', [active ? 1 : 0, conferenceId]));
  }

  // ---- roster ----

  async participants(conferenceId: string): Promise<StoredParticipant[]> {
    const rows = await this.sql.query<ParticipantRow>('SELECT * FROM conference_participants WHERE conference_id = ? ORDER BY joined_at, user_name', [conferenceId]);
    return rows.map((r) => ({
      user: r.user_name,
      displayName: r.display_name,
      role: r.role as Role,
      status: r.status as ParticipantStatus,
      guest: Number(r.guest) === 1,
      mutedByFocus: JSON.parse(r.muted) as ('audio' | 'video')[],
      media: JSON.parse(r.media) as MediaType[],
      ejected: Number(r.ejected) === 1,
    }));
  }

  saveParticipant(conferenceId: string, p: StoredParticipant, now: number): Promise<void> {
    return this.queue.enqueue(async (tx) => {
      await tx.run(
        `INSERT INTO conference_participants (conference_id, user_name, display_name, role, status, guest, muted, media, ejected, joined_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (conference_id, user_name) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
            status = excluded.status, guest = excluded.guest, muted = excluded.muted, media = excluded.media, ejected = excluded.ejected`,
        [conferenceId, p.user, p.displayName, p.role, p.status, p.guest ? 1 : 0, JSON.stringify(p.mutedByFocus), JSON.stringify(p.media), p.ejected ? 1 : 0, now],
      );
    });
  }

  deleteParticipant(conferenceId: string, user: string): Promise<number> {
    return this.queue.enqueue((tx) => tx.run('DELETE FROM conference_participants WHERE conference_id = ? AND user_name = ?', [conferenceId, user]));
  }

  // ---- guests ----

  addGuest(g: GuestRecord): Promise<void> {
    return this.queue.enqueue(async (tx) => {
      await tx.run('INSERT INTO meeting_guests (user_name, conference_id, display_name, expires_at) VALUES (?, ?, ?, ?)', [g.user, g.conferenceId, g.displayName, g.expiresAt]);
    });
  }

  async guest(user: string): Promise<GuestRecord | undefined> {
    const r = await this.sql.get<{ user_name: string; conference_id: string; display_name: string; expires_at: number | string }>(
      'SELECT * FROM meeting_guests WHERE user_name = ?',
      [user],
    );
    return r ? { user: r.user_name, conferenceId: r.conference_id, displayName: r.display_name, expiresAt: Number(r.expires_at) } : undefined;
  }

  private async invitees(conferenceId: string): Promise<Invitee[]> {
    const rows = await this.sql.query<{ user_name: string; role: string }>('SELECT user_name, role FROM meeting_invitees WHERE conference_id = ? ORDER BY user_name', [conferenceId]);
    return rows.map((r) => ({ user: r.user_name, role: r.role as Invitee['role'] }));
  }

  private toMeeting(r: MeetingRow, invitees: Invitee[]): StoredMeeting {
    const m: StoredMeeting = {
      conferenceId: r.conference_id,
      uri: conferenceUri(r.organizer, this.domain, r.conference_id),
      organizer: r.organizer,
      subject: r.subject,
      access: r.access as AccessType,
      mediaTypes: JSON.parse(r.media_types) as MediaType[],
      privileges: JSON.parse(r.privileges) as RolePrivileges,
      expiresAt: Number(r.expires_at),
      createdAt: Number(r.created_at),
      invitees,
      locked: Number(r.locked) === 1,
      active: Number(r.active) === 1,
    };
    if (r.pin !== null) m.pin = r.pin;
    return m;
  }
}
