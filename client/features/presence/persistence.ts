/** The person's chosen status, note and idle setting survive reloads and sign-ins on this browser. */
import { DEFAULT_STATUS, NOTE_MAX_LENGTH, STATUS_CHOICES, type MyStatus } from './status';

const key = (user: string) => `ocs.presence.${user}`;

export function loadStatus(user: string): MyStatus {
  try {
    const raw = JSON.parse(localStorage.getItem(key(user)) ?? 'null') as Partial<MyStatus> | null;
    if (!raw || typeof raw !== 'object') return DEFAULT_STATUS;
    const choice = STATUS_CHOICES.find((c) => c.choice === raw.choice)?.choice;
    const minutes = Number(raw.awayAfterMinutes);
    return {
      ...(choice ? { choice } : {}),
      note: typeof raw.note === 'string' ? raw.note.slice(0, NOTE_MAX_LENGTH) : '',
      awayAfterMinutes: Number.isInteger(minutes) && minutes >= 0 && minutes <= 240 ? minutes : DEFAULT_STATUS.awayAfterMinutes,
    };
  } catch {
    return DEFAULT_STATUS;
  }
}

export function saveStatus(user: string, status: MyStatus): void {
  try {
    localStorage.setItem(key(user), JSON.stringify(status));
  } catch {
    // Storage disabled: the status just won't survive a reload.
  }
}
