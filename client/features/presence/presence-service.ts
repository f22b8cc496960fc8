/**
 * Presence over SIP (docs/presence.md): this endpoint PUBLISHes its state (RFC 3903) as PIDF with
 * the OCS availability number; one batched SUBSCRIBE to our own AOR (RFC 4662, no body: the server
 * follows our contact list, ourselves included) brings everyone's aggregated presence; people we
 * talk to who are not contacts get a single SUBSCRIBE while a view shows them. Publications and
 * subscriptions die with the registration, so each (re-)registration starts them afresh.
 */
import { Publisher, Subscriber, SubscriptionState, UserAgent, type Notification } from 'sip.js';
import { buildPidf } from '../../../shared/presence/pidf';
import { PIDF_TYPE, PRESENCE_EVENT, RLMI_TYPE } from '../../../shared/presence/types';
import type { PresenceView } from '../base/contracts';
import type { FeatureContext } from '../base/runtime';
import { Store } from '../base/store';
import { IdleDetector } from './idle';
import { readListNotify } from './list-notify';
import { loadStatus, saveStatus } from './persistence';
import { endpointPresence, localView, toView, type MachineState, type MyStatus, type StatusChoice } from './status';

const PUBLISH_EXPIRES_SEC = 600;
const SUBSCRIBE_EXPIRES_SEC = 3600;
const RESUBSCRIBE_DELAY_MS = 2_000;
const PUBLISH_DEBOUNCE_MS = 150;

export interface MyPresence {
  status: MyStatus;
  machine: MachineState;
  /** Our presence as the server aggregated it (all our endpoints); undefined until it arrives. */
  aggregate?: PresenceView;
}

