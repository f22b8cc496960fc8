/**
 * The active Focuses of this Front End: one per conference, built on first use from the DB (which
 * is what lets a restarted Front End, or another one of the pool, take a conference over). The
 * registry owns them: an ended Focus announces it and is dropped; close() forgets them all
 * without ending the meetings (the DB keeps them, media keeps flowing on the MCU).
 */
import type { TransactionLayer } from '../../sip/transaction/types';
import type { LocalAddress } from '../../sip/proxy/flow-token';
import type { Flow } from '../../sip/transport/types';
import { SipError } from '../../sip/message/errors';
import type { MeetingStore } from '../focus-factory/store';
import type { Logger } from '../../log';
import { Focus } from './focus';
import { ConferenceMedia, type MediaDeps } from './media';

export interface FocusRegistryOptions {
  store: MeetingStore;
  media: MediaDeps;
  transactions: TransactionLayer;
  localAddress(flow: Flow): LocalAddress;
  domain: string;
  log: Logger;
  now?: () => number;
  /** See FocusDeps.rejoinGraceMs (default 60 s). */
  rejoinGraceMs?: number;
}

export const DEFAULT_REJOIN_GRACE_MS = 60_000;

export class FocusRegistry {
  private readonly focuses = new Map<string, Promise<Focus>>();
  private readonly now: () => number;

  constructor(private readonly o: FocusRegistryOptions) {
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.focuses.size;
  }

  /** The Focus of a conference; SipError 404 when there is no such meeting, 410 when it expired. */
  async get(conferenceId: string): Promise<Focus> {
    let p = this.focuses.get(conferenceId);
    if (!p) {
      p = this.load(conferenceId);
      this.focuses.set(conferenceId, p);
      p.catch(() => this.focuses.delete(conferenceId));
    }
    const focus = await p;
    if (focus.isEnded) throw new SipError(404, 'Not Found (the meeting has ended)');
    return focus;
  }

  /** Ends an active Focus (meeting deleted or expired); a meeting nobody joined here has nothing to end. */
  async end(conferenceId: string, reason: string): Promise<void> {
    const p = this.focuses.get(conferenceId);
    if (!p) return;
    try {
      await (await p).end(reason);
    } catch (err) {
      this.o.log.warn('ending a conference failed', { conferenceId, err });
    }
    this.focuses.delete(conferenceId);
  }

  /** A SIP flow closed: each Focus starts the rejoin grace of the participants who used it. */
  flowClosed(flowId: string): void {
    for (const p of this.focuses.values()) void p.then((f) => f.flowClosed(flowId), () => undefined);
  }

  /** Forgets every Focus without ending its meeting (shutdown). */
  close(): void {
    for (const p of this.focuses.values()) void p.then((f) => f.dispose(), () => undefined);
    this.focuses.clear();
  }

  private async load(conferenceId: string): Promise<Focus> {
    const meeting = await this.o.store.get(conferenceId);
    if (!meeting) throw new SipError(404, 'Not Found (no such meeting)');
    if (meeting.expiresAt <= this.now()) throw new SipError(410, 'Gone (the meeting has expired)');
    return Focus.load(meeting, {
      store: this.o.store,
      media: new ConferenceMedia(conferenceId, this.o.media),
      transactions: this.o.transactions,
      localAddress: (d) => this.o.localAddress(d.flow),
      domain: this.o.domain,
      log: this.o.log,
      now: this.now,
      onEnded: () => this.focuses.delete(conferenceId),
      rejoinGraceMs: this.o.rejoinGraceMs ?? DEFAULT_REJOIN_GRACE_MS,
    });
  }
}
