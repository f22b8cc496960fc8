/** Key/value settings shared by every Front End on the same database (admin page, secrets). */
import { randomBytes } from 'node:crypto';
import type { SqlDriver } from './driver/types';
import type { WriteQueue } from './queue';

const SECRET_BYTES = 32;

export class SettingsStore {
  constructor(
    private readonly sql: SqlDriver,
    private readonly queue: WriteQueue,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.sql.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
  }

  set(key: string, value: string): Promise<void> {
    return this.queue.enqueue(async (tx) => {
      await tx.run('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', [
        key,
        value,
        Date.now(),
      ]);
    });
  }

  /** Resolves with true when the key existed. */
  delete(key: string): Promise<boolean> {
    return this.queue.enqueue(async (tx) => (await tx.run('DELETE FROM settings WHERE key = ?', [key])) > 0);
  }

  /**
   * 32 random bytes stored under `key`, created by whichever Front End asks first: INSERT ... ON
   * CONFLICT DO NOTHING makes creation atomic, then everyone reads the one winning value.
   */
  async getOrCreateSecret(key: string): Promise<Buffer> {
    const existing = await this.get(key);
    if (existing !== undefined) return Buffer.from(existing, 'base64');
    const candidate = randomBytes(SECRET_BYTES).toString('base64');
    await this.queue.enqueue(async (tx) => {
      await tx.run('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING', [key, candidate, Date.now()]);
    });
    const stored = await this.get(key);
    if (stored === undefined) throw new Error(`secret "${key}" vanished after creation`);
    return Buffer.from(stored, 'base64');
  }
}
