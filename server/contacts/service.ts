/**
 * The contact service: the roaming contact list of each user and the access levels they grant.
 * Lists are read through a bounded in-memory cache (presence asks `accessLevel` on every
 * notification fan-out, so that must not touch the DB); a change drops the owner's entry before
 * its listeners run (a load still in flight is dropped with it, so it cannot put stale data back).
 *
 * One Front End's cache: in a pool, a change made through another Front End is seen here only
 * after the entry is evicted (cross-Front-End invalidation is the pool's job, server/pool).
 */
import {
  type AccessLevel,
  type Contact,
  type ContactChange,
  type ContactCommand,
  type ContactLimits,
  type ContactList,
  defaultAccessLevel,
  normalizeContactUri,
} from '../../shared/contacts';
import type { Db } from '../db/index';
import type { Logger } from '../log';
import { type ApplyResult, ContactStore } from './store';

export type ContactChangeListener = (owner: string, change: ContactChange) => void;

export interface ContactServiceOptions {
  db: Pick<Db, 'sql' | 'queue'>;
  domain: string;
  limits?: Partial<ContactLimits>;
  /** Owners whose lists stay cached (least recently used ones are dropped). */
  cacheSize?: number;
  log?: Pick<Logger, 'warn'>;
}

export class ContactService {
  readonly store: ContactStore;
  private readonly cache = new Map<string, Promise<ContactList>>();
  private readonly listeners = new Set<ContactChangeListener>();
  private readonly cacheSize: number;

  constructor(private readonly opts: ContactServiceOptions) {
    this.store = new ContactStore(opts.db, opts.domain, opts.limits);
    this.cacheSize = Math.max(1, opts.cacheSize ?? 10_000);
  }

  get domain(): string {
    return this.opts.domain;
  }

  get limits(): ContactLimits {
    return this.store.limits;
  }

  /** The owner's whole list (groups, contacts, explicit access levels) with its version. */
  snapshot(owner: string): Promise<ContactList> {
    const hit = this.cache.get(owner);
    if (hit) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.cache.delete(owner);
      this.cache.set(owner, hit);
      return hit;
    }
    // Frozen: every caller shares the cached object, so none may change it under the others.
    const loading = this.store.load(owner).then(freezeList);
    this.cache.set(owner, loading);
    // A failed load is not cached: the next caller tries again.
    loading.catch(() => {
      if (this.cache.get(owner) === loading) this.cache.delete(owner);
    });
    this.evict();
    return loading;
  }

  async list(owner: string): Promise<Contact[]> {
    return (await this.snapshot(owner)).contacts;
  }

  /**
   * The level `owner` grants `watcherUri`: the one the owner set for that URI, else Personal for
   * the owner themself, Colleague for our domain, Public for other domains. A URI that cannot be
   * normalized gets Public (it can only be a stranger).
   */
  async accessLevel(owner: string, watcherUri: string): Promise<AccessLevel> {
    const uri = normalizeContactUri(watcherUri);
    if (!uri) return 'public';
    const list = await this.snapshot(owner);
    const explicit = accessIndex(list).get(uri);
    return explicit ?? defaultAccessLevel(this.store.ownerUri(owner), uri);
  }

  /** Runs a command for the owner (authorization is the caller's job); throws ContactError when refused. */
  async apply(owner: string, command: ContactCommand): Promise<ApplyResult> {
    const result = await this.store.apply(owner, command);
    if (result.changes.length > 0) {
      this.invalidate(owner);
      for (const change of result.changes) this.emit(owner, change);
    }
    return result;
  }

  /** Called for every change (contact added/removed/moved/renamed, group added/renamed/removed, access level set). Returns an unsubscribe. */
  onChange(listener: ContactChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops the cached list (e.g. when another Front End of the pool reports a change). */
  invalidate(owner: string): void {
    this.cache.delete(owner);
  }

  private emit(owner: string, change: ContactChange): void {
    for (const l of this.listeners) {
      try {
        l(owner, change);
      } catch (err) {
        // A faulty listener must not stop the others or fail the command that already committed.
        this.opts.log?.warn('contact change listener failed', { err });
      }
    }
  }

  private evict(): void {
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}

function freezeList(list: ContactList): ContactList {
  for (const items of [list.groups, list.contacts, list.accessLevels]) {
    for (const item of items) Object.freeze(item);
    Object.freeze(items);
  }
  return Object.freeze(list);
}

/** Per list object: a Map of its explicit access levels, built once (the list is immutable once loaded). */
const indexes = new WeakMap<ContactList, Map<string, AccessLevel>>();
function accessIndex(list: ContactList): Map<string, AccessLevel> {
  let idx = indexes.get(list);
  if (!idx) indexes.set(list, (idx = new Map(list.accessLevels.map((a) => [a.uri, a.level]))));
  return idx;
}
