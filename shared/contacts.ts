/**
 * The roaming contact list (server/contacts) and the privacy access levels that presence applies
 * (server/presence): the types, the command schemas and the limits that the server, the web client
 * and the presence service share. Pure: no I/O. The wire forms are in docs/protocol.md.
 *
 * Access levels are the OCS 2007 R2 containers, from least to most trusted. They are kept apart
 * from list membership: a user may block (or trust) someone who is not in their list.
 */
import { Type, type Static } from '@sinclair/typebox';

export type AccessLevel = 'blocked' | 'public' | 'colleague' | 'workgroup' | 'personal';
/** Least to most trusted. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ['blocked', 'public', 'colleague', 'workgroup', 'personal'];

export function accessRank(level: AccessLevel): number {
  return ACCESS_LEVELS.indexOf(level);
}

/** Per user; a command that would exceed them is refused (403, code LIMIT). */
export interface ContactLimits {
  maxContacts: number;
  maxGroups: number;
  /** Explicit access levels (in the list or not). */
  maxAccessEntries: number;
}

export const DEFAULT_CONTACT_LIMITS: ContactLimits = { maxContacts: 1000, maxGroups: 64, maxAccessEntries: 2000 };

export const GROUP_NAME_MAX_LENGTH = 64;
export const CONTACT_DISPLAY_NAME_MAX_LENGTH = 256;
export const CONTACT_URI_MAX_LENGTH = 256;
/** Every list has this group; it cannot be removed (new contacts land in it by default). */
export const DEFAULT_GROUP_ID = 1;
export const DEFAULT_GROUP_NAME = 'Other Contacts';

export interface ContactGroup {
  /** Per owner, assigned by the server, never reused within a list. */
  id: number;
  name: string;
}

export interface Contact {
  /** Normalized `sip:user@host` (see normalizeContactUri). */
  uri: string;
  displayName: string;
  groupId: number;
  /** The level the owner grants this contact: explicit, or the default for its domain. */
  accessLevel: AccessLevel;
  /** True when the owner set `accessLevel` explicitly. */
  accessLevelSet: boolean;
}

/** An explicit access level the owner set for a URI (whether or not it is in the list). */
export interface AccessEntry {
  uri: string;
  level: AccessLevel;
}

/** The whole list as the owner's endpoints see it. `version` grows by one with every command that changed it. */
export interface ContactList {
  version: number;
  groups: ContactGroup[];
  contacts: Contact[];
  accessLevels: AccessEntry[];
}

/** One change, as told to the owner's endpoints (NOTIFY delta) and to server listeners (presence). */
export type ContactChange =
  | { kind: 'contactAdded'; version: number; contact: Contact }
  | { kind: 'contactRemoved'; version: number; uri: string }
  | { kind: 'contactMoved'; version: number; uri: string; groupId: number; fromGroupId: number }
  | { kind: 'contactRenamed'; version: number; uri: string; displayName: string }
  | { kind: 'groupAdded'; version: number; group: ContactGroup }
  | { kind: 'groupRenamed'; version: number; group: ContactGroup }
  | { kind: 'groupRemoved'; version: number; groupId: number }
  /** `explicit` null: back to the domain default; `level` is the effective level either way. */
  | { kind: 'accessLevel'; version: number; uri: string; level: AccessLevel; explicit: AccessLevel | null };

// ---- commands (the client's requests; docs/protocol.md "Contacts") ----

const Uri = Type.String({ minLength: 5, maxLength: CONTACT_URI_MAX_LENGTH });
const GroupId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const GroupName = Type.String({ minLength: 1, maxLength: GROUP_NAME_MAX_LENGTH });
const DisplayName = Type.String({ maxLength: CONTACT_DISPLAY_NAME_MAX_LENGTH });
export const AccessLevelSchema = Type.Union(ACCESS_LEVELS.map((l) => Type.Literal(l)));

const strict = { additionalProperties: false } as const;

export const ContactCommand = Type.Union([
  Type.Object({ op: Type.Literal('add'), uri: Uri, displayName: Type.Optional(DisplayName), groupId: Type.Optional(GroupId) }, strict),
  Type.Object({ op: Type.Literal('remove'), uri: Uri }, strict),
  Type.Object({ op: Type.Literal('move'), uri: Uri, groupId: GroupId }, strict),
  Type.Object({ op: Type.Literal('rename'), uri: Uri, displayName: DisplayName }, strict),
  Type.Object({ op: Type.Literal('addGroup'), name: GroupName }, strict),
  Type.Object({ op: Type.Literal('renameGroup'), groupId: GroupId, name: GroupName }, strict),
  Type.Object({ op: Type.Literal('removeGroup'), groupId: GroupId }, strict),
  /** `level` null clears the explicit level (back to the domain default). */
  Type.Object({ op: Type.Literal('setAccessLevel'), uri: Uri, level: Type.Union([AccessLevelSchema, Type.Null()]) }, strict),
]);
export type ContactCommand = Static<typeof ContactCommand>;
export type ContactOp = ContactCommand['op'];

