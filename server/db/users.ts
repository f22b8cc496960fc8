/**
 * User accounts: login (scrypt) and SIP digest credentials (HA1 per realm), never the password.
 * Reads go to the driver, except the two read on every SIP request (digest credentials, the public
 * record), which go through a ReadCache (see there for how fresh it is); writes go through the
 * WriteQueue and invalidate the cache for their user.
 */
import { normalizeUserName as normalizeName, validateDisplayName, validateNewUser, validatePassword, validatePhone, type User } from '../../shared/users';
import type { SqlDriver, SqlValue, Tx } from './driver/types';
import { DuplicateUserError, UserNotFoundError, ValidationError } from './errors';
import { DEFAULT_SCRYPT_COST, digestHa1, hashPassword, needsRehash, verifyPasswordHash, type ScryptCost } from './password';
import type { WriteQueue } from './queue';
import { ReadCache } from './read-cache';
import { createUsersInBulk, type BulkResult, type NewUserInput } from './users-bulk';

export type { User } from '../../shared/users';
export type { BulkResult, NewUserInput } from './users-bulk';

export interface DigestCredentials {
  realm: string;
  ha1Md5: string;
  ha1Sha256: string;
  disabled: boolean;
}

export interface UserListOptions {
  offset?: number;
  /** Default 100, at most 1000. */
  limit?: number;
  /** Case-insensitive substring of name, display name or phone. */
  search?: string;
}

export interface UserRow {
  id: number;
  name: string;
  display_name: string;
  phone: string | null;
  admin: number;
  disabled: number;
  created_at: number;
  password_hash: string;
  realm: string;
  ha1_md5: string;
  ha1_sha256: string;
}

export const PUBLIC_COLUMNS = 'id, name, display_name, phone, admin, disabled, created_at';

