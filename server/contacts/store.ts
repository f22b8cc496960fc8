/**
 * Contact lists in the back-end DB (tables in schema.ts). Reads go straight to the query layer;
 * every command is one op of the write queue (one transaction): it creates the list with its
 * default group on first use, runs the command's handler and bumps the version when something
 * changed. A refusal found before any write is returned, not thrown, so the queue need not roll
 * back and re-run the neighbours of the batch (queue.ts).
 */
import {
  type AccessEntry,
  type AccessLevel,
  type ContactChange,
  type ContactCommand,
  type ContactGroup,
  type ContactLimits,
  type ContactList,
  DEFAULT_CONTACT_LIMITS,
  DEFAULT_GROUP_ID,
  DEFAULT_GROUP_NAME,
  defaultAccessLevel,
} from '../../shared/contacts';
import type { Db, SqlDriver, WriteQueue } from '../db/index';
import { COMMAND_HANDLERS, type ListTx } from './commands';
import { ContactError } from './errors';

export interface ApplyResult {
  version: number;
  /** Empty when the command changed nothing (e.g. a move into the group the contact is in). */
  changes: ContactChange[];
  groupId?: number;
}

export class ContactStore {
  private readonly sql: SqlDriver;
  private readonly queue: WriteQueue;
  readonly limits: ContactLimits;

  constructor(
    db: Pick<Db, 'sql' | 'queue'>,
    /** Our SIP domain: owners are `sip:<owner>@<domain>`. */
    readonly domain: string,
    limits: Partial<ContactLimits> = {},
  ) {
    this.sql = db.sql;
    this.queue = db.queue;
    this.limits = { ...DEFAULT_CONTACT_LIMITS, ...limits };
  }

  ownerUri(owner: string): string {
    return `sip:${owner}@${this.domain}`;
  }

  /** The whole list; a user who never changed theirs has version 0 and only the default group. */
  async load(owner: string): Promise<ContactList> {
    const [list, groups, contacts, access] = await Promise.all([
      this.sql.get<{ version: number | string }>('SELECT version FROM contact_lists WHERE owner = ?', [owner]),
      this.sql.query<{ group_id: number; name: string }>('SELECT group_id, name FROM contact_groups WHERE owner = ? ORDER BY group_id', [owner]),
      this.sql.query<{ uri: string; display_name: string; group_id: number }>(
        'SELECT uri, display_name, group_id FROM contacts WHERE owner = ? ORDER BY added_at, uri',
        [owner],
      ),
      this.sql.query<{ uri: string; level: string }>('SELECT uri, level FROM contact_access WHERE owner = ? ORDER BY uri', [owner]),
    ]);
    const explicit = new Map(access.map((a) => [a.uri, a.level as AccessLevel]));
    const ownerUri = this.ownerUri(owner);
    const groupList: ContactGroup[] = groups.map((g) => ({ id: Number(g.group_id), name: g.name }));
    if (!groupList.some((g) => g.id === DEFAULT_GROUP_ID)) groupList.unshift({ id: DEFAULT_GROUP_ID, name: DEFAULT_GROUP_NAME });
    return {
      version: Number(list?.version ?? 0),
      groups: groupList,
      contacts: contacts.map((c) => {
        const level = explicit.get(c.uri);
        return {
          uri: c.uri,
          displayName: c.display_name,
          groupId: Number(c.group_id),
          accessLevel: level ?? defaultAccessLevel(ownerUri, c.uri),
          accessLevelSet: level !== undefined,
        };
      }),
      accessLevels: access.map((a): AccessEntry => ({ uri: a.uri, level: a.level as AccessLevel })),
    };
  }

  /** Only the explicit access levels (what presence's fan-out needs, without the list). */
  async explicitAccessLevels(owner: string): Promise<Map<string, AccessLevel>> {
    const rows = await this.sql.query<{ uri: string; level: string }>('SELECT uri, level FROM contact_access WHERE owner = ?', [owner]);
    return new Map(rows.map((r) => [r.uri, r.level as AccessLevel]));
  }

  /** Runs one command; throws ContactError when it is refused (nothing is written then). */
  async apply(owner: string, command: ContactCommand): Promise<ApplyResult> {
    const outcome = await this.queue.enqueue(async (tx) => {
      const list = await this.ensureList(tx, owner);
      const s: ListTx = {
        tx,
        owner,
        ownerUri: this.ownerUri(owner),
        domain: this.domain,
        limits: this.limits,
        nextVersion: list.version + 1,
        changes: [],
        wrote: list.created,
      };
      try {
        await (COMMAND_HANDLERS[command.op] as (s: ListTx, c: ContactCommand) => Promise<void>)(s, command);
      } catch (err) {
        // Refused before writing: answer without a rollback. After a write: roll back (rethrow).
        if (err instanceof ContactError && !s.wrote) return { refused: err };
        throw err;
      }
      if (s.changes.length === 0) return { result: { version: list.version, changes: [], groupId: s.groupId } };
      await tx.run('UPDATE contact_lists SET version = ?, updated_at = ? WHERE owner = ?', [s.nextVersion, Date.now(), owner]);
      return { result: { version: s.nextVersion, changes: s.changes, groupId: s.groupId } };
    });
    if ('refused' in outcome) throw outcome.refused;
    const r: ApplyResult = { version: outcome.result.version, changes: outcome.result.changes };
    if (outcome.result.groupId !== undefined) r.groupId = outcome.result.groupId;
    return r;
  }

  /** The list row, created with the default group on the owner's first command. */
  private async ensureList(tx: import('../db/index').Tx, owner: string): Promise<{ version: number; created: boolean }> {
    const row = await tx.get<{ version: number | string }>('SELECT version FROM contact_lists WHERE owner = ?', [owner]);
    if (row) return { version: Number(row.version), created: false };
    await tx.run('INSERT INTO contact_lists (owner, version, next_group_id, updated_at) VALUES (?, 0, ?, ?)', [owner, DEFAULT_GROUP_ID + 1, Date.now()]);
    await tx.run('INSERT INTO contact_groups (owner, group_id, name) VALUES (?, ?, ?)', [owner, DEFAULT_GROUP_ID, DEFAULT_GROUP_NAME]);
    return { version: 0, created: true };
  }
}
