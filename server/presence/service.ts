/**
 * The presence service (User Services: presence + RTC Aggregate) on one Front End: publications in
 * (PUBLISH), aggregation per person, watchers out (SUBSCRIBE/NOTIFY, single and batched), privacy
 * by access level, and registration driving it all. Everything hot is in memory: a change of one
 * person costs one aggregation, one PIDF per access level, and one NOTIFY per watcher, never a DB
 * query per watcher.
 */
import type { AccessLevel, ContactChange } from '../../shared/contacts';
import { normalizeContactUri } from '../../shared/contacts';
import type { Logger } from '../log';
import type { LocationService } from '../registrar/location';
import { bindingKey } from '../registrar/binding';
import { aorOf } from '../registrar/register';
import { SubscriptionManager, type Subscription, type SubscriptionManagerOptions } from '../sip/dialog/index';
import { PresenceBook } from './presentity';
import { PublicationIndex } from './publications';
import type { PublishSettings } from './publish';
import { SingleWatch } from './single';
import { ListWatch, type ListMember } from './list';
import type { SubscribeSettings } from './subscribe';
import type { PublicationRecords } from './store';
import { WatcherIndex } from './watchers';
import type { PresencePoolSync } from './pool-sync';

/** What presence needs of the contact service (server/contacts ContactService fits). */
export interface ContactsPort {
  accessLevel(owner: string, watcherUri: string): Promise<AccessLevel>;
  list(owner: string): Promise<{ uri: string }[]>;
  onChange(listener: (owner: string, change: ContactChange) => void): () => void;
}

export interface PresenceSettings {
  publish: PublishSettings;
  subscribe: SubscribeSettings;
}

export const DEFAULT_PRESENCE_SETTINGS: PresenceSettings = {
  publish: { defaultExpires: 3600, minExpires: 60, maxExpires: 7200 },
  subscribe: { defaultExpires: 3600, minExpires: 60, maxExpires: 7200, maxListSize: 1000 },
};

export interface PresenceServiceDeps extends Omit<SubscriptionManagerOptions, 'reroute'> {
  domain: string;
  location: LocationService;
  contacts: ContactsPort;
  /** The directory: undefined for no such user. */
  findUser(name: string): Promise<{ phone?: string } | undefined>;
  records?: PublicationRecords;
  /** The other Front Ends of a pool (absent when alone). */
  pool?: PresencePoolSync;
  settings?: Partial<PresenceSettings>;
  log: Logger;
}

export class PresenceService {
  readonly domain: string;
  readonly settings: PresenceSettings;
  readonly publications: PublicationIndex;
  readonly book: PresenceBook;
  readonly watchers = new WatcherIndex();
  readonly subscriptions: SubscriptionManager;
  readonly contacts: ContactsPort;
  /** Batched subscriptions that follow their owner's contact list. */
  private readonly contactLists = new Map<string, Set<ListWatch>>();
  private readonly stopContacts: () => void;

  constructor(private readonly deps: PresenceServiceDeps) {
    this.domain = deps.domain;
    this.contacts = deps.contacts;
    this.settings = {
      publish: { ...DEFAULT_PRESENCE_SETTINGS.publish, ...deps.settings?.publish },
      subscribe: { ...DEFAULT_PRESENCE_SETTINGS.subscribe, ...deps.settings?.subscribe },
    };
    this.publications = new PublicationIndex({ records: deps.records, frontEnd: deps.frontEndId, log: deps.log });
    this.book = new PresenceBook({
      domain: deps.domain,
      publications: this.publications,
      registeredCount: (user) => deps.location.lookup(aorOf(user, deps.domain)).length,
      remote: deps.pool,
      directory: async (user) => {
        const u = await deps.findUser(user);
        return u && { phones: u.phone ? { work: u.phone } : undefined };
      },
      log: deps.log,
    });
    this.subscriptions = new SubscriptionManager(deps);
    this.publications.onChange((owner) => {
      this.book.recompute(owner);
      this.announce(owner);
    });
    deps.pool?.onChange((user) => {
      if (this.book.has(user)) this.book.recompute(user);
    });
    this.book.onChange((user) => {
      for (const e of this.watchers.entries(user)) e.watch.presenceChanged(e);
    });
    // Registration drives presence: an endpoint that is gone takes its publication with it.
    deps.location.onChange((aor, bindings) => {
      const user = this.userOf(aor);
      if (!user) return;
      this.publications.retainEndpoints(user, new Set(bindings.map((b) => bindingKey(b))));
      this.book.recompute(user);
      this.announce(user);
    });
    deps.transport.on('flowClose', (flow) => this.publications.flowClosed(flow.id));
    this.stopContacts = deps.contacts.onChange((owner, change) => this.contactChanged(owner, change));
  }

