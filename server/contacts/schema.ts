/**
 * The contact service's tables. A list row per owner carries the version (grows with every change,
 * so endpoints can tell a delta from a gap) and the next group id (ids are never reused within a
 * list, so a stale client cannot move a contact into a group that replaced a deleted one).
 * Access levels are a table of their own: they apply to URIs whether or not they are in the list.
 * Append versions; never edit one.
 */
import type { MigrationSet } from '../db/migrate';

export const CONTACTS_MIGRATIONS: MigrationSet = {
  module: 'contacts',
  migrations: [
    {
      version: 1,
      name: 'contact_lists, contact_groups, contacts, contact_access',
      up: `
        CREATE TABLE contact_lists (
          owner TEXT PRIMARY KEY,
          version BIGINT NOT NULL,
          next_group_id INTEGER NOT NULL,
          updated_at BIGINT NOT NULL
        );
        CREATE TABLE contact_groups (
          owner TEXT NOT NULL,
          group_id INTEGER NOT NULL,
          name TEXT NOT NULL,
          PRIMARY KEY (owner, group_id)
        );
        CREATE TABLE contacts (
          owner TEXT NOT NULL,
          uri TEXT NOT NULL,
          display_name TEXT NOT NULL,
          group_id INTEGER NOT NULL,
          added_at BIGINT NOT NULL,
          PRIMARY KEY (owner, uri)
        );
        CREATE TABLE contact_access (
          owner TEXT NOT NULL,
          uri TEXT NOT NULL,
          level TEXT NOT NULL,
          PRIMARY KEY (owner, uri)
        );
      `,
    },
  ],
};
