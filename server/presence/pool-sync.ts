/**
 * Presence across a pool of Front Ends: a person's aggregate takes in every endpoint and
 * publication of theirs, whichever Front End holds it. Each Front End announces its own share of a
 * person (registered endpoints, publications) on the pool's event bus whenever it changes, keeps
 * the shares the others announced, and loads them from the database the first time somebody here
 * watches that person (or when an announcement was too big to travel). A member that leaves takes
 * its shares with it. On a Front End alone every method is a cheap no-op.
 */
import type { Logger } from '../log';
import type { EndpointPublication } from './aggregate';

/** What presence needs of the pool (server/pool's members and bus fit). */
export interface PresencePoolPort {
  /** Whether events travel (PostgreSQL). */
  readonly active: boolean;
  /** Ids of the other live members. */
  others(): readonly string[];
  onMembersChange(listener: () => void): void;
  publish(topic: string, data: unknown): Promise<boolean>;
  subscribe(topic: string, listener: (from: string, data: unknown) => void): () => void;
}

/** One Front End's share of a person. */
export interface PresenceShare {
  endpoints: number;
  publications: EndpointPublication[];
}

export interface PresencePoolSyncDeps {
  pool: PresencePoolPort;
  /** The shares of `user` held by `members`, read from the shared database. */
  loadShares(user: string, members: readonly string[]): Promise<Map<string, PresenceShare>>;
  log: Logger;
}

const TOPIC = 'presence';

export class PresencePoolSync {
  /** user -> member id -> that member's share (only non-empty shares are kept). */
  private readonly shares = new Map<string, Map<string, PresenceShare>>();
  private readonly listeners: ((user: string) => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: PresencePoolSyncDeps) {
    this.unsubscribe = deps.pool.subscribe(TOPIC, (from, data) => this.received(from, data));
    deps.pool.onMembersChange(() => this.membersChanged());
  }

  /** Called when the others' share of a person changed. */
  onChange(listener: (user: string) => void): void {
    this.listeners.push(listener);
  }

  endpoints(user: string): number {
    let n = 0;
    for (const s of this.shares.get(user)?.values() ?? []) n += s.endpoints;
    return n;
  }

  publications(user: string): EndpointPublication[] {
    const m = this.shares.get(user);
    if (!m) return [];
    return [...m.values()].flatMap((s) => s.publications);
  }

  /** Reads the others' shares of `user` from the database (the first time someone here watches them). */
  async load(user: string): Promise<void> {
    const others = this.deps.pool.others();
    if (!this.deps.pool.active || others.length === 0) return;
    try {
      const loaded = await this.deps.loadShares(user, others);
      const current = this.shares.get(user);
      // An announcement that arrived while we read is newer than the database.
      for (const [fe, share] of loaded) if (!current?.has(fe)) this.set(user, fe, share, false);
    } catch (err) {
      this.deps.log.warn('presence: could not read the pool\'s shares', { user, err });
    }
  }

  /** Our own share of `user` changed: tell the other members (`shareOf` runs only when there are some). */
  announce(user: string, shareOf: () => PresenceShare): void {
    if (!this.deps.pool.active || this.deps.pool.others().length === 0) return;
    const share = shareOf();
    void this.deps.pool.publish(TOPIC, { user, endpoints: share.endpoints, publications: share.publications }).then((sent) => {
      // Too big for one event: the others read the publications from the database instead.
      if (!sent) void this.deps.pool.publish(TOPIC, { user, endpoints: share.endpoints, reload: true });
    });
  }

  close(): void {
    this.unsubscribe();
  }

  private received(from: string, data: unknown): void {
    const d = data as { user?: unknown; endpoints?: unknown; publications?: unknown; reload?: unknown } | null;
    if (!d || typeof d.user !== 'string' || typeof d.endpoints !== 'number') return;
    const user = d.user;
    if (d.reload === true) {
      void this.deps.loadShares(user, [from]).then(
        (m) => this.set(user, from, { endpoints: d.endpoints as number, publications: m.get(from)?.publications ?? [] }, true),
        (err: unknown) => this.deps.log.warn('presence: could not read a member\'s share', { user, from, err }),
      );
      return;
    }
    if (!Array.isArray(d.publications)) return;
    const publications = d.publications.filter(
      (p): p is EndpointPublication => !!p && typeof p === 'object' && typeof (p as EndpointPublication).endpoint === 'string'
        && typeof (p as EndpointPublication).at === 'number' && !!(p as EndpointPublication).state && typeof (p as EndpointPublication).state === 'object',
    );
    this.set(user, from, { endpoints: d.endpoints, publications }, true);
  }

  private set(user: string, fe: string, share: PresenceShare, announce: boolean): void {
    let m = this.shares.get(user);
    if (share.endpoints <= 0 && share.publications.length === 0) {
      if (!m?.delete(fe)) return;
      if (m.size === 0) this.shares.delete(user);
    } else {
      if (!m) this.shares.set(user, (m = new Map()));
      m.set(fe, share);
    }
    if (announce) this.emit(user);
  }

  private membersChanged(): void {
    const live = new Set(this.deps.pool.others());
    for (const [user, m] of [...this.shares]) {
      let changed = false;
      for (const fe of [...m.keys()]) if (!live.has(fe)) changed = m.delete(fe) || changed;
      if (m.size === 0) this.shares.delete(user);
      if (changed) this.emit(user);
    }
  }

  private emit(user: string): void {
    for (const l of this.listeners) {
      try {
        l(user);
      } catch (err) {
        this.deps.log.error('presence: pool listener failed', { err });
      }
    }
  }
}
