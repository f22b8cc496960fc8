/**
 * Routing across the pool: which other Front Ends hold a registration of a user (the shared
 * bindings table, filtered by live members, cached per user until that user's endpoints change on
 * a member: the bus carries the news), the SIP connection to each (one outbound TCP flow per
 * member, kept open: its idle timeout is off), and the credential every request forwarded on such a
 * flow carries (signing.ts adds it). The router asks; it never talks to the database or the members itself.
 */
import type { BindingStore } from '../db/bindings';
import type { Logger } from '../log';
import type { PoolPort } from '../routing/router';
import type { SipRequest } from '../sip/message/types';
import type { ProxyTarget } from '../sip/proxy/proxy';
import type { SipTransportLayer } from '../sip/transport/layer';
import type { Flow } from '../sip/transport/types';
import type { PoolMember, PoolMembers } from './members';
import type { PoolBus } from './bus';

/** Bus topic: `{ aor }` whose set of endpoints changed on the sending member. */
export const BINDINGS_TOPIC = 'bindings';
const MAX_CACHED = 20_000;

/** Flow attribute: the pool member at the other end of a flow (outbound link or verified inbound). */
export const POOL_PEER = 'ocs.poolPeer';

/** Marks `flow` as a link to pool member `id`: kept open, and requests on it carry the credential. */
export function markPoolFlow(flow: Flow, id: string): void {
  if (flow.attributes.get(POOL_PEER) === id) return;
  flow.attributes.set(POOL_PEER, id);
  flow.setIdleTimeout?.(0);
}

export interface PoolRoutingDeps {
  self: string;
  members: Pick<PoolMembers, 'others' | 'get' | 'onChange'>;
  /** Carries "the endpoints of <aor> changed" between members, which empties that AOR's cache entry. */
  bus: Pick<PoolBus, 'subscribe'>;
  /** How long a cached answer to "which members hold <aor>" lives without an event (default 5 s). */
  cacheMs?: number;
  bindings: Pick<BindingStore, 'listByAor'>;
  transport: Pick<SipTransportLayer, 'connect'>;
  log: Logger;
  now?: () => number;
}

export class PoolRouting implements PoolPort {
  /** aor -> the other members holding a binding of it, as read at `at`. */
  private readonly holders = new Map<string, { ids: string[]; at: number }>();

  constructor(private readonly deps: PoolRoutingDeps) {
    deps.bus.subscribe(BINDINGS_TOPIC, (_from, data) => {
      const aor = (data as { aor?: unknown } | null)?.aor;
      if (typeof aor === 'string') this.holders.delete(aor);
    });
    deps.members.onChange(() => this.holders.clear());
  }

  async remoteTargets(aor: string, req: SipRequest): Promise<ProxyTarget[]> {
    // Alone: no query at all (the embedded default pays nothing for the pool).
    if (this.deps.members.others().length === 0) return [];
    const targets: ProxyTarget[] = [];
    for (const id of await this.holdersOf(aor)) {
      const member = this.deps.members.get(id);
      if (!member) continue; // gone: its bindings wait for it to come back or expire
      const flow = await this.link(member);
      if (flow) targets.push({ uri: req.uri, flow });
    }
    return targets;
  }

  /**
   * The other members holding a binding of `aor`: from the cache, which an event from the member
   * whose endpoints changed empties (a missed event is covered by the entry's lifetime), or from the
   * shared bindings table.
   */
  private async holdersOf(aor: string): Promise<string[]> {
    const now = (this.deps.now ?? Date.now)();
    const cached = this.holders.get(aor);
    if (cached && now - cached.at < (this.deps.cacheMs ?? 5_000)) return cached.ids;
    const ids = new Set<string>();
    for (const b of await this.deps.bindings.listByAor(aor)) {
      if (b.frontEnd !== this.deps.self && b.expiresAt > now) ids.add(b.frontEnd);
    }
    if (this.holders.size >= MAX_CACHED) this.holders.clear();
    const entry = { ids: [...ids], at: now };
    this.holders.set(aor, entry);
    return entry.ids;
  }

  /** The link to a live member (opened on first use); undefined when it is gone or unreachable. */
  async linkTo(memberId: string): Promise<Flow | undefined> {
    const member = this.deps.members.get(memberId);
    return member ? this.link(member) : undefined;
  }

  private async link(member: PoolMember): Promise<Flow | undefined> {
    try {
      const flow = await this.deps.transport.connect('TCP', { address: member.host, port: member.port });
      markPoolFlow(flow, member.id);
      return flow;
    } catch (err) {
      this.deps.log.warn('pool: member unreachable', { member: member.id, address: `${member.host}:${member.port}`, err });
      return undefined;
    }
  }
}
