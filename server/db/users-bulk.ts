/**
 * Bulk user provisioning (CSV import, directory sync). Everything is validated first, names
 * already taken are skipped before paying for scrypt, then hashing runs a chunk at a time on the
 * libuv threadpool (all cores) while the previous chunk is inserted as one multi-row statement.
 */
import { normalizeUserName, validateNewUser } from '../../shared/users';
import type { SqlDriver, SqlValue } from './driver/types';
import { digestHa1, hashPassword, type ScryptCost } from './password';
import type { WriteQueue } from './queue';

export interface NewUserInput {
  name: string;
  password: string;
  displayName?: string;
  phone?: string;
  admin?: boolean;
}

export interface BulkResult {
  created: number;
  errors: { line: number; message: string }[];
}

/** Rows per INSERT: 500 x 10 parameters stays far below SQLite's 32,766 and PostgreSQL's 65,535. */
const CHUNK = 500;

interface Candidate {
  line: number;
  name: string;
  input: NewUserInput;
}

async function takenNames(sql: SqlDriver, names: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (let i = 0; i < names.length; i += CHUNK) {
    const part = names.slice(i, i + CHUNK);
    const rows = await sql.query<{ name: string }>(`SELECT name FROM users WHERE name IN (${part.map(() => '?').join(', ')})`, part);
    for (const r of rows) taken.add(r.name);
  }
  return taken;
}

export async function createUsersInBulk(
  sql: SqlDriver,
  queue: WriteQueue,
  cost: ScryptCost,
  inputs: readonly (NewUserInput & { line?: number })[],
  realm: string,
): Promise<BulkResult> {
  const errors: BulkResult['errors'] = [];
  const firstLine = new Map<string, number>();
  let candidates: Candidate[] = [];
  inputs.forEach((input, i) => {
    const line = input.line ?? i + 1;
    const name = normalizeUserName(input.name);
    const problem = validateNewUser({ ...input, name });
    if (problem) return void errors.push({ line, message: problem.message });
    const first = firstLine.get(name);
    if (first !== undefined) return void errors.push({ line, message: `duplicate name "${name}" (first on line ${first})` });
    firstLine.set(name, line);
    candidates.push({ line, name, input });
  });

  const taken = await takenNames(sql, candidates.map((c) => c.name));
  candidates = candidates.filter((c) => {
    if (taken.has(c.name)) errors.push({ line: c.line, message: `user "${c.name}" already exists` });
    return !taken.has(c.name);
  });

  let created = 0;
  const inserts: Promise<void>[] = [];
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const hashes = await Promise.all(chunk.map((c) => hashPassword(c.input.password, cost)));
    const now = Date.now();
    const params: SqlValue[] = [];
    chunk.forEach((c, j) => {
      const { ha1Md5, ha1Sha256 } = digestHa1(c.name, realm, c.input.password);
      params.push(c.name, c.input.displayName ?? '', c.input.phone || null, c.input.admin ? 1 : 0, hashes[j]!, realm, ha1Md5, ha1Sha256, now, now);
    });
    const values = chunk.map(() => '(?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)').join(', ');
    const insert = queue
      .enqueue((tx) =>
        tx.query<{ name: string }>(
          `INSERT INTO users (name, display_name, phone, admin, disabled, password_hash, realm, ha1_md5, ha1_sha256, created_at, updated_at)
           VALUES ${values} ON CONFLICT (name) DO NOTHING RETURNING name`,
          params,
        ),
      )
      .then(
        (rows) => {
          const inserted = new Set(rows.map((r) => r.name));
          created += inserted.size;
          // Created by someone else between our check and our insert.
          for (const c of chunk) if (!inserted.has(c.name)) errors.push({ line: c.line, message: `user "${c.name}" already exists` });
        },
        (err: unknown) => {
          for (const c of chunk) errors.push({ line: c.line, message: `not stored: ${(err as Error).message}` });
        },
      );
    inserts.push(insert);
  }
  await Promise.all(inserts);
  errors.sort((a, b) => a.line - b.line);
  return { created, errors };
}
