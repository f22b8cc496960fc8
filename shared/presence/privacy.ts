/**
 * Privacy by access level, as OCS 2007 did with its containers: what a watcher sees of a person's
 * aggregated presence depends on the level the person granted that watcher (shared/contacts.ts).
 *
 *   level      availability  note, activity, device  work phone  break through DND  mobile, home
 *   blocked    Offline       -                       -           -                  -
 *   public     yes           -                       -           -                  -
 *   colleague  yes           yes                     -           -                  -
 *   workgroup  yes           yes                     yes         yes                -
 *   personal   yes           yes                     yes         yes                yes
 *
 * Pure; the server applies it per watcher, the client may use it to preview what others see.
 */
import type { AccessLevel } from '../contacts';
import { AVAILABILITY } from './availability';
import type { Presence, PresenceView } from './types';

export const VIEW_LEVELS: readonly AccessLevel[] = ['blocked', 'public', 'colleague', 'workgroup', 'personal'];

/** Whether calls and IMs from a watcher at this level may reach the person in Do not disturb. */
export function mayBreakThroughDnd(level: AccessLevel): boolean {
  return level === 'workgroup' || level === 'personal';
}

export function viewFor(entity: string, p: Presence, level: AccessLevel): PresenceView {
  if (level === 'blocked') return { entity, availability: AVAILABILITY.offline, class: 'offline' };
  const v: PresenceView = { entity, availability: p.availability, class: p.class };
  if (level === 'public') return v;
  // Offline shows nothing more, except to those who see whether it was the person's choice.
  v.userSet = p.userSet;
  if (p.class === 'offline') return v;
  if (p.activity) v.activity = p.activity;
  if (p.note) v.note = p.note;
  if (p.device) v.device = p.device;
  if (level === 'colleague') return v;
  v.breakThrough = true;
  if (p.phones?.work) v.phones = { work: p.phones.work };
  if (level === 'workgroup') return v;
  if (p.phones?.mobile || p.phones?.home) v.phones = { ...v.phones, mobile: p.phones.mobile, home: p.phones.home };
  if (v.phones) for (const k of ['work', 'mobile', 'home'] as const) if (v.phones[k] === undefined) delete v.phones[k];
  return v;
}
