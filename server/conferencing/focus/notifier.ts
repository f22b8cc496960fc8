/**
 * The conference event package (RFC 4575) of one Focus, on the SIP SubscriptionManager
 * (server/sip/dialog): full state in the first NOTIFY, then partial documents with the users that
 * changed. The version is per subscription (§5.1), and each subscription has at most one NOTIFY
 * outstanding: changes made meanwhile are gathered into the next partial document, so the
 * manager's coalescing never drops a partial and the subscriber never sees a version gap.
 */
import type { Subscription } from '../../sip/dialog/index';
import { buildConferenceInfo, type ConferenceInfoDocument } from '../../../shared/conferencing/conferenceInfo';
import { CONFERENCE_INFO_CONTENT_TYPE, type ConferenceView, type Participant } from '../../../shared/conferencing/types';

interface Watcher {
  sub: Subscription;
  user: string;
  version: number;
  changed: Set<string>;
  conferenceChanged: boolean;
  sending: boolean;
}

export class ConferenceNotifier {
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly domain: string,
    /** The Focus's current view (roster included). */
    private readonly view: () => ConferenceView,
  ) {}

  get size(): number {
    return this.watchers.size;
  }

  /** Starts notifying a new subscription: the full state goes out at once. */
  add(sub: Subscription, user: string): void {
    const w: Watcher = { sub, user, version: 0, changed: new Set(), conferenceChanged: false, sending: false };
    this.watchers.add(w);
    sub.onTerminated(() => this.watchers.delete(w));
    // After a refresh the manager sends the provider's state: full state, next version.
    sub.setStateProvider(() => this.content(w, this.fullDoc(w)));
    void this.send(w, true);
  }

  /** Users whose entry changed (or left); `conference` for lock/active changes. */
  changed(users: string[], conference = false): void {
    for (const w of this.watchers) {
      for (const u of users) w.changed.add(u);
      if (conference) w.conferenceChanged = true;
      void this.send(w, false);
    }
  }

  /** Ends the subscriptions of one user (ejected, left) or all (meeting over), with a final NOTIFY. */
  async close(user?: string, reason = 'noresource'): Promise<void> {
    const ws = [...this.watchers].filter((w) => user === undefined || w.user === user);
    await Promise.all(ws.map((w) => w.sub.close(reason)));
  }

  private fullDoc(w: Watcher): ConferenceInfoDocument {
    const { participants, ...view } = this.view();
    w.changed.clear();
    w.conferenceChanged = false;
    return { version: ++w.version, state: 'full', view, users: participants, deleted: [] };
  }

  private content(w: Watcher, doc: ConferenceInfoDocument) {
    void w;
    return { body: buildConferenceInfo(doc, this.domain), contentType: CONFERENCE_INFO_CONTENT_TYPE };
  }

  private async send(w: Watcher, full: boolean): Promise<void> {
    if (w.sending) return;
    w.sending = true;
    try {
      let first = full;
      while (first || w.changed.size > 0 || w.conferenceChanged) {
        let doc: ConferenceInfoDocument;
        if (first) doc = this.fullDoc(w);
        else {
          const { participants, ...view } = this.view();
          const byUser = new Map<string, Participant>(participants.map((p) => [p.user, p]));
          const users = [...w.changed].filter((u) => byUser.has(u)).map((u) => byUser.get(u)!);
          const deleted = [...w.changed].filter((u) => !byUser.has(u));
          w.changed.clear();
          w.conferenceChanged = false;
          doc = { version: ++w.version, state: 'partial', view, users, deleted };
        }
        first = false;
        const status = await w.sub.notify(this.content(w, doc));
        if (status === 0 || w.sub.ended) break;
      }
    } finally {
      w.sending = false;
    }
  }
}
