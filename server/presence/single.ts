/**
 * A subscription to one presentity (RFC 3856): the full PIDF its access level allows, first right
 * after the 200, then on every change. The Subscription coalesces: a watcher that is slow to answer
 * gets the latest state, not every intermediate one.
 */
import type { AccessLevel } from '../../shared/contacts';
import { PIDF_TYPE } from '../../shared/presence/types';
import type { Subscription } from '../sip/dialog/index';
import type { PresenceBook } from './presentity';
import type { Watch, WatchEntry, WatcherIndex } from './watchers';

export class SingleWatch implements Watch {
  readonly entry: WatchEntry;

  constructor(
    private readonly sub: Subscription,
    presentity: string,
    watcherUri: string,
    level: AccessLevel,
    private readonly book: PresenceBook,
    private readonly index: WatcherIndex,
  ) {
    this.entry = { presentity, watcherUri, level, watch: this };
    sub.data = this;
  }

  /** Indexes the watch and sends the first NOTIFY (RFC 6665 §4.2.1.1: current state, right away). */
  start(): void {
    this.index.add(this.entry);
    this.sub.setStateProvider(() => this.content());
    this.sub.onTerminated(() => {
      this.index.remove(this.entry);
      if (!this.index.watched(this.entry.presentity)) this.book.release(this.entry.presentity);
    });
    void this.sub.notify(this.content());
  }

  presenceChanged(): void {
    void this.sub.notify(this.content());
  }

  levelChanged(): void {
    void this.sub.notify(this.content());
  }

  private content(): { body: string; contentType: string } {
    return { body: this.book.document(this.entry.presentity, this.entry.level), contentType: PIDF_TYPE };
  }
}
