/**
 * The aggregated presence of every person somebody watches or who publishes, kept in memory: the
 * RTC Aggregate runs once per change of a person (publication or registration), and the PIDF each
 * access level sees is built once per change and level, whatever the number of watchers.
 */
import type { AccessLevel } from '../../shared/contacts';
import { buildPidf } from '../../shared/presence/pidf';
import { viewFor } from '../../shared/presence/privacy';
import type { PhoneNumbers, Presence } from '../../shared/presence/types';
import type { Logger } from '../log';
import { aggregate, type EndpointPublication } from './aggregate';
import type { PublicationIndex } from './publications';

export interface PresenceBookDeps {
  domain: string;
  publications: PublicationIndex;
  /** Registered endpoints of a person now (the location service). */
  registeredCount(user: string): number;
  /** The directory's entry for a person (looked up once per person and cached); undefined: no such user. */
  directory(user: string): Promise<{ phones?: PhoneNumbers } | undefined>;
  /** The other Front Ends' share of a person in a pool (pool-sync.ts); absent when alone. */
  remote?: {
    endpoints(user: string): number;
    publications(user: string): EndpointPublication[];
    load(user: string): Promise<void>;
  };
  log: Logger;
}

interface Entry {
  presence: Presence;
  json: string;
  docs: Map<AccessLevel, string>;
  phones?: PhoneNumbers;
  /** Set once the directory answered. */
  exists?: boolean;
}

export class PresenceBook {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: ((user: string, presence: Presence) => void)[] = [];

  constructor(private readonly deps: PresenceBookDeps) {}

  /** Called with the new presence after each actual change (not for recomputations that changed nothing). */
  onChange(listener: (user: string, presence: Presence) => void): void {
    this.listeners.push(listener);
  }

  entity(user: string): string {
    return `sip:${user}@${this.deps.domain}`;
  }

  /**
   * Looks the person up in the directory once (numbers, existence), so later computations are
   * synchronous. Resolves whether the person exists.
   */
  async prepare(user: string): Promise<boolean> {
    const e = this.entry(user);
    if (e.exists !== undefined) return e.exists;
    const [found] = await Promise.all([this.deps.directory(user), this.deps.remote?.load(user)]);
    const current = this.entry(user);
    current.exists = !!found;
    current.phones = found?.phones;
    this.recompute(user);
    if (!found) this.release(user);
    return !!found;
  }

  /** Whether the person is in the book (watched or publishing). */
  has(user: string): boolean {
    return this.entries.has(user);
  }

  get(user: string): Presence {
    return this.entry(user).presence;
  }

  /** The PIDF body a watcher at `level` receives (cached until the next change). */
  document(user: string, level: AccessLevel): string {
    const e = this.entry(user);
    let doc = e.docs.get(level);
    if (doc === undefined) {
      doc = buildPidf(this.entity(user), viewFor(this.entity(user), e.presence, level));
      e.docs.set(level, doc);
    }
    return doc;
  }

  /** Re-runs the aggregate for a person; announces the result when it differs. */
  recompute(user: string): void {
    const e = this.entry(user);
    const next = this.compute(user, e.phones);
    const json = JSON.stringify(next);
    if (json === e.json) return;
    e.presence = next;
    e.json = json;
    e.docs.clear();
    for (const l of this.listeners) {
      try {
        l(user, next);
      } catch (err) {
        this.deps.log.error('presence listener failed', { err });
      }
    }
  }

  /** Forgets a person nobody watches and who publishes nothing (bounded memory). */
  release(user: string): void {
    if (this.deps.publications.forOwner(user).length === 0) this.entries.delete(user);
  }

  get size(): number {
    return this.entries.size;
  }

  private entry(user: string): Entry {
    let e = this.entries.get(user);
    if (!e) {
      const presence = this.compute(user, undefined);
      e = { presence, json: JSON.stringify(presence), docs: new Map() };
      this.entries.set(user, e);
    }
    return e;
  }

  private compute(user: string, phones: PhoneNumbers | undefined): Presence {
    const local = this.deps.publications.endpointPublications(user);
    const remote = this.deps.remote;
    if (!remote) return aggregate({ registered: this.deps.registeredCount(user), publications: local, phones });
    return aggregate({
      registered: this.deps.registeredCount(user) + remote.endpoints(user),
      publications: [...local, ...remote.publications(user)],
      phones,
    });
  }
}
