/**
 * The pool of Front Ends (Enterprise Edition, DESIGN.md "RPC between Front Ends"): Front Ends on
 * one PostgreSQL database know each other (members.ts), forward SIP for users registered on
 * another member to it over TCP (routing.ts), and trust each other's requests by a credential
 * derived from a secret in the shared database (credentials.ts, peers.ts). A Front End alone (the
 * embedded default) has no other member and pays one membership row and its heartbeat.
 * Wire forms: docs/pool.md.
 */
import { networkInterfaces } from 'node:os';
import type { Db } from '../db/index';
import type { Logger } from '../log';
import type { SipTransportLayer } from '../sip/transport/layer';
import type { LocationService } from '../registrar/location';
import { PoolBus } from './bus';
import { PoolCredentials } from './credentials';
import { PoolMembers } from './members';
import { poolPeers } from './peers';
import { BINDINGS_TOPIC, PoolRouting } from './routing';
import { PoolHomes } from './homes';

export { POOL_MIGRATIONS } from './schema';
export { POOL_HEADER, PoolCredentials } from './credentials';
export { PoolMembers, type PoolMember } from './members';
export { POOL_PEER, PoolRouting } from './routing';
export { poolPeers } from './peers';
export { MAX_EVENT_BYTES, PoolBus } from './bus';
export { PoolHomes } from './homes';
export { memberForwarder, type MemberForwarder } from './forward';
export { signingTransactions } from './signing';

export interface PoolOptions {
  frontEnd: string;
  domain: string;
  /** Our SIP listener as the others must reach it. */
  sip: { host: string; port: number };
  heartbeatMs: number;
  db: Db;
  transport: SipTransportLayer;
  location: Pick<LocationService, 'onChange'>;
  log: Logger;
}

export interface Pool {
  members: PoolMembers;
  /** Signs requests sent on links to members (signing.ts wraps the transaction layer with it). */
  credentials: PoolCredentials;
  /** What lives on one member at a time (a conference's Focus). */
  homes: PoolHomes;
  /** Events between members (PostgreSQL LISTEN/NOTIFY; inert on SQLite). */
  bus: PoolBus;
  routing: PoolRouting;
  /** The dispatcher step for requests from other members (before authentication). */
  peers: ReturnType<typeof poolPeers>;
  stop(): Promise<void>;
}

export async function startPool(o: PoolOptions): Promise<Pool> {
  const members = new PoolMembers(o.db, { self: { id: o.frontEnd, ...o.sip }, heartbeatMs: o.heartbeatMs, log: o.log });
  const credentials = new PoolCredentials(await o.db.settings.getOrCreateSecret('pool-secret'), o.frontEnd, (id) => !!members.get(id));
  // The other members' addresses are exempt from the per-IP flood limits: all of a pool's traffic
  // between two Front Ends comes from one address.
  members.onChange((others) => o.transport.trust(others.map((m) => m.host)));
  await members.start();
  const bus = new PoolBus({ self: o.frontEnd, sql: o.db.sql, members, log: o.log });
  await bus.start();
  const routing = new PoolRouting({ self: o.frontEnd, members, bus, bindings: o.db.bindings, transport: o.transport, log: o.log });
  // Our endpoints of a user changed: the others' cached "who holds this user" is out of date.
  o.location.onChange((aor) => void bus.publish(BINDINGS_TOPIC, { aor }));
  return {
    members,
    credentials,
    homes: new PoolHomes(o.db, o.frontEnd, members),
    bus,
    routing,
    peers: poolPeers(credentials, o.domain),
    stop: async () => {
      await bus.stop();
      await members.stop();
    },
  };
}

/** The address to advertise: the configured one, else the listener's, else the first external IPv4. */
export function advertisedHost(configured: string | undefined, listening: string): string {
  if (configured) return configured;
  if (listening !== '0.0.0.0' && listening !== '::') return listening;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