export class PresenceService {
  readonly me: Store<MyPresence>;
  private publisher: Publisher | undefined;
  private list: Subscriber | undefined;
  private readonly singles = new Map<string, { count: number; subscriber?: Subscriber }>();
  private listUris = new Set<string>();
  private listKnown = false;
  private readonly idle: IdleDetector;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private stopped = false;
  private publishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: FeatureContext) {
    this.me = new Store<MyPresence>({ status: loadStatus(ctx.user.name), machine: { idle: false, inCall: false } });
    this.idle = new IdleDetector((idle) => this.setMachine({ idle }), this.me.get().status.awayAfterMinutes);
  }

  start(): () => void {
    const offs = [
      // Others (the header, conversations) read my presence from the People store like anyone's.
      this.me.subscribe(() => this.ctx.people.setPresence(this.ctx.user.uri, this.view())),
      this.ctx.sip.onRegistered(() => this.begin()),
      this.ctx.bus.on('call/activity', ({ inCall }) => this.setMachine({ inCall })),
      this.ctx.people.setWatcher((uri) => this.watch(uri)),
      this.idle.start(),
    ];
    if (this.ctx.sip.state === 'registered') this.begin();
    this.ctx.people.setPresence(this.ctx.user.uri, this.view());
    return () => {
      this.stopped = true;
      for (const off of offs) off();
      for (const timer of this.timers) clearTimeout(timer);
      if (this.publishTimer) clearTimeout(this.publishTimer);
      this.end();
    };
  }

  /** What this endpoint shows for us: the server's aggregate, else our own idea of it. */
  view(): PresenceView {
    const me = this.me.get();
    return me.aggregate ?? localView(me.status, me.machine);
  }

  choose(choice: StatusChoice | undefined): void {
    this.setStatus({ ...this.me.get().status, choice });
  }

  setNote(note: string): void {
    this.setStatus({ ...this.me.get().status, note });
  }

  setAwayAfter(minutes: number): void {
    this.setStatus({ ...this.me.get().status, awayAfterMinutes: minutes });
    this.idle.setMinutes(minutes);
  }

  private setStatus(status: MyStatus): void {
    saveStatus(this.ctx.user.name, status);
    // Show the choice at once; the server's aggregate (which may differ: another endpoint, a call) follows.
    this.me.set((m) => ({ status, machine: m.machine }));
    this.publish();
  }

  private setMachine(change: Partial<MachineState>): void {
    const machine = { ...this.me.get().machine, ...change };
    this.me.set((m) => ({ status: m.status, machine }));
    this.publish();
  }

  /** After every REGISTER that (re)created our binding: publish and subscribe from scratch. */
  private begin(): void {
    if (this.stopped) return;
    this.end();
    const ua = this.ctx.sip.userAgent;
    const self = UserAgent.makeURI(this.ctx.user.uri);
    if (!self) return;
    // No unpublish on dispose: the server drops an endpoint's publication with its registration.
    this.publisher = new Publisher(ua, self, PRESENCE_EVENT, { expires: PUBLISH_EXPIRES_SEC, contentType: PIDF_TYPE, unpublishOnClose: false });
    this.publishNow();
    this.subscribeList(self);
    for (const [uri, entry] of this.singles) entry.subscriber = this.subscribeOne(uri);
  }

  private end(): void {
    this.publisher?.dispose().catch(() => undefined);
    this.publisher = undefined;
    this.list?.dispose().catch(() => undefined);
    this.list = undefined;
    for (const entry of this.singles.values()) {
      entry.subscriber?.dispose().catch(() => undefined);
      delete entry.subscriber;
    }
  }

  /**
   * sip.js's Publisher does not queue: a PUBLISH sent before the previous answer (and its SIP-ETag)
   * arrived would start a second publication. Changes within a short window go out as one.
   */
  private publish(): void {
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.publishNow();
    }, PUBLISH_DEBOUNCE_MS);
  }

  private publishNow(): void {
    if (!this.publisher || this.ctx.sip.state !== 'registered') return;
    const me = this.me.get();
    const body = buildPidf(this.ctx.user.uri, { ...endpointPresence(me.status, me.machine), device: 'web' });
    this.publisher.publish(body).catch(() => undefined);
  }

  private subscribeList(self: ReturnType<typeof UserAgent.makeURI> & object): void {
    const subscriber = new Subscriber(this.ctx.sip.userAgent, self, PRESENCE_EVENT, {
      expires: SUBSCRIBE_EXPIRES_SEC,
      extraHeaders: ['Supported: eventlist', `Accept: multipart/related, ${RLMI_TYPE}, ${PIDF_TYPE}`],
    });
    subscriber.delegate = { onNotify: (n) => this.onListNotify(n) };
    this.keepAlive(subscriber, () => { if (this.list === subscriber) this.subscribeList(self); });
    this.list = subscriber;
    subscriber.subscribe().catch(() => undefined);
  }

  private onListNotify(notification: Notification): void {
    notification.accept().catch(() => undefined);
    const request = notification.request;
    const doc = readListNotify(request.body ?? '', request.getHeader('Content-Type'));
    if (!doc) return;
    if (doc.fullState) {
      const named = new Set(doc.resources.map((r) => r.uri));
      for (const uri of this.listUris) if (!named.has(uri)) this.ctx.people.setPresence(uri, undefined);
      this.listUris = named;
    }
    for (const r of doc.resources) {
      this.listUris.add(r.uri);
      const view = r.view ? toView(r.view) : undefined;
      if (r.uri === this.ctx.user.uri) this.me.set((m) => (view ? { ...m, aggregate: view } : m));
      else this.ctx.people.setPresence(r.uri, view);
    }
    if (!this.listKnown) {
      this.listKnown = true;
      for (const [uri, entry] of this.singles) if (!entry.subscriber && !this.listUris.has(uri)) entry.subscriber = this.subscribeOne(uri);
    }
  }

  /** Refcounted single subscriptions for people shown on screen who are not in the list. */
  private watch(uri: string): () => void {
    if (uri === this.ctx.user.uri) return () => undefined;
    let entry = this.singles.get(uri);
    if (!entry) {
      entry = { count: 0 };
      this.singles.set(uri, entry);
    }
    entry.count++;
    if (!entry.subscriber && this.listKnown && !this.listUris.has(uri) && this.list) entry.subscriber = this.subscribeOne(uri);
    return () => {
      const e = this.singles.get(uri);
      if (!e || --e.count > 0) return;
      this.singles.delete(uri);
      e.subscriber?.unsubscribe().catch(() => undefined);
    };
  }

  private subscribeOne(uri: string): Subscriber | undefined {
    const target = UserAgent.makeURI(uri);
    if (!target || this.listUris.has(uri)) return undefined;
    const subscriber = new Subscriber(this.ctx.sip.userAgent, target, PRESENCE_EVENT, {
      expires: SUBSCRIBE_EXPIRES_SEC,
      extraHeaders: [`Accept: ${PIDF_TYPE}`],
    });
    subscriber.delegate = {
      onNotify: (n) => {
        n.accept().catch(() => undefined);
        const doc = readListNotify(n.request.body ?? '', n.request.getHeader('Content-Type'));
        const view = doc?.resources[0]?.view;
        if (view && !this.listUris.has(uri)) this.ctx.people.setPresence(uri, toView(view));
      },
    };
    subscriber.subscribe().catch(() => undefined);
    return subscriber;
  }

  /**
   * A subscription the server ended (481 after a restart, expiry, a refused refresh) is made
   * again after a pause, while we are registered; a reconnect re-creates everything anyway.
   */
  private keepAlive(subscriber: Subscriber, again: () => void): void {
    subscriber.stateChange.addListener((state) => {
      if (state !== SubscriptionState.Terminated || this.stopped) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopped && this.ctx.sip.state === 'registered') again();
      }, RESUBSCRIBE_DELAY_MS);
      this.timers.add(timer);
    });
  }
}
