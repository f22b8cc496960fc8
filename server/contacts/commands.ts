/**
 * One handler per contact command (STYLE.md: handler tables, not a long switch). Each runs inside
 * the write queue's transaction for the owner's list: it checks everything first, then writes,
 * and records the changes it made. `ListTx` keeps the version bump and the change log in one place.
 */
import {
  type AccessLevel,
  type Contact,
  type ContactChange,
  type ContactCommand,
  type ContactGroup,
  type ContactLimits,
  type ContactOp,
  DEFAULT_GROUP_ID,
  defaultAccessLevel,
  normalizeContactUri,
  uriDomain,
  uriUser,
} from '../../shared/contacts';
import type { Tx } from '../db/index';
import { ContactError } from './errors';

/** Distributes Omit over the union so each change keeps its own fields. */
type ChangeBody = ContactChange extends infer C ? (C extends ContactChange ? Omit<C, 'version'> : never) : never;

export interface ListTx {
  tx: Tx;
  owner: string;
  ownerUri: string;
  domain: string;
  limits: ContactLimits;
  /** The version this command produces if it changes anything. */
  nextVersion: number;
  changes: ContactChange[];
  /** Set by the first write: a refusal after it must roll the transaction back. */
  wrote: boolean;
  /** Handler-specific result (addGroup: the new group's id). */
  groupId?: number;
}

type Handler<K extends ContactOp> = (s: ListTx, cmd: Extract<ContactCommand, { op: K }>) => Promise<void>;

function uriOf(input: string): string {
  const uri = normalizeContactUri(input);
  if (!uri) throw new ContactError('INVALID_URI', `not a valid sip: URI: ${input.slice(0, 80)}`);
  return uri;
}

function record(s: ListTx, change: ChangeBody): void {
  s.changes.push({ ...change, version: s.nextVersion } as ContactChange);
}

async function write(s: ListTx, sql: string, params: (string | number | null)[]): Promise<number> {
  s.wrote = true;
  return s.tx.run(sql, params);
}

async function explicitLevel(s: ListTx, uri: string): Promise<AccessLevel | undefined> {
  const row = await s.tx.get<{ level: string }>('SELECT level FROM contact_access WHERE owner = ? AND uri = ?', [s.owner, uri]);
  return row?.level as AccessLevel | undefined;
}

async function requireGroup(s: ListTx, groupId: number): Promise<ContactGroup> {
  const row = await s.tx.get<{ name: string }>('SELECT name FROM contact_groups WHERE owner = ? AND group_id = ?', [s.owner, groupId]);
  if (!row) throw new ContactError('NO_SUCH_GROUP', `no group ${groupId}`);
  return { id: groupId, name: row.name };
}

async function requireContact(s: ListTx, uri: string): Promise<{ groupId: number; displayName: string }> {
  const row = await s.tx.get<{ group_id: number; display_name: string }>('SELECT group_id, display_name FROM contacts WHERE owner = ? AND uri = ?', [s.owner, uri]);
  if (!row) throw new ContactError('NOT_IN_LIST', `${uri} is not in the list`);
  return { groupId: Number(row.group_id), displayName: row.display_name };
}

