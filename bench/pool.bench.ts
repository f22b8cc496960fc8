/**
 * What a hop between two Front Ends of a pool costs (`npm run bench -- pool`): MESSAGE relay between
 * WebSocket users on one PostgreSQL database, first with senders and receivers on the same Front
 * End, then with the senders on one and the receivers on another member, so every MESSAGE crosses
 * the pool (one more proxy hop, a query of the shared bindings table, the member credential). The
 * database is a throwaway cluster on loopback (scripts/pg-test-cluster.sh, or OCS_TEST_PG_URL);
 * fsync is off there, which this load does not depend on (MESSAGE writes nothing).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pgTestDatabase } from '../server/db/testing';
import type { Figure } from './load/measure';
import { messageRelay, USERS_NEEDED } from './load/workloads';
import { startOurs } from './targets/ours';

export type { Figure } from './load/measure';

function clusterUrl(): string {
  if (process.env.OCS_TEST_PG_URL) return process.env.OCS_TEST_PG_URL;
  return execFileSync('bash', [resolve(import.meta.dirname, '..', 'scripts', 'pg-test-cluster.sh'), 'start'], { encoding: 'utf8' }).trim();
}

export async function benchPool(): Promise<Figure[]> {
  const db = await pgTestDatabase(clusterUrl());
  const first = await startOurs({ users: USERS_NEEDED, dbUrl: db.url });
  try {
    const one = await messageRelay({ ...first, name: 'one_front_end' });
    const second = await startOurs({ users: USERS_NEEDED, dbUrl: db.url, provision: false });
    try {
      // Membership is read every heartbeat (500 ms in the bench child): let both see each other.
      await new Promise((r) => setTimeout(r, 1_500));
      const pool = { ...first, name: 'across_two', pids: () => [...first.pids(), ...second.pids()] };
      const two = await messageRelay(pool, second);
      const rate = (figures: Figure[]) => figures.find((f) => f.name.endsWith('message.relay.ws'))?.value ?? 0;
      return [...one, ...two, { name: 'ratio.across_two_vs_one', value: rate(two) / rate(one), unit: 'MESSAGE/s across the pool ÷ on one Front End' }];
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
    await db.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of await benchPool()) console.log(`${f.value.toFixed(2).padStart(10)}  ${f.name} ${f.unit}`);
}
