/**
 * A Front End's identity must outlive its process: bindings, publications and Record-Routes are
 * keyed by it, so a restarted Front End finds what it acknowledged before (RFC 3261 §10.3: a
 * registrar must not forget a binding it accepted). It comes from OCS_FRONT_END_ID, or is made
 * once and kept in the data dir (each Front End of a pool has its own data dir).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VALID = /^[a-z0-9]{4,32}$/;

export function frontEndId(dataDir: string, configured?: string): string {
  if (configured !== undefined) {
    if (!VALID.test(configured)) throw new Error(`OCS_FRONT_END_ID must be 4 to 32 lower-case letters or digits, got "${configured}"`);
    return configured;
  }
  const file = join(dataDir, 'front-end-id');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (VALID.test(stored)) return stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomBytes(5).toString('hex');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, id + '\n', { flag: 'w' });
  return id;
}