/** The 200 answer to a command. `groupId` is set for addGroup (the new group's id). */
export interface ContactCommandResult {
  version: number;
  groupId?: number;
}

// ---- errors (SIP status + a code the client can switch on; only RFC 3261 §21 statuses) ----

export const CONTACT_ERRORS = {
  INVALID_COMMAND: { status: 400, message: 'the command does not match the schema' },
  INVALID_URI: { status: 400, message: 'not a valid sip: URI' },
  NOT_OWNER: { status: 403, message: 'only the owner may read or change a contact list' },
  LIMIT: { status: 403, message: 'limit reached' },
  NO_SUCH_USER: { status: 404, message: 'no such user in this domain' },
  NOT_IN_LIST: { status: 404, message: 'contact is not in the list' },
  NO_SUCH_GROUP: { status: 404, message: 'no such group' },
  ALREADY_IN_LIST: { status: 400, message: 'contact is already in the list' },
  GROUP_EXISTS: { status: 400, message: 'a group with that name exists' },
  DEFAULT_GROUP: { status: 403, message: 'the default group cannot be removed' },
} as const;
export type ContactErrorCode = keyof typeof CONTACT_ERRORS;

/** Body of a refused command: `{ error: { code, message } }`. */
export interface ContactErrorBody {
  error: { code: ContactErrorCode; message: string };
}

// ---- URIs ----

const USER_PART = /^[a-z0-9\-_.!~*'()&=+$,;?/%]{1,128}$/;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/**
 * `sip:user@host` in lower case, without port, parameters or headers (a contact is an AOR, RFC 3261
 * §10: not an endpoint). Accepts `user@host` too. Undefined when it is not such a URI. URIs compare
 * case-insensitively here, as OCS did; our user names are lower case anyway.
 */
export function normalizeContactUri(input: string): string | undefined {
  let s = input.trim().toLowerCase();
  if (s.length > CONTACT_URI_MAX_LENGTH) return undefined;
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1);
  if (s.startsWith('sip:')) s = s.slice(4);
  else if (/^[a-z][a-z0-9+.-]*:/.test(s) && !/^[^:@]+@/.test(s)) return undefined; // tel:, sips:, http:, ...
  const at = s.lastIndexOf('@');
  if (at <= 0) return undefined;
  const user = s.slice(0, at);
  let host = s.slice(at + 1);
  host = host.replace(/;.*$/, '').replace(/\?.*$/, '');
  host = host.startsWith('[') ? host.replace(/(\]):\d+$/, '$1') : host.replace(/:\d+$/, '');
  if (!USER_PART.test(user) || !HOST.test(host)) return undefined;
  return `sip:${user}@${host}`;
}

/** The host of a normalized contact URI. */
export function uriDomain(uri: string): string {
  return uri.slice(uri.lastIndexOf('@') + 1);
}

/** The user part of a normalized contact URI. */
export function uriUser(uri: string): string {
  return uri.slice(4, uri.lastIndexOf('@'));
}

/**
 * The level a user of `ownerDomain` grants `watcherUri` when nothing is set: the owner themself is
 * Personal, the same domain Colleague, other domains Public (OCS 2007 R2 defaults).
 */
export function defaultAccessLevel(ownerUri: string, watcherUri: string): AccessLevel {
  if (watcherUri === ownerUri) return 'personal';
  return uriDomain(watcherUri) === uriDomain(ownerUri) ? 'colleague' : 'public';
}

// ---- SIP wire (docs/protocol.md) ----

/** SUBSCRIBE/NOTIFY event package for one's own contact list (RFC 6665 §7.2: our own package). */
export const CONTACTS_EVENT = 'vnd-ocs-contacts';
/** NOTIFY body: ContactsDocument. */
export const CONTACTS_DOCUMENT_TYPE = 'application/vnd.ocs-contacts+json';
/** MESSAGE to one's own AOR carrying a ContactCommand. */
export const CONTACTS_COMMAND_TYPE = 'application/vnd.ocs-contacts-command+json';
/** 200 body (ContactCommandResult) and 4xx body (ContactErrorBody). */
export const CONTACTS_RESULT_TYPE = 'application/vnd.ocs-contacts-result+json';

