/**
 * The conferencing DB (seed: "the Focus Factory creates, modifies and deletes meetings in the
 * conferencing DB"): meetings with their invitees, and everything a Focus needs to resume a
 * conference on any Front End (lock, roster with roles, lobby, Focus mutes, guests). Append
 * versions; never edit one.
 */
import type { MigrationSet } from '../../db/migrate';

export const MEETINGS_MIGRATIONS: MigrationSet = {
  module: 'conferencing-meetings',
  migrations: [
    {
      version: 1,
      name: 'meetings, meeting_invitees, conference_participants, meeting_guests',
      up: `
        CREATE TABLE meetings (
          conference_id TEXT PRIMARY KEY,
          organizer TEXT NOT NULL,
          subject TEXT NOT NULL,
          access TEXT NOT NULL,
          pin TEXT,
          media_types TEXT NOT NULL,
          privileges TEXT NOT NULL,
          expires_at BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          locked INTEGER NOT NULL DEFAULT 0,
          active INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX meetings_organizer ON meetings (organizer);
        CREATE INDEX meetings_expires ON meetings (expires_at);

        CREATE TABLE meeting_invitees (
          conference_id TEXT NOT NULL,
          user_name TEXT NOT NULL,
          role TEXT NOT NULL,
          PRIMARY KEY (conference_id, user_name)
        );

        CREATE TABLE conference_participants (
          conference_id TEXT NOT NULL,
          user_name TEXT NOT NULL,
          display_name TEXT NOT NULL,
          role TEXT NOT NULL,
          status TEXT NOT NULL,
          guest INTEGER NOT NULL,
          muted TEXT NOT NULL,
          media TEXT NOT NULL,
          ejected INTEGER NOT NULL DEFAULT 0,
          joined_at BIGINT NOT NULL,
          PRIMARY KEY (conference_id, user_name)
        );

        CREATE TABLE meeting_guests (
          user_name TEXT PRIMARY KEY,
          conference_id TEXT NOT NULL,
          display_name TEXT NOT NULL,
          expires_at BIGINT NOT NULL
        );
        CREATE INDEX meeting_guests_conference ON meeting_guests (conference_id);
      `,
    },
  ],
};