  /** Tells the pool's other Front Ends our share of `user` (nothing when alone). */
  private announce(user: string): void {
    this.deps.pool?.announce(user, () => ({
      endpoints: this.deps.location.lookup(aorOf(user, this.domain)).length,
      publications: this.publications.endpointPublications(user),
    }));
  }

  /** Puts back the stored publications of endpoints that are still registered here. */
  async restore(): Promise<number> {
    if (!this.deps.records) return 0;
    const stored = await this.deps.records.listLive(Date.now());
    return this.publications.restore(stored, (r) => this.deps.location.lookup(aorOf(r.owner, this.domain)).some((b) => bindingKey(b) === r.endpoint));
  }

  /** A watcher of one presentity (RFC 3856). */
  watchOne(sub: Subscription, presentity: string, watcherUri: string, level: AccessLevel): void {
    new SingleWatch(sub, presentity, watcherUri, level, this.book, this.watchers).start();
  }

  /** A batched subscription (RFC 4662); `followContacts`: its members follow the owner's contact list. */
  watchList(sub: Subscription, owner: string, watcherUri: string, members: ListMember[], followContacts: boolean): void {
    const list = new ListWatch(sub, `${this.book.entity(owner)};list=contacts`, watcherUri, this.book, this.watchers, this.domain);
    if (followContacts) {
      let set = this.contactLists.get(owner);
      if (!set) this.contactLists.set(owner, (set = new Set()));
      set.add(list);
      sub.onTerminated(() => {
        set.delete(list);
        if (set.size === 0) this.contactLists.delete(owner);
      });
    }
    list.start(members);
  }

  /** The subscriber itself first (its own endpoints see its aggregate), then its contacts. */
  async contactListUris(owner: string): Promise<string[]> {
    const self = this.book.entity(owner);
    return [self, ...(await this.contacts.list(owner)).map((c) => c.uri).filter((u) => u !== self)];
  }

  /** Resolves list URIs: our users (with the level each grants the watcher) or foreign resources. */
  async members(_owner: string, watcherUri: string, uris: string[]): Promise<ListMember[]> {
    return Promise.all(
      uris.map(async (raw): Promise<ListMember> => {
        const uri = normalizeContactUri(raw) ?? raw;
        const user = this.userOf(uri);
        if (!user || !(await this.book.prepare(user))) return { uri };
        return { uri, user, level: await this.contacts.accessLevel(user, watcherUri) };
      }),
    );
  }

  /** The aggregated presence of a person, unfiltered (tests, the admin page). */
  presenceOf(user: string) {
    return this.book.get(user);
  }

  close(): void {
    this.stopContacts();
    this.subscriptions.close();
    this.publications.close();
    this.deps.pool?.close();
  }

  /** `sip:alice@<our domain>` -> `alice`. */
  userOf(uri: string): string | undefined {
    const m = /^sip:([^@;>]+)@([^;>:]+)/i.exec(uri);
    return m && m[2]!.toLowerCase() === this.domain.toLowerCase() ? m[1]!.toLowerCase() : undefined;
  }

  private contactChanged(owner: string, change: ContactChange): void {
    if (change.kind === 'accessLevel') {
      // The owner granted this watcher another level: re-send what it may now see.
      for (const e of this.watchers.forWatcher(owner, change.uri)) {
        if (e.level === change.level) continue;
        e.level = change.level;
        e.watch.levelChanged(e);
      }
      return;
    }
    if (change.kind !== 'contactAdded' && change.kind !== 'contactRemoved') return;
    const lists = this.contactLists.get(owner);
    if (!lists) return;
    void (async () => {
      for (const list of lists) {
        const watcherUri = this.book.entity(owner);
        list.setMembers(await this.members(owner, watcherUri, await this.contactListUris(owner)));
      }
    })().catch((err: unknown) => this.deps.log.warn('contact list refresh failed', { owner, err }));
  }
}
