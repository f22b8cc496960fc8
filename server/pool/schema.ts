/**
 * The pool's tables: the Front Ends sharing this database, with the SIP address the others reach
 * them on and when they were last heard from (a heartbeat); and which member is the home of what
 * must live on one Front End (a conference's Focus). Append versions; never edit one.
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
    {
      version: 2,
      name: 'pool_homes',
      up: `
        CREATE TABLE pool_homes (
          home_key TEXT PRIMARY KEY,
          front_end TEXT NOT NULL,
          claimed_at BIGINT NOT NULL
        );
      `,
    },
  ],
};
