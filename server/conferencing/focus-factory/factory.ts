/**
 * The Focus Factory (seed: "creates, modifies, and deletes meetings in the conferencing DB"): one
 * per user, addressed as sip:<user>@<domain>;gruu;opaque=app:conf:focusfactory. It validates a
 * meeting's settings, gives it a conference id and URI, and keeps it until it is deleted or
 * expires; expired meetings are refused by the Focus and removed by the sweeper.
 */
import { randomBytes } from 'node:crypto';
import {
  ACCESS_TYPES,
  DEFAULT_MEETING_LIFETIME_MS,
  DEFAULT_ROLE_PRIVILEGES,
  MAX_MEETING_LIFETIME_MS,
  PIN_PATTERN,
  type Meeting,
  type MeetingInput,
} from '../../../shared/conferencing/types';
import { ALL_MEDIA_TYPES } from '../../../shared/mcu/ids';
import { USER_NAME_PATTERN } from '../../../shared/users';
import { conferenceUri } from '../../../shared/conferencing/uri';
import { C3pError } from './errors';
import type { MeetingStore, StoredMeeting } from './store';

export interface FocusFactoryOptions {
  store: MeetingStore;
  domain: string;
  now?: () => number;
  /** Whether a user name has an account (invitees must). */
  userExists(name: string): Promise<boolean>;
  /** Called when a meeting is deleted or expired, so an active Focus ends it (and guests go). */
  onEnded?(conferenceId: string, guests: string[], why: 'deleted' | 'expired'): Promise<void> | void;
}

const MAX_INVITEES = 250;
const MAX_SUBJECT = 256;

export class FocusFactory {
  private readonly now: () => number;

  constructor(private readonly o: FocusFactoryOptions) {
    this.now = o.now ?? Date.now;
  }

  async create(organizer: string, input: MeetingInput): Promise<Meeting> {
    const now = this.now();
    const conferenceId = randomBytes(8).toString('hex');
    const meeting: Meeting = {
      conferenceId,
      uri: conferenceUri(organizer, this.o.domain, conferenceId),
      organizer,
      subject: '',
      access: 'open',
      mediaTypes: [...ALL_MEDIA_TYPES],
      expiresAt: now + DEFAULT_MEETING_LIFETIME_MS,
      createdAt: now,
      privileges: DEFAULT_ROLE_PRIVILEGES,
      invitees: [],
    };
    const m = await this.apply(meeting, input);
    await this.o.store.create(m);
    return m;
  }

  async modify(user: string, conferenceId: string, changes: MeetingInput): Promise<Meeting> {
    const current = await this.owned(user, conferenceId);
    const m = await this.apply(current, changes);
    await this.o.store.update(m);
    return m;
  }

  async delete(user: string, conferenceId: string): Promise<void> {
    await this.owned(user, conferenceId);
    const guests = await this.o.store.delete(conferenceId);
    await this.o.onEnded?.(conferenceId, guests, 'deleted');
  }

  /** The organizer's view of one meeting (with its PIN). */
  async get(user: string, conferenceId: string): Promise<Meeting> {
    return this.owned(user, conferenceId);
  }

  async list(user: string): Promise<Meeting[]> {
    return (await this.o.store.byOrganizer(user)).map(strip);
  }

  /** Deletes every meeting past its expiry; resolves with their ids. */
  async sweepExpired(): Promise<string[]> {
    const ids = await this.o.store.expiredIds(this.now());
    for (const id of ids) {
      const guests = await this.o.store.delete(id);
      await this.o.onEnded?.(id, guests, 'expired');
    }
    return ids;
  }

  private async owned(user: string, conferenceId: string): Promise<Meeting> {
    const m = await this.o.store.get(conferenceId);
    if (!m) throw new C3pError('not-found', `There is no meeting ${conferenceId}.`);
    if (m.organizer !== user) throw new C3pError('forbidden', 'Only the organizer can see or change this meeting.');
    if (m.expiresAt <= this.now()) throw new C3pError('expired', 'This meeting has expired.');
    return strip(m);
  }

  private async apply(base: Meeting, input: MeetingInput): Promise<Meeting> {
    const m: Meeting = { ...base };
    if (input.subject !== undefined) {
      if (input.subject.length > MAX_SUBJECT) throw new C3pError('bad-request', `The subject is longer than ${MAX_SUBJECT} characters.`);
      m.subject = input.subject;
    }
    if (input.access !== undefined) {
      if (!ACCESS_TYPES.includes(input.access)) throw new C3pError('bad-request', 'Unknown access type.');
      m.access = input.access;
    }
    if (input.pin !== undefined) {
      if (input.pin === '') delete m.pin;
      else if (!PIN_PATTERN.test(input.pin)) throw new C3pError('bad-request', 'The PIN must be 4 to 12 digits.');
      else m.pin = input.pin;
    }
    if (input.mediaTypes !== undefined) {
      if (input.mediaTypes.length === 0) throw new C3pError('bad-request', 'A meeting needs at least one media type.');
      m.mediaTypes = [...new Set(input.mediaTypes)];
    }
    if (input.expiresAt !== undefined) {
      const now = this.now();
      if (input.expiresAt <= now) throw new C3pError('bad-request', 'The expiry time is in the past.');
      if (input.expiresAt > now + MAX_MEETING_LIFETIME_MS) throw new C3pError('bad-request', 'A meeting can be scheduled at most a year ahead.');
      m.expiresAt = input.expiresAt;
    }
    if (input.privileges !== undefined) m.privileges = { ...input.privileges, organizer: DEFAULT_ROLE_PRIVILEGES.organizer };
    if (input.invitees !== undefined) {
      if (input.invitees.length > MAX_INVITEES) throw new C3pError('bad-request', `At most ${MAX_INVITEES} invitees.`);
      const seen = new Map<string, Meeting['invitees'][number]>();
      for (const i of input.invitees) {
        const user = i.user.replace(/^sips?:/, '').split('@')[0]!.toLowerCase();
        if (user === m.organizer) continue;
        if (!USER_NAME_PATTERN.test(user) || !(await this.o.userExists(user))) throw new C3pError('bad-request', `No user named ${user}.`);
        seen.set(user, { user, role: i.role });
      }
      m.invitees = [...seen.values()];
    }
    if (m.access === 'anonymous' && !m.pin) throw new C3pError('bad-request', 'A meeting open to guests needs a PIN.');
    return m;
  }
}

function strip(m: StoredMeeting | Meeting): Meeting {
  const { locked: _l, active: _a, ...meeting } = m as StoredMeeting;
  return meeting;
}
