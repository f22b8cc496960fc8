/**
 * The Conferencing Server Factory's tables: the MCUs that registered (with their last load report)
 * and which MCU carries which conference's media type. In the shared DB, so every Front End of a
 * pool reads the same registrations and makes the same choice. Append versions; never edit one.
 */
import type { MigrationSet } from '../../db/migrate';

export const MCU_FACTORY_MIGRATIONS: MigrationSet = {
  module: 'conferencing-factory',
  migrations: [
    {
      version: 1,
      name: 'mcus, conference_mcus',
      up: `
        CREATE TABLE mcus (
          mcu_id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          api_url TEXT NOT NULL,
          media_types TEXT NOT NULL,
          workers INTEGER NOT NULL,
          max_consumers INTEGER NOT NULL,
          version TEXT NOT NULL,
          load TEXT,
          load_at BIGINT NOT NULL,
          registered_at BIGINT NOT NULL,
          last_seen BIGINT NOT NULL
        );
        CREATE INDEX mcus_last_seen ON mcus (last_seen);

        CREATE TABLE conference_mcus (
          conference_id TEXT NOT NULL,
          media_type TEXT NOT NULL,
          mcu_id TEXT NOT NULL,
          assigned_at BIGINT NOT NULL,
          PRIMARY KEY (conference_id, media_type)
        );
        CREATE INDEX conference_mcus_mcu ON conference_mcus (mcu_id, assigned_at);
      `,
    },
  ],
};
