/**
 * NOTIFY bodies of the `vnd-ocs-contacts` package (docs/protocol.md): the full list, split into
 * parts that each stay well under the SIP parser's body limit (a list of 1,000 contacts with long
 * display names would not fit one message), and deltas.
 */
import type { AccessEntry, Contact, ContactChange, ContactGroup, ContactList, ContactsDocument } from '../../shared/contacts';

/** Bytes of JSON per NOTIFY body: half the default 48 KiB parser body limit, leaving room for headers. */
export const PART_BUDGET = 24_000;

/** The list as `parts` documents of one version: groups first, then contacts, then access levels. */
export function fullDocuments(list: ContactList, budget = PART_BUDGET): ContactsDocument[] {
  type Part = { groups: ContactGroup[]; contacts: Contact[]; accessLevels: AccessEntry[]; size: number };
  // The fixed part of a document (type, version, part numbers, empty arrays), with room for large numbers.
  const overhead = 140;
  const parts: Part[] = [];
  let current: Part = { groups: [], contacts: [], accessLevels: [], size: overhead };
  const place = <K extends 'groups' | 'contacts' | 'accessLevels'>(key: K, item: Part[K][number]): void => {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.size + size > budget && current.size > overhead) {
      parts.push(current);
      current = { groups: [], contacts: [], accessLevels: [], size: overhead };
    }
    (current[key] as Part[K][number][]).push(item);
    current.size += size;
  };
  for (const g of list.groups) place('groups', g);
  for (const c of list.contacts) place('contacts', c);
  for (const a of list.accessLevels) place('accessLevels', a);
  parts.push(current);
  return parts.map((p, i) => ({
    type: 'full',
    version: list.version,
    part: i,
    parts: parts.length,
    groups: p.groups,
    contacts: p.contacts,
    accessLevels: p.accessLevels,
  }));
}

/** One document with the whole list (a fetch, RFC 6665 §4.4.3, has a single NOTIFY). */
export function wholeDocument(list: ContactList): ContactsDocument {
  return { type: 'full', version: list.version, part: 0, parts: 1, groups: list.groups, contacts: list.contacts, accessLevels: list.accessLevels };
}

/** The changes from `from` (exclusive) to `version`; undefined when it would exceed the budget (send the full list then). */
export function deltaDocument(from: number, version: number, changes: ContactChange[], budget = PART_BUDGET): string | undefined {
  const body = JSON.stringify({ type: 'delta', from, version, changes } satisfies ContactsDocument);
  return Buffer.byteLength(body) <= budget ? body : undefined;
}
