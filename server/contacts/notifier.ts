/**
 * The notifier of the `vnd-ocs-contacts` event package: every endpoint of a user that subscribed to
 * its own list gets the full list first, then a delta after every change (docs/protocol.md).
 *
 * The subscription framework keeps one NOTIFY in flight and replaces a waiting one with a newer
 * state (coalescing), which suits state documents but would lose deltas. So each subscription has
 * its own pump here that sends the next NOTIFY only after the previous one was answered: a delta
 * covers everything since what the endpoint last received (several commands fold into one), and a
 * full list is sent again when the recent-change log no longer reaches back that far, when a delta
 * would be too large, or after a refresh (RFC 6665 §4.2.1.2: a NOTIFY with the current state).
 */
import type { ContactChange } from '../../shared/contacts';
import { CONTACTS_DOCUMENT_TYPE } from '../../shared/contacts';
import type { Subscription } from '../sip/dialog/index';
import type { Logger } from '../log';
import type { ContactService } from './service';
import { deltaDocument, fullDocuments, wholeDocument } from './document';

/** Versions of recent changes kept per subscribed owner (older gaps get the full list). */
const LOG_VERSIONS = 64;

interface Watch {
  sub: Subscription;
  owner: string;
  /** The version this endpoint has (undefined until its first full list went out). */
  delivered?: number;
  needFull: boolean;
  running: boolean;
}

interface OwnerState {
  watches: Set<Watch>;
  /** Recent changes, ascending by version (several changes may share one version). */
  log: ContactChange[];
}

export class ContactsNotifier {
  private readonly owners = new Map<string, OwnerState>();

  constructor(
    private readonly contacts: ContactService,
    private readonly log: Logger,
  ) {
    contacts.onChange((owner, change) => this.changed(owner, change));
  }

  /** Number of live subscriptions (tests, health). */
  get size(): number {
    let n = 0;
    for (const o of this.owners.values()) n += o.watches.size;
    return n;
  }

  /** Takes over an accepted subscription: sends the list, then every change, until it ends. */
  watch(owner: string, sub: Subscription): void {
    if (sub.fetchOnly) {
      // RFC 6665 §4.4.3: one NOTIFY with the state, which also terminates it.
      void this.contacts
        .snapshot(owner)
        .then((list) => sub.notify({ body: JSON.stringify(wholeDocument(list)), contentType: CONTACTS_DOCUMENT_TYPE }))
        .catch((err: unknown) => this.fail(sub, err));
      return;
    }
    let state = this.owners.get(owner);
    if (!state) this.owners.set(owner, (state = { watches: new Set(), log: [] }));
    const w: Watch = { sub, owner, needFull: true, running: false };
    state.watches.add(w);
    sub.onTerminated(() => this.unwatch(w));
    sub.onRefresh(() => {
      w.needFull = true;
      void this.pump(w);
    });
    void this.pump(w);
  }

  private unwatch(w: Watch): void {
    const state = this.owners.get(w.owner);
    if (!state) return;
    state.watches.delete(w);
    if (state.watches.size === 0) this.owners.delete(w.owner);
  }

  private changed(owner: string, change: ContactChange): void {
    const state = this.owners.get(owner);
    if (!state) return;
    state.log.push(change);
    const oldest = change.version - LOG_VERSIONS;
    while (state.log.length > 0 && state.log[0]!.version <= oldest) state.log.shift();
    // One command emits several changes of one version in a row: pump once they are all logged.
    queueMicrotask(() => {
      for (const w of state.watches) void this.pump(w);
    });
  }

  /** Sends until the endpoint has the newest version; one NOTIFY at a time. */
  private async pump(w: Watch): Promise<void> {
    if (w.running) return;
    w.running = true;
    try {
      while (!w.sub.ended) {
        if (w.needFull || w.delivered === undefined) {
          w.needFull = false;
          if (!(await this.sendFull(w))) return;
          continue;
        }
        const log = this.owners.get(w.owner)?.log ?? [];
        const pending = log.filter((c) => c.version > w.delivered!);
        if (pending.length === 0) return;
        const version = pending[pending.length - 1]!.version;
        const body = pending[0]!.version === w.delivered + 1 ? deltaDocument(w.delivered, version, pending) : undefined;
        if (body === undefined) {
          w.needFull = true;
          continue;
        }
        if (!ok(await w.sub.notify({ body, contentType: CONTACTS_DOCUMENT_TYPE }))) return;
        w.delivered = version;
      }
    } catch (err) {
      this.fail(w.sub, err);
    } finally {
      w.running = false;
    }
  }

  private async sendFull(w: Watch): Promise<boolean> {
    const list = await this.contacts.snapshot(w.owner);
    for (const doc of fullDocuments(list)) {
      if (!ok(await w.sub.notify({ body: JSON.stringify(doc), contentType: CONTACTS_DOCUMENT_TYPE }))) return false;
    }
    w.delivered = list.version;
    return true;
  }

  private fail(sub: Subscription, err: unknown): void {
    // E.g. the DB is down: end the subscription (the endpoint subscribes again) rather than leave it silent.
    this.log.warn('contact list notification failed', { err });
    void sub.close('deactivated', { notify: false });
  }
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}
