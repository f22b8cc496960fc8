/**
 * Availability as OCS 2007 R2 expressed it: a number whose range gives the class a person is in.
 * Lower is more available. Pure: shared by the server (aggregation, privacy) and the web client.
 */

export type AvailabilityClass = 'available' | 'idle' | 'busy' | 'busy-idle' | 'dnd' | 'brb' | 'away' | 'offline';

/** Lower bound of each class (inclusive); a class ends where the next begins. */
export const CLASS_FLOOR: Readonly<Record<AvailabilityClass, number>> = {
  available: 3000,
  idle: 4500,
  busy: 6000,
  'busy-idle': 7500,
  dnd: 9000,
  brb: 12000,
  away: 15000,
  offline: 18000,
};

/** The number a client publishes for each class (the OCS values). */
export const AVAILABILITY: Readonly<Record<AvailabilityClass, number>> = {
  available: 3500,
  idle: 5000,
  busy: 6500,
  'busy-idle': 7500,
  dnd: 9500,
  brb: 12500,
  away: 15500,
  offline: 18500,
};

const ORDER: AvailabilityClass[] = ['available', 'idle', 'busy', 'busy-idle', 'dnd', 'brb', 'away', 'offline'];

/** The class of an availability number; undefined below 3000 (OCS: "none", no statement). */
export function availabilityClass(n: number): AvailabilityClass | undefined {
  if (!Number.isFinite(n) || n < 3000) return undefined;
  let c: AvailabilityClass = 'available';
  for (const k of ORDER) if (n >= CLASS_FLOOR[k]) c = k;
  return c;
}

/** Idle classes are machine-derived "the user is not at this device" states. */
export function isIdleClass(c: AvailabilityClass): boolean {
  return c === 'idle' || c === 'busy-idle';
}

/**
 * What a person is doing, beyond the class. `in-a-call` and `in-a-meeting` (a conference) make
 * the person Busy, `presenting` Do not disturb (see docs/presence.md, the aggregation rules).
 */
export type ActivityToken = 'in-a-call' | 'in-a-meeting' | 'presenting' | 'out-of-office';
export const ACTIVITY_TOKENS: readonly ActivityToken[] = ['in-a-call', 'in-a-meeting', 'presenting', 'out-of-office'];

export function isActivityToken(s: string): s is ActivityToken {
  return (ACTIVITY_TOKENS as readonly string[]).includes(s);
}

export type DeviceType = 'computer' | 'web' | 'mobile' | 'phone' | 'unknown';
export const DEVICE_TYPES: readonly DeviceType[] = ['computer', 'web', 'mobile', 'phone', 'unknown'];

export function isDeviceType(s: string): s is DeviceType {
  return (DEVICE_TYPES as readonly string[]).includes(s);
}

/** Human text for a class (the client may localise; the server uses it in logs and tests). */
export const CLASS_LABEL: Readonly<Record<AvailabilityClass, string>> = {
  available: 'Available',
  idle: 'Inactive',
  busy: 'Busy',
  'busy-idle': 'Busy',
  dnd: 'Do not disturb',
  brb: 'Be right back',
  away: 'Away',
  offline: 'Offline',
};

export const ACTIVITY_LABEL: Readonly<Record<ActivityToken, string>> = {
  'in-a-call': 'In a call',
  'in-a-meeting': 'In a meeting',
  presenting: 'Presenting',
  'out-of-office': 'Out of office',
};
