/**
 * One notifier-side subscription (RFC 6665 §4.2): the dialog it lives in (RFC 3261 §12.1.1, UAS
 * side), its expiry timer, and its NOTIFY queue. NOTIFYs of one subscription go out one at a time
 * (the next after the previous was answered, so CSeq order is delivery order, RFC 6665 §4.2.2) and
 * the queue holds at most one waiting NOTIFY: a newer state replaces an older one not yet sent.
 *
 *   accept ──> active|pending ──refresh──> (same, new expiry)
 *                  │  expiry / Expires: 0 / close(reason) ──> final NOTIFY terminated ──> ended
 *                  └─ flow closed / NOTIFY failed (481, 408, ...) ──────────────────────> ended
 */
import { createRequest, newBranch } from '../message/index';
import { viaFor } from '../proxy/proxy';
import type { SipResponse } from '../message/types';
import type { Flow } from '../transport/types';
import type { TransactionLayer } from '../transaction/types';
import type { Logger } from '../../log';
import type { LocalAddress } from '../proxy/flow-token';
import type { NotifyContent, NotifyOptions, NotifyStatus, SubscriptionStateValue, TerminationInfo, TerminationReason } from './types';

/** The dialog state a Subscription needs (RFC 3261 §12.1.1 as UAS). */
export interface DialogState {
  callId: string;
  /** Our tag (the To-tag we put on the 2xx). */
  localTag: string;
  remoteTag: string;
  /** The SUBSCRIBE's To URI (without tag): our From on NOTIFYs. */
  localUri: string;
  /** The SUBSCRIBE's From name-addr (without tag): our To on NOTIFYs. */
  remoteUri: string;
  /** The subscriber's Contact URI: Request-URI of NOTIFYs (§12.1.1). */
  remoteTarget: string;
  /** Record-Route values of the SUBSCRIBE, in order (§12.1.1: the UAS keeps them as they are). */
  routeSet: string[];
  remoteCseq: number;
  /** Our Contact URI. */
  contact: string;
}

export interface SubscriptionDeps {
  transactions: TransactionLayer;
  localAddress(flow: Flow): LocalAddress;
  log: Logger;
  userAgent: string;
  now(): number;
  /** Private close event to the parent (the manager drops the subscription from its indexes). */
  onEnded(sub: Subscription): void;
}

export type StateProvider = (purpose: 'refresh' | 'final') => NotifyContent | undefined;

interface Queued {
  opts: NotifyOptions;
  waiters: ((status: NotifyStatus) => void)[];
}

export class Subscription {
  /** RFC 6665 §4.1.3 substate; 'terminated' once the final NOTIFY is queued or the subscription ended. */
  private stateValue: SubscriptionStateValue;
  private expiresAtMs: number;
  private localCseq = 0;
  private timer?: NodeJS.Timeout;
  private inFlight = false;
  private queued?: Queued;
  private endedFlag = false;
  private finalQueued = false;
  /** What onTerminated listeners learn once the final NOTIFY was answered (set by close()). */
  private finalInfo?: TerminationInfo;
  private terminatedListeners: ((info: TerminationInfo) => void)[] = [];
  private refreshListeners: ((expires: number) => void)[] = [];
  private stateProvider?: StateProvider;
  /** Free slot for the owning service (e.g. the watcher and resource of a presence subscription). */
  data: unknown;

  constructor(
    readonly key: string,
    /** Event package and its `id` parameter (RFC 6665 §8.2.1). */
    readonly event: string,
    readonly eventId: string | undefined,
    readonly dialog: DialogState,
    private flowRef: Flow,
    expiresSeconds: number,
    pending: boolean,
    /** Ceiling for refreshes (the grant of the initial SUBSCRIBE). */
    readonly maxExpires: number,
    readonly minExpires: number,
    private readonly deps: SubscriptionDeps,
  ) {
    this.stateValue = pending ? 'pending' : 'active';
    this.expiresAtMs = deps.now() + expiresSeconds * 1000;
    this.fetchOnly = expiresSeconds === 0;
    this.arm();
  }

