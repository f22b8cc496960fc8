/** How the contact list is shown: group order, contact order, counts, search. Pure. */
import { DEFAULT_GROUP_ID, type AccessLevel, type Contact, type ContactGroup } from '../../../shared/contacts';
import type { AvailabilityClass } from '../../../shared/presence/availability';
import type { Person } from '../base/contracts';

export const ACCESS_LEVEL_LABEL: Readonly<Record<AccessLevel, string>> = {
  personal: 'Friends and Family',
  workgroup: 'Workgroup',
  colleague: 'Colleagues',
  public: 'External Contacts',
  blocked: 'Blocked Contacts',
};

/** Most trusted first, as the menu lists them. */
export const ACCESS_LEVEL_ORDER: readonly AccessLevel[] = ['personal', 'workgroup', 'colleague', 'public', 'blocked'];

const RANK: Readonly<Record<AvailabilityClass, number>> = {
  available: 0, idle: 1, busy: 2, 'busy-idle': 2, dnd: 3, brb: 4, away: 5, offline: 6,
};

/** Custom groups by name, the default group ("Other Contacts") last. */
export function orderedGroups(groups: readonly ContactGroup[]): ContactGroup[] {
  return [...groups].sort((a, b) => (a.id === DEFAULT_GROUP_ID ? 1 : 0) - (b.id === DEFAULT_GROUP_ID ? 1 : 0) || a.name.localeCompare(b.name));
}

/** Reachable people first, then by name. */
export function orderedContacts(contacts: readonly Contact[], person: (uri: string) => Person | undefined): Contact[] {
  const rank = (c: Contact) => RANK[person(c.uri)?.presence?.class ?? 'offline'];
  return [...contacts].sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName));
}

export function isOnline(person: Person | undefined): boolean {
  const c = person?.presence?.class;
  return c !== undefined && c !== 'offline';
}

/** Case-insensitive match on the name or the address. */
export function matches(contact: Contact, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || contact.displayName.toLowerCase().includes(q) || contact.uri.includes(q);
}