/**
 * A NOTIFY body. `full`: the whole list; a big list comes in `parts` NOTIFYs of one version, sent
 * in order (part 0..parts-1), each with some of the groups, contacts and access levels: the client
 * replaces its list once it has every part. `delta`: the changes that made `version` out of `from`;
 * a client whose version is not `from` re-subscribes (refresh) to get the full list.
 */
export type ContactsDocument =
  | { type: 'full'; version: number; part: number; parts: number; groups: ContactGroup[]; contacts: Contact[]; accessLevels: AccessEntry[] }
  | { type: 'delta'; from: number; version: number; changes: ContactChange[] };

// ---- directory search (GET /api/directory?q=) ----

export const DirectoryQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 64 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) });
export type DirectoryQuery = Static<typeof DirectoryQuery>;

export const DirectoryEntry = Type.Object({ name: Type.String(), displayName: Type.String(), uri: Type.String() });
export type DirectoryEntry = Static<typeof DirectoryEntry>;

export const DirectoryResponse = Type.Object({ items: Type.Array(DirectoryEntry) });
export type DirectoryResponse = Static<typeof DirectoryResponse>;

// ---- the client's replica of its list (pure; the web client and the tests use it) ----

/** What an endpoint holds: the list, a full list being assembled from parts, and whether it must re-subscribe. */
export interface ContactsReplica {
  list?: ContactList;
  assembling?: { version: number; docs: Extract<ContactsDocument, { type: 'full' }>[] };
  /** A delta did not follow the version held: refresh the subscription to get the full list. */
  stale: boolean;
}

export const EMPTY_REPLICA: ContactsReplica = { stale: false };

/** Applies one NOTIFY body to a replica (returns a new one; the input is not changed). */
export function applyContactsDocument(replica: ContactsReplica, doc: ContactsDocument): ContactsReplica {
  if (doc.type === 'full') {
    const same = replica.assembling?.version === doc.version ? replica.assembling.docs.filter((d) => d.part !== doc.part) : [];
    const docs = [...same, doc];
    if (docs.length < doc.parts) return { ...replica, assembling: { version: doc.version, docs } };
    docs.sort((a, b) => a.part - b.part);
    const list: ContactList = {
      version: doc.version,
      groups: docs.flatMap((d) => d.groups),
      contacts: docs.flatMap((d) => d.contacts),
      accessLevels: docs.flatMap((d) => d.accessLevels),
    };
    return { list, stale: false };
  }
  if (replica.list && replica.list.version >= doc.version) return replica; // already has it
  if (!replica.list || replica.list.version !== doc.from) return { ...replica, stale: true };
  let list = replica.list;
  for (const c of doc.changes) list = applyContactChange(list, c);
  return { ...replica, list: { ...list, version: doc.version } };
}

export function applyContactChange(list: ContactList, c: ContactChange): ContactList {
  const contacts = (f: (x: Contact) => Contact | undefined): Contact[] => list.contacts.flatMap((x) => f(x) ?? []);
  switch (c.kind) {
    case 'contactAdded':
      return { ...list, contacts: [...list.contacts.filter((x) => x.uri !== c.contact.uri), c.contact] };
    case 'contactRemoved':
      return { ...list, contacts: contacts((x) => (x.uri === c.uri ? undefined : x)) };
    case 'contactMoved':
      return { ...list, contacts: contacts((x) => (x.uri === c.uri ? { ...x, groupId: c.groupId } : x)) };
    case 'contactRenamed':
      return { ...list, contacts: contacts((x) => (x.uri === c.uri ? { ...x, displayName: c.displayName } : x)) };
    case 'groupAdded':
      return { ...list, groups: [...list.groups.filter((g) => g.id !== c.group.id), c.group] };
    case 'groupRenamed':
      return { ...list, groups: list.groups.map((g) => (g.id === c.group.id ? c.group : g)) };
    case 'groupRemoved':
      return { ...list, groups: list.groups.filter((g) => g.id !== c.groupId) };
    case 'accessLevel': {
      const accessLevels = list.accessLevels.filter((a) => a.uri !== c.uri);
      if (c.explicit) accessLevels.push({ uri: c.uri, level: c.explicit });
      accessLevels.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
      return {
        ...list,
        accessLevels,
        contacts: contacts((x) => (x.uri === c.uri ? { ...x, accessLevel: c.level, accessLevelSet: c.explicit !== null } : x)),
      };
    }
  }
}
