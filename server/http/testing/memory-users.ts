/**
 * An in-memory HttpUserStore for HTTP tests (and a reference for what server/http expects from
 * server/db's UserStore): scrypt-hashed passwords, case-sensitive lower-case names.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { HttpUser, HttpUserStore, NewUser, UserListPage } from '../deps';

interface Row extends HttpUser {
  salt: Buffer;
  hash: Buffer;
}

export class MemoryUserStore implements HttpUserStore {
  private readonly rows = new Map<string, Row>();
  private nextId = 1;

  async verifyPassword(name: string, password: string): Promise<HttpUser | undefined> {
    const row = this.rows.get(name);
    // Hash even for unknown users so the answer time does not reveal which names exist.
    const salt = row?.salt ?? Buffer.alloc(16);
    const hash = scryptSync(password, salt, 32, { N: 1024 });
    if (!row || !timingSafeEqual(hash, row.hash)) return undefined;
    return this.public(row);
  }

  findByName(name: string): HttpUser | undefined {
    const row = this.rows.get(name);
    return row ? this.public(row) : undefined;
  }

  list(query: { offset: number; limit: number; search?: string }): UserListPage {
    const needle = query.search?.toLowerCase();
    const all = [...this.rows.values()]
      .filter((r) => !needle || r.name.includes(needle) || r.displayName.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { items: all.slice(query.offset, query.offset + query.limit).map((r) => this.public(r)), total: all.length };
  }

  create(user: NewUser): HttpUser {
    if (this.rows.has(user.name)) throw new Error(`user exists: ${user.name}`);
    const salt = randomBytes(16);
    const row: Row = {
      id: this.nextId++,
      name: user.name,
      displayName: user.displayName,
      ...(user.phone ? { phone: user.phone } : {}),
      admin: user.admin ?? false,
      disabled: false,
      createdAt: new Date(),
      salt,
      hash: scryptSync(user.password, salt, 32, { N: 1024 }),
    };
    this.rows.set(user.name, row);
    return this.public(row);
  }

  setDisabled(name: string, disabled: boolean): void {
    this.mustGet(name).disabled = disabled;
  }

  setAdmin(name: string, admin: boolean): void {
    this.mustGet(name).admin = admin;
  }

  setPassword(name: string, password: string): void {
    const row = this.mustGet(name);
    row.salt = randomBytes(16);
    row.hash = scryptSync(password, row.salt, 32, { N: 1024 });
  }

  private mustGet(name: string): Row {
    const row = this.rows.get(name);
    if (!row) throw new Error(`no such user: ${name}`);
    return row;
  }

  private public(row: Row): HttpUser {
    const { salt: _salt, hash: _hash, ...user } = row;
    return { ...user };
  }
}
