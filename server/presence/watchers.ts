/**
 * Who watches whom, in memory: presentity -> watcher URI -> entries. A change of a person's presence
 * walks that person's entries only (no DB query per watcher: each entry carries the access level
 * looked up when it was made, updated by the contact service's change events).
 */
import type { AccessLevel } from '../../shared/contacts';

/** One (watcher, presentity) pair inside a single or a list subscription. */
export interface WatchEntry {
  readonly presentity: string;
  /** Normalized `sip:user@host` of the watcher. */
  readonly watcherUri: string;
  level: AccessLevel;
  readonly watch: Watch;
}

/** A subscription seen from the presence service. */
export interface Watch {
  /** The presentity's aggregated presence changed. */
  presenceChanged(entry: WatchEntry): void;
  /** The presentity granted this watcher another access level (entry.level is already the new one). */
  levelChanged(entry: WatchEntry): void;
}

export class WatcherIndex {
  private readonly byPresentity = new Map<string, Map<string, Set<WatchEntry>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(entry: WatchEntry): void {
    let byWatcher = this.byPresentity.get(entry.presentity);
    if (!byWatcher) this.byPresentity.set(entry.presentity, (byWatcher = new Map()));
    let set = byWatcher.get(entry.watcherUri);
    if (!set) byWatcher.set(entry.watcherUri, (set = new Set()));
    if (!set.has(entry)) {
      set.add(entry);
      this.count++;
    }
  }

  remove(entry: WatchEntry): void {
    const byWatcher = this.byPresentity.get(entry.presentity);
    const set = byWatcher?.get(entry.watcherUri);
    if (!set?.delete(entry)) return;
    this.count--;
    if (set.size === 0) byWatcher!.delete(entry.watcherUri);
    if (byWatcher!.size === 0) this.byPresentity.delete(entry.presentity);
  }

  /** Whether anyone watches this presentity. */
  watched(presentity: string): boolean {
    return this.byPresentity.has(presentity);
  }

  *entries(presentity: string): Generator<WatchEntry> {
    const byWatcher = this.byPresentity.get(presentity);
    if (!byWatcher) return;
    // Copy first: a delivery may end a subscription, which edits these sets.
    for (const set of [...byWatcher.values()]) for (const e of [...set]) yield e;
  }

  forWatcher(presentity: string, watcherUri: string): WatchEntry[] {
    return [...(this.byPresentity.get(presentity)?.get(watcherUri) ?? [])];
  }
}
