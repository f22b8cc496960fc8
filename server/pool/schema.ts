/**
 * The pool's table: the Front Ends sharing this database, with the SIP address the others reach
 * them on and when they were last heard from (a heartbeat). Append versions; never edit one.
 */
import type { MigrationSet } from '../db/migrate';

export const POOL_MIGRATIONS: MigrationSet = {
  module: 'pool',
  migrations: [
    {
      version: 1,
      name: 'pool_members',
      up: `
        CREATE TABLE pool_members (
          front_end TEXT PRIMARY KEY,
          sip_host TEXT NOT NULL,
          sip_port INTEGER NOT NULL,
          started_at BIGINT NOT NULL,
          seen_at BIGINT NOT NULL
        );
      `,
    },
  ],
};
