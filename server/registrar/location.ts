/**
 * The location service: every live binding in memory (the routing hot path never touches the DB),
 * with the DB as the record. The parent owns its bindings (STYLE.md): bindings leave the index when
 * they expire, are removed, or their flow closes, and each change is written through the queue.
 */
import { type Binding, type BindingRecords, bindingKey } from './binding';
import type { Logger } from '../log';
import { parseUri } from '../sip/message/index';
import type { SipUri } from '../sip/message/types';

/** Contacts match on user, host and port; URI parameters (transport, ob, gr) do not tell endpoints apart. */
export function contactKey(uri: SipUri | string): string {
  try {
    const u = typeof uri === 'string' ? parseUri(uri) : uri;
    return `${u.user ?? ''}@${u.host}:${u.port ?? ''}`;
  } catch {
    return String(uri);
  }
}

export interface LocationEvents {
  /**
   * Fired after a change to an AOR's set of endpoints: a binding added or removed (expired, flow
   * gone, unregistered). A refresh is not a change, nor is an endpoint coming back on a new
   * connection or contact (same +sip.instance / reg-id): the endpoint is the same.
   */
  change(aor: string, bindings: Binding[]): void;
}

export class LocationService {
  private readonly byAor = new Map<string, Map<string, Binding>>();
  private readonly byFlow = new Map<string, Set<Binding>>();
  private readonly byContact = new Map<string, Binding>();
  /** contactKey of each indexed binding, computed once (it parses the contact URI). */
  private readonly contactKeys = new WeakMap<Binding, string>();
  private readonly listeners: LocationEvents['change'][] = [];
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly records: BindingRecords,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  onChange(listener: LocationEvents['change']): void {
    this.listeners.push(listener);
  }

  /** Loads this Front End's persisted bindings; those tied to a flow that no longer exists are dropped. */
  async restore(frontEnd: string, flowExists: (flowId: string) => boolean): Promise<number> {
    const stored = await this.records.listByFrontEnd(frontEnd);
    let kept = 0;
    for (const b of stored) {
      if (b.expiresAt <= this.now() || (b.flowId && !flowExists(b.flowId) && !isDialable(b.contact))) {
        void this.records.remove(b.aor, bindingKey(b)).catch(() => undefined);
        continue;
      }
      if (b.flowId && !flowExists(b.flowId)) b.flowId = undefined;
      this.index(b);
      kept++;
    }
    return kept;
  }

  startSweeper(intervalMs = 5_000): void {
    this.sweepTimer = setInterval(() => this.sweep(), intervalMs);
    this.sweepTimer.unref();
  }

  lookup(aor: string): Binding[] {
    const now = this.now();
    const set = this.byAor.get(aor);
    if (!set) return [];
    return [...set.values()].filter((b) => b.expiresAt > now).sort((a, b) => b.q - a.q || b.updatedAt - a.updatedAt);
  }

  /** The binding whose Contact is this URI (in-dialog requests addressed to a contact). */
  byContactUri(contact: SipUri | string): Binding | undefined {
    const b = this.byContact.get(contactKey(contact));
    return b && b.expiresAt > this.now() ? b : undefined;
  }

  /** The binding of a public GRUU (RFC 5627 §5.1): the AOR's binding with that instance. */
  byInstance(aor: string, instanceId: string): Binding | undefined {
    return this.lookup(aor).find((b) => b.instanceId === instanceId);
  }

  all(): Binding[] {
    return [...this.byAor.values()].flatMap((m) => [...m.values()]);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byAor.values()) n += m.size;
    return n;
  }

  async put(b: Binding): Promise<void> {
    const old = this.byAor.get(b.aor)?.get(bindingKey(b));
    const sameEndpoint = old !== undefined && old.expiresAt > this.now();
    this.index(b);
    if (!sameEndpoint) this.emit(b.aor);
    await this.records.upsert(b);
  }

  async remove(aor: string, key: string): Promise<void> {
    const b = this.byAor.get(aor)?.get(key);
    if (b) {
      this.unindex(b);
      this.emit(aor);
    }
    await this.records.remove(aor, key);
  }

  /** RFC 5626 §5.4 / our rule: a binding whose connection is gone cannot be reached; drop it now. */
  flowClosed(flowId: string): void {
    const set = this.byFlow.get(flowId);
    if (!set || set.size === 0) return;
    const aors = new Set<string>();
    const writes: Promise<unknown>[] = [];
    for (const b of [...set]) {
      if (isDialable(b.contact) && b.expiresAt > this.now()) {
        // A TCP endpoint with a listening contact can still be reached by a new connection: the
        // binding stays, in memory and in the record, without its flow. The record keeps the old
        // flow id: a flow id means nothing once its connection is gone (restore() drops ids of
        // flows that do not exist), so this costs no write per closed connection.
        b.flowId = undefined;
        continue;
      }
      this.unindex(b);
      aors.add(b.aor);
      writes.push(this.records.remove(b.aor, bindingKey(b)));
    }
    this.byFlow.delete(flowId);
    void Promise.all(writes).catch((err: unknown) => this.log.warn('binding update after flow loss failed', { err }));
    for (const aor of aors) this.emit(aor);
  }

  private sweep(): void {
    const now = this.now();
    const aors = new Set<string>();
    for (const set of this.byAor.values()) {
      for (const b of set.values()) {
        if (b.expiresAt <= now) {
          this.unindex(b);
          aors.add(b.aor);
        }
      }
    }
    if (aors.size === 0) return;
    void this.records.removeExpired(now).catch((err: unknown) => this.log.warn('expired binding purge failed', { err }));
    for (const aor of aors) this.emit(aor);
  }

  private index(b: Binding): void {
    const key = bindingKey(b);
    const old = this.byAor.get(b.aor)?.get(key);
    if (old) this.unindex(old);
    let set = this.byAor.get(b.aor);
    if (!set) this.byAor.set(b.aor, (set = new Map()));
    set.set(key, b);
    const ck = contactKey(b.contact);
    this.contactKeys.set(b, ck);
    this.byContact.set(ck, b);
    if (b.flowId) {
      let flows = this.byFlow.get(b.flowId);
      if (!flows) this.byFlow.set(b.flowId, (flows = new Set()));
      flows.add(b);
    }
  }

  private unindex(b: Binding): void {
    const set = this.byAor.get(b.aor);
    if (set?.get(bindingKey(b)) === b) {
      set.delete(bindingKey(b));
      if (set.size === 0) this.byAor.delete(b.aor);
    }
    const ck = this.contactKeys.get(b) ?? contactKey(b.contact);
    if (this.byContact.get(ck) === b) this.byContact.delete(ck);
    if (b.flowId) {
      const flows = this.byFlow.get(b.flowId);
      flows?.delete(b);
      if (flows?.size === 0) this.byFlow.delete(b.flowId);
    }
  }

  private emit(aor: string): void {
    const current = this.lookup(aor);
    for (const l of this.listeners) {
      try {
        l(aor, current);
      } catch (err) {
        this.log.error('location listener failed', { err });
      }
    }
  }

  close(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }
}

/**
 * Whether a new connection could reach this contact: a TCP/TLS contact with a real host. WebSocket
 * contacts (`*.invalid`, transport=ws) are reachable only over the flow they registered on.
 */
export function isDialable(contact: string): boolean {
  const lower = contact.toLowerCase();
  if (lower.includes('transport=ws') || lower.includes('.invalid')) return false;
  return lower.includes('transport=tcp') || lower.includes('transport=tls') || lower.startsWith('sips:');
}