export function toUser(row: Omit<UserRow, 'password_hash' | 'realm' | 'ha1_md5' | 'ha1_sha256'>): User {
  const user: User = {
    id: Number(row.id),
    name: row.name,
    displayName: row.display_name,
    admin: Number(row.admin) === 1,
    disabled: Number(row.disabled) === 1,
    createdAt: Number(row.created_at),
  };
  if (row.phone) user.phone = row.phone;
  return user;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class UserStore {
  /** A stand-in hash checked for unknown names so "no such user" costs the same time as "wrong password". */
  private dummyHash: Promise<string> | undefined;
  private readonly digestCache: ReadCache<DigestCredentials>;
  private readonly publicCache: ReadCache<User>;

  constructor(
    private readonly sql: SqlDriver,
    private readonly queue: WriteQueue,
    private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {
    const externalVersion = sql.externalVersion?.bind(sql);
    this.digestCache = new ReadCache({ externalVersion });
    this.publicCache = new ReadCache({ externalVersion });
  }

  async create(input: NewUserInput, realm: string): Promise<User> {
    const name = normalizeName(input.name);
    const problem = validateNewUser({ ...input, name });
    if (problem) throw new ValidationError(problem.field, problem.message);
    // Cheap check first so a duplicate does not pay for scrypt; the UNIQUE constraint decides races.
    if (await this.sql.get('SELECT id FROM users WHERE name = ?', [name])) throw new DuplicateUserError(name);
    const row = await this.credentialRow(name, input.password, realm);
    const now = Date.now();
    const inserted = await this.queue.enqueue((tx) =>
      tx.get<{ id: number }>(
        `INSERT INTO users (name, display_name, phone, admin, disabled, password_hash, realm, ha1_md5, ha1_sha256, created_at, updated_at)
         VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id`,
        [name, input.displayName ?? '', input.phone || null, input.admin ? 1 : 0, row.hash, realm, row.ha1Md5, row.ha1Sha256, now, now],
      ),
    );
    if (!inserted) throw new DuplicateUserError(name);
    const user: User = { id: Number(inserted.id), name, displayName: input.displayName ?? '', admin: !!input.admin, disabled: false, createdAt: now };
    if (input.phone) user.phone = input.phone;
    return user;
  }

  /** Bulk provisioning; `line` of each error is the input's `line` or its 1-based index. */
  createMany(inputs: readonly (NewUserInput & { line?: number })[], realm: string): Promise<BulkResult> {
    return createUsersInBulk(this.sql, this.queue, this.cost, inputs, realm);
  }

  /** The caller gets its own copy (the cached record stays as read). */
  async findByName(name: string): Promise<User | undefined> {
    const n = normalizeName(name);
    const user = await this.publicCache.get(n, async () => {
      const row = await this.sql.get<UserRow>(`SELECT ${PUBLIC_COLUMNS} FROM users WHERE name = ?`, [n]);
      return row && toUser(row);
    });
    return user && { ...user };
  }

  async list(opts: UserListOptions = {}): Promise<{ users: User[]; total: number }> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 0), 1000);
    const offset = Math.max(Math.trunc(opts.offset ?? 0), 0);
    let where = '';
    const params: SqlValue[] = [];
    if (opts.search) {
      // LOWER() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
      const pattern = `%${escapeLike(opts.search.toLowerCase())}%`;
      where = `WHERE LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\'`;
      params.push(pattern, pattern, pattern);
    }
    const [rows, total] = await Promise.all([
      this.sql.query<UserRow>(`SELECT ${PUBLIC_COLUMNS} FROM users ${where} ORDER BY name LIMIT ? OFFSET ?`, [...params, limit, offset]),
      this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM users ${where}`, params),
    ]);
    return { users: rows.map(toUser), total: Number(total?.n ?? 0) };
  }

  /** The user when the password is right and the account enabled; otherwise undefined. */
  async verifyPassword(name: string, password: string): Promise<User | undefined> {
    const row = await this.sql.get<UserRow>(`SELECT ${PUBLIC_COLUMNS}, password_hash FROM users WHERE name = ?`, [normalizeName(name)]);
    if (!row) {
      this.dummyHash ??= hashPassword('not a password of anyone', this.cost);
      await verifyPasswordHash(await this.dummyHash, password);
      return undefined;
    }
    const ok = await verifyPasswordHash(row.password_hash, password);
    if (!ok || Number(row.disabled) === 1) return undefined;
    if (needsRehash(row.password_hash, this.cost)) void this.rehash(row.name, row.password_hash, password);
    return toUser(row);
  }

  async getDigestCredentials(name: string): Promise<DigestCredentials | undefined> {
    const n = normalizeName(name);
    const found = await this.digestCache.get(n, async () => {
      const row = await this.sql.get<UserRow>('SELECT realm, ha1_md5, ha1_sha256, disabled FROM users WHERE name = ?', [n]);
      return row && { realm: row.realm, ha1Md5: row.ha1_md5, ha1Sha256: row.ha1_sha256, disabled: Number(row.disabled) === 1 };
    });
    return found && { ...found };
  }

  async setPassword(name: string, password: string, realm: string): Promise<void> {
    const problem = validatePassword(password);
    if (problem) throw new ValidationError(problem.field, problem.message);
    const n = normalizeName(name);
    if (!(await this.sql.get('SELECT id FROM users WHERE name = ?', [n]))) throw new UserNotFoundError(n);
    const row = await this.credentialRow(n, password, realm);
    await this.updateRow(n, 'password_hash = ?, realm = ?, ha1_md5 = ?, ha1_sha256 = ?', [row.hash, realm, row.ha1Md5, row.ha1Sha256]);
  }

  setDisabled(name: string, disabled: boolean): Promise<void> {
    return this.updateRow(normalizeName(name), 'disabled = ?', [disabled ? 1 : 0]);
  }

  setAdmin(name: string, admin: boolean): Promise<void> {
    return this.updateRow(normalizeName(name), 'admin = ?', [admin ? 1 : 0]);
  }

  /** `phone: null` or '' clears the phone number. */
  async update(name: string, changes: { displayName?: string; phone?: string | null }): Promise<void> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    if (changes.displayName !== undefined) {
      const problem = validateDisplayName(changes.displayName);
      if (problem) throw new ValidationError(problem.field, problem.message);
      sets.push('display_name = ?');
      params.push(changes.displayName);
    }
    if (changes.phone !== undefined) {
      const problem = changes.phone ? validatePhone(changes.phone) : undefined;
      if (problem) throw new ValidationError(problem.field, problem.message);
      sets.push('phone = ?');
      params.push(changes.phone || null);
    }
    await this.updateRow(normalizeName(name), sets.join(', ') || 'name = name', params);
  }

  async count(): Promise<number> {
    const row = await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM users');
    return Number(row?.n ?? 0);
  }

  private async credentialRow(name: string, password: string, realm: string) {
    return { hash: await hashPassword(password, this.cost), ...digestHa1(name, realm, password) };
  }

  private async updateRow(name: string, set: string, params: SqlValue[]): Promise<void> {
    let changed: number;
    try {
      changed = await this.queue.enqueue((tx: Tx) => tx.run(`UPDATE users SET ${set}, updated_at = ? WHERE name = ?`, [...params, Date.now(), name]));
    } finally {
      this.digestCache.invalidate(name);
      this.publicCache.invalidate(name);
    }
    if (changed === 0) throw new UserNotFoundError(name);
  }

  /** Upgrades an old, cheaper hash after a successful login; only if the password did not change meanwhile. */
  private async rehash(name: string, oldHash: string, password: string): Promise<void> {
    try {
      const hash = await hashPassword(password, this.cost);
      await this.queue.enqueue((tx) => tx.run('UPDATE users SET password_hash = ? WHERE name = ? AND password_hash = ?', [hash, name, oldHash]));
    } catch {
      // Best effort: the old hash still works; the next login tries again.
    }
  }
}
