/**
 * A batched subscription to a list of presentities (RFC 4662): one dialog, NOTIFYs carrying an RLMI
 * document and one PIDF per resource. Full state first (and after a refresh or a change of the
 * list's members), then partial ones naming only the resources that changed. Changes that arrive
 * while a NOTIFY is in flight are gathered into the next one, so no resource's update is lost and
 * a slow watcher gets one NOTIFY per round trip, not one per change.
 */
import type { AccessLevel } from '../../shared/contacts';
import type { Subscription } from '../sip/dialog/index';
import type { PresenceBook } from './presentity';
import { buildListBody, type ListResource } from './rlmi';
import type { Watch, WatchEntry, WatcherIndex } from './watchers';

/** A list member: one of our users (with the level they granted the watcher), or another URI. */
export interface ListMember {
  uri: string;
  /** Our user's name; undefined: not a presentity of ours (RFC 4662 instance terminated, noresource). */
  user?: string;
  level?: AccessLevel;
}

const EVENTLIST: [string, string][] = [['Require', 'eventlist']];

export class ListWatch implements Watch {
  private readonly members = new Map<string, { member: ListMember; entry?: WatchEntry }>();
  private readonly uriByEntry = new Map<WatchEntry, string>();
  private readonly dirty = new Set<string>();
  private version = 0;
  private full = true;
  private sending = false;

  constructor(
    private readonly sub: Subscription,
    private readonly listUri: string,
    private readonly watcherUri: string,
    private readonly book: PresenceBook,
    private readonly index: WatcherIndex,
    private readonly domain: string,
  ) {
    sub.data = this;
  }

  get size(): number {
    return this.members.size;
  }

  uris(): string[] {
    return [...this.members.keys()];
  }

  /** Indexes the members and sends the full state. */
  start(members: ListMember[]): void {
    this.sub.setStateProvider((purpose) => (purpose === 'final' ? this.body(this.uris(), true) : undefined));
    this.sub.onRefresh(() => {
      // RFC 4662 §5.2: a refresh is answered with full state.
      this.full = true;
      void this.flush();
    });
    this.sub.onTerminated(() => {
      for (const { entry } of this.members.values()) if (entry) this.unwatch(entry);
      this.members.clear();
    });
    this.setMembers(members);
  }

  /** Replaces the members (the contact list changed); a full-state NOTIFY follows. */
  setMembers(members: ListMember[]): void {
    if (this.sub.ended) return;
    const next = new Map(members.map((m) => [m.uri, m]));
    for (const [uri, { entry }] of [...this.members]) {
      if (next.has(uri)) continue;
      if (entry) this.unwatch(entry);
      this.members.delete(uri);
    }
    for (const m of members) {
      if (this.members.has(m.uri)) continue;
      const entry: WatchEntry | undefined = m.user ? { presentity: m.user, watcherUri: this.watcherUri, level: m.level ?? 'public', watch: this } : undefined;
      if (entry) {
        this.index.add(entry);
        this.uriByEntry.set(entry, m.uri);
      }
      this.members.set(m.uri, { member: m, entry });
    }
    this.full = true;
    void this.flush();
  }

  presenceChanged(entry: WatchEntry): void {
    this.dirty.add(this.uriOf(entry));
    void this.flush();
  }

  levelChanged(entry: WatchEntry): void {
    this.presenceChanged(entry);
  }

  private uriOf(entry: WatchEntry): string {
    return this.uriByEntry.get(entry) ?? this.book.entity(entry.presentity);
  }

  private unwatch(entry: WatchEntry): void {
    this.uriByEntry.delete(entry);
    this.index.remove(entry);
    if (!this.index.watched(entry.presentity)) this.book.release(entry.presentity);
  }

  /** One NOTIFY at a time; whatever changed meanwhile goes in the next. */
  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (!this.sub.ended && (this.full || this.dirty.size > 0)) {
        const full = this.full;
        this.full = false;
        const uris = full ? this.uris() : [...this.dirty].filter((u) => this.members.has(u));
        this.dirty.clear();
        if (uris.length === 0 && !full) continue;
        await this.sub.notify({ ...this.body(uris, full), extraHeaders: EVENTLIST });
      }
    } finally {
      this.sending = false;
    }
  }

  private body(uris: string[], full: boolean): { body: Buffer; contentType: string } {
    const resources: ListResource[] = uris.map((uri) => {
      const m = this.members.get(uri);
      if (!m?.entry) return { uri, state: 'terminated', reason: 'noresource' };
      return { uri, pidf: this.book.document(m.entry.presentity, m.entry.level) };
    });
    // RFC 4662 §5.3: version counts this subscription's NOTIFYs, from 0.
    return buildListBody(this.listUri, this.version++, full, resources, this.domain);
  }
}