  /** RFC 6665 §4.4.3: a SUBSCRIBE with Expires: 0 is a fetch; its first NOTIFY is also its last. */
  readonly fetchOnly: boolean;

  get state(): SubscriptionStateValue {
    return this.stateValue;
  }
  get ended(): boolean {
    return this.endedFlag;
  }
  get flow(): Flow {
    return this.flowRef;
  }
  get expiresAt(): number {
    return this.expiresAtMs;
  }
  /** Seconds left (for Subscription-State `expires=`), never negative. */
  get remainingSeconds(): number {
    return Math.max(0, Math.ceil((this.expiresAtMs - this.deps.now()) / 1000));
  }

  onTerminated(listener: (info: TerminationInfo) => void): void {
    if (this.endedFlag) return;
    this.terminatedListeners.push(listener);
  }

  /** Fired after a refresh was answered (RFC 6665 §4.2.1.2); a NOTIFY of the current state follows. */
  onRefresh(listener: (expires: number) => void): void {
    this.refreshListeners.push(listener);
  }

  /**
   * The current state to send after a refresh (`refresh`; undefined: no automatic NOTIFY, e.g. the
   * package sends its own) and in the final NOTIFY (`final`: expiry, unsubscribe, close).
   */
  setStateProvider(provider: StateProvider): void {
    this.stateProvider = provider;
  }

  /** Moves `pending` to `active` (authorization granted); send a NOTIFY after it. */
  activate(): void {
    if (this.stateValue === 'pending') this.stateValue = 'active';
  }

  /** Queues a NOTIFY; resolves with its status (see NotifyStatus). */
  notify(opts: NotifyOptions): Promise<NotifyStatus> {
    if (this.endedFlag || this.finalQueued) return Promise.resolve(0);
    let o = opts;
    if (this.fetchOnly && o.state !== 'terminated') o = { ...o, state: 'terminated', reason: 'timeout' };
    if (o.state === 'terminated') {
      this.finalQueued = true;
      this.stateValue = 'terminated';
      if (this.timer) clearTimeout(this.timer);
    } else if (o.state) {
      this.stateValue = o.state;
    }
    return new Promise((resolve) => {
      if (this.queued) {
        // Coalesce: the waiting NOTIFY is replaced by the newer state; its callers learn the newer one's fate.
        this.queued.opts = o;
        this.queued.waiters.push(resolve);
      } else {
        this.queued = { opts: o, waiters: [resolve] };
      }
      this.pump();
    });
  }

  /**
   * Ends the subscription with a final NOTIFY (`terminated;reason=`, with the provider's state) when
   * `notify` is true and the flow is up; resolves once it has ended. Idempotent.
   */
  async close(reason: TerminationReason = 'deactivated', opts: { notify?: boolean; info?: TerminationInfo } = {}): Promise<void> {
    if (this.endedFlag) return;
    const info = opts.info ?? { reason };
    if ((opts.notify ?? true) && !this.flowRef.closed && !this.finalQueued) {
      this.finalInfo = info;
      const content = this.stateProvider?.('final') ?? { body: '', contentType: '' };
      await this.notify({ ...content, state: 'terminated', reason });
    }
    this.end(info);
  }

  /** Called by the manager after it answered a refresh (RFC 6665 §4.2.1.2). */
  refreshed(expiresSeconds: number, remoteTarget: string | undefined, cseq: number): void {
    if (this.endedFlag || this.finalQueued) return;
    this.dialog.remoteCseq = cseq;
    // SUBSCRIBE is a target refresh request (RFC 6665 §4.1.2.1, RFC 3261 §12.2.2).
    if (remoteTarget) this.dialog.remoteTarget = remoteTarget;
    this.expiresAtMs = this.deps.now() + expiresSeconds * 1000;
    this.arm();
    for (const l of this.refreshListeners) this.safe(() => l(expiresSeconds));
    const content = this.stateProvider?.('refresh');
    if (content) void this.notify(content);
  }

  /** The manager moved the subscription to another flow (its old one closed). */
  moveTo(flow: Flow): void {
    this.flowRef = flow;
  }

