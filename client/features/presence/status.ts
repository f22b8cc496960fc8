/**
 * The person's own status: what they chose in the menu, their note, and what the machine knows
 * (idle, in a call). `endpointPresence` turns it into what this endpoint publishes; the server's
 * RTC Aggregate folds it with the person's other endpoints (docs/presence.md).
 */
import { ACTIVITY_LABEL, AVAILABILITY, CLASS_LABEL, type AvailabilityClass } from '../../../shared/presence/availability';
import type { PresenceView as WireView } from '../../../shared/presence/types';
import type { PresenceView } from '../base/contracts';

/** The states a person can pick (Skype for Business's menu). */
export type StatusChoice = 'available' | 'busy' | 'dnd' | 'brb' | 'away' | 'offline';

export const STATUS_CHOICES: readonly { choice: StatusChoice; label: string }[] = [
  { choice: 'available', label: 'Available' },
  { choice: 'busy', label: 'Busy' },
  { choice: 'dnd', label: 'Do not disturb' },
  { choice: 'brb', label: 'Be right back' },
  { choice: 'away', label: 'Appear away' },
  { choice: 'offline', label: 'Appear offline' },
];

export interface MyStatus {
  /** Undefined: automatic (the machine decides: Available, Away when idle, Busy in a call). */
  choice?: StatusChoice;
  note: string;
  /** Minutes without input before an automatic status turns Away; 0 disables it. */
  awayAfterMinutes: number;
}

export const DEFAULT_STATUS: MyStatus = { note: '', awayAfterMinutes: 5 };
export const NOTE_MAX_LENGTH = 256;

export interface MachineState {
  idle: boolean;
  inCall: boolean;
}

/** The fields of this endpoint's PUBLISH (ocs:state + note). */
export function endpointPresence(status: MyStatus, machine: MachineState): { availability: number; userSet: boolean; activity?: 'in-a-call'; note?: string } {
  const userSet = status.choice !== undefined;
  // A chosen state stands while idle, as in OCS; an automatic one goes Away.
  const availability = status.choice ? AVAILABILITY[status.choice] : machine.idle ? AVAILABILITY.away : AVAILABILITY.available;
  return {
    availability,
    userSet,
    ...(machine.inCall ? { activity: 'in-a-call' as const } : {}),
    ...(status.note.trim() ? { note: status.note.trim().slice(0, NOTE_MAX_LENGTH) } : {}),
  };
}

/** What the client shows for a received presence document. */
export function toView(wire: Pick<WireView, 'class' | 'activity' | 'note'>): PresenceView {
  const label = wire.activity && wire.class !== 'offline' ? ACTIVITY_LABEL[wire.activity] : CLASS_LABEL[wire.class];
  return { class: wire.class, label, ...(wire.activity ? { activity: wire.activity } : {}), ...(wire.note ? { note: wire.note } : {}) };
}

/** Our own status as this endpoint alone would make it (the aggregate rules R2-R7 for one endpoint). */
export function localView(status: MyStatus, machine: MachineState): PresenceView {
  const note = status.note.trim() ? { note: status.note.trim() } : {};
  if (status.choice === 'offline') return toView({ class: 'offline' });
  if (status.choice === 'dnd') return toView({ class: 'dnd', ...note });
  if (machine.inCall) return toView({ class: 'busy', activity: 'in-a-call', ...note });
  const cls: AvailabilityClass = status.choice ?? (machine.idle ? 'away' : 'available');
  return toView({ class: cls, ...note });
}