async function count(s: ListTx, table: 'contacts' | 'contact_groups' | 'contact_access'): Promise<number> {
  const row = await s.tx.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE owner = ?`, [s.owner]);
  return Number(row?.n ?? 0);
}

async function groupNameTaken(s: ListTx, name: string, except?: number): Promise<boolean> {
  const rows = await s.tx.query<{ group_id: number; name: string }>('SELECT group_id, name FROM contact_groups WHERE owner = ?', [s.owner]);
  const wanted = name.trim().toLowerCase();
  return rows.some((r) => Number(r.group_id) !== except && r.name.trim().toLowerCase() === wanted);
}

function cleanName(name: string): string {
  const n = name.trim();
  // Control characters would break SIP header quoting and logs.
  if (!n || /[\u0000-\u001f\u007f]/.test(n)) throw new ContactError('INVALID_COMMAND', 'name must be non-empty, without control characters');
  return n;
}

function cleanDisplayName(name: string): string {
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ContactError('INVALID_COMMAND', 'displayName must not contain control characters');
  return name.trim();
}

const add: Handler<'add'> = async (s, cmd) => {
  const uri = uriOf(cmd.uri);
  const groupId = cmd.groupId ?? DEFAULT_GROUP_ID;
  let displayName = cmd.displayName !== undefined ? cleanDisplayName(cmd.displayName) : undefined;
  if (await s.tx.get('SELECT 1 AS x FROM contacts WHERE owner = ? AND uri = ?', [s.owner, uri])) {
    throw new ContactError('ALREADY_IN_LIST', `${uri} is already in the list`);
  }
  await requireGroup(s, groupId);
  if ((await count(s, 'contacts')) >= s.limits.maxContacts) throw new ContactError('LIMIT', `at most ${s.limits.maxContacts} contacts`);
  if (uriDomain(uri) === s.domain) {
    // A user of our domain must exist; other domains are accepted as any valid SIP URI (federation later).
    const user = await s.tx.get<{ display_name: string }>('SELECT display_name FROM users WHERE name = ?', [uriUser(uri)]);
    if (!user) throw new ContactError('NO_SUCH_USER', `no user ${uri}`);
    displayName ??= user.display_name;
  }
  await write(s, 'INSERT INTO contacts (owner, uri, display_name, group_id, added_at) VALUES (?, ?, ?, ?, ?)', [s.owner, uri, displayName ?? '', groupId, Date.now()]);
  const explicit = await explicitLevel(s, uri);
  const contact: Contact = {
    uri,
    displayName: displayName ?? '',
    groupId,
    accessLevel: explicit ?? defaultAccessLevel(s.ownerUri, uri),
    accessLevelSet: explicit !== undefined,
  };
  record(s, { kind: 'contactAdded', contact });
};

const remove: Handler<'remove'> = async (s, cmd) => {
  const uri = uriOf(cmd.uri);
  await requireContact(s, uri);
  await write(s, 'DELETE FROM contacts WHERE owner = ? AND uri = ?', [s.owner, uri]);
  record(s, { kind: 'contactRemoved', uri });
};

const move: Handler<'move'> = async (s, cmd) => {
  const uri = uriOf(cmd.uri);
  const current = await requireContact(s, uri);
  await requireGroup(s, cmd.groupId);
  if (current.groupId === cmd.groupId) return;
  await write(s, 'UPDATE contacts SET group_id = ? WHERE owner = ? AND uri = ?', [cmd.groupId, s.owner, uri]);
  record(s, { kind: 'contactMoved', uri, groupId: cmd.groupId, fromGroupId: current.groupId });
};

const rename: Handler<'rename'> = async (s, cmd) => {
  const uri = uriOf(cmd.uri);
  const current = await requireContact(s, uri);
  const displayName = cleanDisplayName(cmd.displayName);
  if (current.displayName === displayName) return;
  await write(s, 'UPDATE contacts SET display_name = ? WHERE owner = ? AND uri = ?', [displayName, s.owner, uri]);
  record(s, { kind: 'contactRenamed', uri, displayName });
};

const addGroup: Handler<'addGroup'> = async (s, cmd) => {
  const name = cleanName(cmd.name);
  if (await groupNameTaken(s, name)) throw new ContactError('GROUP_EXISTS', `a group named "${name}" exists`);
  if ((await count(s, 'contact_groups')) >= s.limits.maxGroups) throw new ContactError('LIMIT', `at most ${s.limits.maxGroups} groups`);
  const row = await s.tx.get<{ next_group_id: number }>('SELECT next_group_id FROM contact_lists WHERE owner = ?', [s.owner]);
  const id = Number(row!.next_group_id);
  await write(s, 'INSERT INTO contact_groups (owner, group_id, name) VALUES (?, ?, ?)', [s.owner, id, name]);
  await write(s, 'UPDATE contact_lists SET next_group_id = ? WHERE owner = ?', [id + 1, s.owner]);
  s.groupId = id;
  record(s, { kind: 'groupAdded', group: { id, name } });
};

const renameGroup: Handler<'renameGroup'> = async (s, cmd) => {
  const name = cleanName(cmd.name);
  const group = await requireGroup(s, cmd.groupId);
  if (group.name === name) return;
  if (await groupNameTaken(s, name, cmd.groupId)) throw new ContactError('GROUP_EXISTS', `a group named "${name}" exists`);
  await write(s, 'UPDATE contact_groups SET name = ? WHERE owner = ? AND group_id = ?', [name, s.owner, cmd.groupId]);
  record(s, { kind: 'groupRenamed', group: { id: cmd.groupId, name } });
};

/** The group's contacts move to the default group rather than vanish with it. */
const removeGroup: Handler<'removeGroup'> = async (s, cmd) => {
  if (cmd.groupId === DEFAULT_GROUP_ID) throw new ContactError('DEFAULT_GROUP');
  await requireGroup(s, cmd.groupId);
  const members = await s.tx.query<{ uri: string }>('SELECT uri FROM contacts WHERE owner = ? AND group_id = ? ORDER BY uri', [s.owner, cmd.groupId]);
  await write(s, 'UPDATE contacts SET group_id = ? WHERE owner = ? AND group_id = ?', [DEFAULT_GROUP_ID, s.owner, cmd.groupId]);
  await write(s, 'DELETE FROM contact_groups WHERE owner = ? AND group_id = ?', [s.owner, cmd.groupId]);
  for (const m of members) record(s, { kind: 'contactMoved', uri: m.uri, groupId: DEFAULT_GROUP_ID, fromGroupId: cmd.groupId });
  record(s, { kind: 'groupRemoved', groupId: cmd.groupId });
};

const setAccessLevel: Handler<'setAccessLevel'> = async (s, cmd) => {
  const uri = uriOf(cmd.uri);
  const current = await explicitLevel(s, uri);
  const wanted = cmd.level ?? undefined;
  if (current === wanted) return;
  if (wanted === undefined) {
    await write(s, 'DELETE FROM contact_access WHERE owner = ? AND uri = ?', [s.owner, uri]);
  } else if (current === undefined) {
    if ((await count(s, 'contact_access')) >= s.limits.maxAccessEntries) throw new ContactError('LIMIT', `at most ${s.limits.maxAccessEntries} access levels`);
    await write(s, 'INSERT INTO contact_access (owner, uri, level) VALUES (?, ?, ?)', [s.owner, uri, wanted]);
  } else {
    await write(s, 'UPDATE contact_access SET level = ? WHERE owner = ? AND uri = ?', [wanted, s.owner, uri]);
  }
  record(s, { kind: 'accessLevel', uri, level: wanted ?? defaultAccessLevel(s.ownerUri, uri), explicit: wanted ?? null });
};

export const COMMAND_HANDLERS: { [K in ContactOp]: Handler<K> } = {
  add,
  remove,
  move,
  rename,
  addGroup,
  renameGroup,
  removeGroup,
  setAccessLevel,
};