  /** Ends now, without a NOTIFY. Idempotent. */
  end(info: TerminationInfo): void {
    if (this.endedFlag) return;
    this.endedFlag = true;
    this.stateValue = 'terminated';
    if (this.timer) clearTimeout(this.timer);
    const q = this.queued;
    this.queued = undefined;
    for (const w of q?.waiters ?? []) w(0);
    this.deps.onEnded(this);
    for (const l of this.terminatedListeners.splice(0)) this.safe(() => l(info));
    this.refreshListeners = [];
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.fetchOnly) return;
    const ms = Math.max(0, this.expiresAtMs - this.deps.now());
    // RFC 6665 §4.2.2: when the subscription expires, a final NOTIFY with reason=timeout.
    this.timer = setTimeout(() => void this.close('timeout'), Math.min(ms, 2 ** 31 - 1));
    this.timer.unref();
  }

  private pump(): void {
    if (this.inFlight || !this.queued || this.endedFlag) return;
    const { opts, waiters } = this.queued;
    this.queued = undefined;
    this.inFlight = true;
    this.send(opts, (status, res) => {
      this.inFlight = false;
      for (const w of waiters) w(status);
      if (this.endedFlag) return;
      if (failed(status, res)) {
        this.deps.log.debug('NOTIFY failed: subscription ends', { event: this.event, status });
        this.end({ reason: 'notify-failed', status });
        return;
      }
      if (opts.state === 'terminated') {
        this.end(this.finalInfo ?? { reason: opts.reason ?? 'timeout' });
        return;
      }
      this.pump();
    });
  }

  /** Builds the NOTIFY (RFC 6665 §4.2.2, §8.2.1; RFC 3261 §12.2.1.1) and sends it in a client transaction. */
  private send(opts: NotifyOptions, done: (status: number, res?: SipResponse) => void): void {
    const d = this.dialog;
    const flow = this.flowRef;
    if (flow.closed) return done(503);
    const state = opts.state ?? (this.stateValue === 'terminated' ? 'active' : this.stateValue);
    const subState = state === 'terminated' ? `terminated${opts.reason ? `;reason=${opts.reason}` : ''}` : `${state};expires=${this.remainingSeconds}`;
    const headers: [string, string][] = [];
    for (const r of d.routeSet) headers.push(['Route', r]);
    headers.push(['Event', this.event + (this.eventId !== undefined ? `;id=${this.eventId}` : '')]);
    headers.push(['Subscription-State', subState]);
    headers.push(['User-Agent', this.deps.userAgent]);
    for (const h of opts.extraHeaders ?? []) headers.push(h);
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
    const request = createRequest({
      method: 'NOTIFY',
      uri: d.remoteTarget,
      from: `${d.localUri};tag=${d.localTag}`,
      to: `${d.remoteUri};tag=${d.remoteTag}`,
      callId: d.callId,
      cseq: ++this.localCseq,
      via: viaFor(this.deps.localAddress(flow), newBranch()),
      maxForwards: 70,
      contact: `<${d.contact}>`,
      headers,
      body,
      contentType: body.length > 0 && opts.contentType ? opts.contentType : undefined,
    });
    let finished = false;
    const finish = (status: number, res?: SipResponse): void => {
      if (finished) return;
      finished = true;
      done(status, res);
    };
    try {
      this.deps.transactions.sendRequest(request, flow, {
        onResponse: (res) => {
          if (res.status >= 200) finish(res.status, res);
        },
        onTimeout: () => finish(408),
        onTransportError: () => finish(503),
      });
    } catch (err) {
      this.deps.log.debug('NOTIFY not sent', { err });
      finish(503);
    }
  }

  private safe(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.deps.log.error('subscription listener failed', { event: this.event, err });
    }
  }
}

/**
 * RFC 6665 §4.2.2: a NOTIFY failed when it timed out or got a non-2xx final response without
 * Retry-After (481 always ends it: the subscriber has no such subscription).
 */
function failed(status: number, res: SipResponse | undefined): boolean {
  if (status >= 200 && status < 300) return false;
  if (status === 481 || !res) return true;
  return !res.headers.has('Retry-After');
}
