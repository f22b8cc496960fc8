/**
 * Demo accounts for a first start, so someone can sign in and try chat, presence and calls at
 * once. Created only while the user table is empty; the passwords are random and returned to the
 * caller (the server prints them once), never logged here.
 */
import { randomBytes } from 'node:crypto';
import type { Db, NewUserInput } from '../db/index';
import { DuplicateUserError } from '../db/index';

/** 555-01xx numbers are reserved for fiction (NANP), so they never ring a real phone. */
const DEMO_USERS: Omit<NewUserInput, 'password'>[] = [
  { name: 'alice', displayName: 'Alice Admin', phone: '+14255550101', admin: true },
  { name: 'bob', displayName: 'Bob Builder', phone: '+14255550102' },
  { name: 'carol', displayName: 'Carol Singer', phone: '+14255550103' },
  { name: 'dave', displayName: 'Dave Dialer', phone: '+14255550104' },
];

export async function seedDemoUsers(db: Db, realm: string, log: (msg: string) => void): Promise<{ name: string; password: string }[] | undefined> {
  if ((await db.users.count()) > 0) return undefined;
  const created: { name: string; password: string }[] = [];
  for (const demo of DEMO_USERS) {
    const password = randomBytes(12).toString('base64url');
    try {
      await db.users.create({ ...demo, password }, realm);
      created.push({ name: demo.name, password });
    } catch (err) {
      // Another Front End of the pool seeded at the same moment: its passwords are the valid ones.
      if (!(err instanceof DuplicateUserError)) throw err;
    }
  }
  if (created.length === 0) return undefined;
  log(`created demo users: ${created.map((u) => u.name).join(', ')} (alice is an administrator)`);
  return created;
}
