/**
 * Event state compositor storage (RFC 3903 §6): the live publications of every person, one per
 * endpoint, in memory, each under an entity-tag that changes with every refresh or modification
 * (§6 step 7) and an expiry timer (§6 step 4: a publication that is not refreshed goes away).
 * Every change is written through the DB queue and announced once per owner.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log';
import type { EndpointState } from '../../shared/presence/types';
import type { EndpointPublication } from './aggregate';
import type { PublicationRecord, PublicationRecords } from './store';

export interface Publication {
  readonly owner: string;
  /** The registration key of the endpoint that published (or `flow:<id>` when it did not register). */
  readonly endpoint: string;
  etag: string;
  state: EndpointState;
  /** When the state was last modified (not merely refreshed): the aggregate's "latest". */
  modifiedAt: number;
  expiresAt: number;
  timer?: NodeJS.Timeout;
}

export interface PublicationIndexOptions {
  records?: PublicationRecords;
  frontEnd: string;
  log: Logger;
  now?: () => number;
  /**
   * Writes are gathered for this long (ms) and the last state of each publication written: a DB
   * commit never sits between a PUBLISH and its NOTIFYs, and a burst of changes costs one write.
   * Default 200; 0 writes at once.
   */
  writeDelayMs?: number;
}

function newEtag(): string {
  return randomBytes(9).toString('base64url');
}

export class PublicationIndex {
  private readonly byOwner = new Map<string, Map<string, Publication>>();
  private readonly byEtag = new Map<string, Publication>();
  private readonly listeners: ((owner: string) => void)[] = [];
  private readonly now: () => number;
  /** owner\nendpoint -> the record to write, or null to delete it. */
  private readonly pendingWrites = new Map<string, { owner: string; endpoint: string; record: PublicationRecord | null }>();
  private writeTimer?: NodeJS.Timeout;

  constructor(private readonly opts: PublicationIndexOptions) {
    this.now = opts.now ?? Date.now;
  }

  onChange(listener: (owner: string) => void): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.byEtag.size;
  }

  forOwner(owner: string): Publication[] {
    return [...(this.byOwner.get(owner)?.values() ?? [])];
  }

  /** The aggregate's input for this owner. */
  endpointPublications(owner: string): EndpointPublication[] {
    return this.forOwner(owner).map((p) => ({ endpoint: p.endpoint, state: p.state, at: p.modifiedAt }));
  }

  /** RFC 3903 §6 step 3: the publication a SIP-If-Match names, if it is live and the owner's. */
  find(owner: string, etag: string): Publication | undefined {
    const p = this.byEtag.get(etag);
    return p && p.owner === owner ? p : undefined;
  }

  /** An initial publication (§6 step 5): replaces what this endpoint published before. */
  create(owner: string, endpoint: string, state: EndpointState, expiresSeconds: number): Publication {
    const old = this.byOwner.get(owner)?.get(endpoint);
    if (old) this.drop(old);
    const now = this.now();
    const p: Publication = { owner, endpoint, etag: newEtag(), state, modifiedAt: now, expiresAt: now + expiresSeconds * 1000 };
    this.index(p);
    this.changed(p);
    return p;
  }

  /** A refresh (state undefined, §6 step 6) or a modification (§6 step 7); a new entity-tag either way. */
  update(p: Publication, expiresSeconds: number, state?: EndpointState): Publication {
    this.byEtag.delete(p.etag);
    p.etag = newEtag();
    p.expiresAt = this.now() + expiresSeconds * 1000;
    if (state) {
      p.state = state;
      p.modifiedAt = this.now();
    }
    this.byEtag.set(p.etag, p);
    this.arm(p);
    if (state) this.changed(p);
    else this.persist(p);
    return p;
  }

  /** §6 step 4 (Expires: 0), expiry, or the endpoint's registration ended. */
  remove(p: Publication): void {
    if (this.byEtag.get(p.etag) !== p) return;
    this.drop(p);
    this.write(p.owner, p.endpoint, null);
    this.emit(p.owner);
  }

  /** Removes the owner's publications whose endpoint is not in `registered` (registration drives presence). */
  retainEndpoints(owner: string, registered: Set<string>): void {
    for (const p of this.forOwner(owner)) if (!registered.has(p.endpoint) && !p.endpoint.startsWith('flow:')) this.remove(p);
  }

  /** Publications of endpoints that never registered live as long as their connection. */
  flowClosed(flowId: string): void {
    const key = `flow:${flowId}`;
    for (const m of [...this.byOwner.values()]) {
      const p = m.get(key);
      if (p) this.remove(p);
    }
  }

  /** Puts back stored publications (start-up); `keep` says whether the endpoint is still registered. */
  restore(records: PublicationRecord[], keep: (r: PublicationRecord) => boolean): number {
    let n = 0;
    for (const r of records) {
      if (r.expiresAt <= this.now() || !keep(r)) continue;
      this.index({ owner: r.owner, endpoint: r.endpoint, etag: r.etag, state: r.state, modifiedAt: r.publishedAt, expiresAt: r.expiresAt });
      n++;
    }
    return n;
  }

  /** Stops the timers and hands the writes still gathered to the queue (the DB closes after us). */
  close(): void {
    for (const p of this.byEtag.values()) if (p.timer) clearTimeout(p.timer);
    this.flushWrites();
  }

  /** Hands every gathered write to the DB queue now. */
  flushWrites(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    const records = this.opts.records;
    const batch = [...this.pendingWrites.values()];
    this.pendingWrites.clear();
    if (!records) return;
    for (const w of batch) {
      const op = w.record ? records.upsert(w.record) : records.remove(w.owner, w.endpoint);
      void op.catch((err: unknown) => this.opts.log.warn('publication write failed', { err }));
    }
  }

  private index(p: Publication): void {
    let m = this.byOwner.get(p.owner);
    if (!m) this.byOwner.set(p.owner, (m = new Map()));
    m.set(p.endpoint, p);
    this.byEtag.set(p.etag, p);
    this.arm(p);
  }

  private drop(p: Publication): void {
    if (p.timer) clearTimeout(p.timer);
    this.byEtag.delete(p.etag);
    const m = this.byOwner.get(p.owner);
    if (m?.get(p.endpoint) === p) {
      m.delete(p.endpoint);
      if (m.size === 0) this.byOwner.delete(p.owner);
    }
  }

  private arm(p: Publication): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => this.remove(p), Math.min(Math.max(0, p.expiresAt - this.now()), 2 ** 31 - 1));
    p.timer.unref();
  }

  private changed(p: Publication): void {
    this.persist(p);
    this.emit(p.owner);
  }

  private persist(p: Publication): void {
    this.write(p.owner, p.endpoint, { owner: p.owner, endpoint: p.endpoint, etag: p.etag, frontEnd: this.opts.frontEnd, state: p.state, publishedAt: p.modifiedAt, expiresAt: p.expiresAt });
  }

  private write(owner: string, endpoint: string, record: PublicationRecord | null): void {
    if (!this.opts.records) return;
    this.pendingWrites.set(`${owner}\n${endpoint}`, { owner, endpoint, record });
    const delay = this.opts.writeDelayMs ?? 200;
    if (delay <= 0) return this.flushWrites();
    if (!this.writeTimer) {
      this.writeTimer = setTimeout(() => this.flushWrites(), delay);
      this.writeTimer.unref();
    }
  }

  private emit(owner: string): void {
    for (const l of this.listeners) {
      try {
        l(owner);
      } catch (err) {
        this.opts.log.error('publication listener failed', { err });
      }
    }
  }
}
