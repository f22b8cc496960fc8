/**
 * One Runtime per signed-in session: it starts every registered feature with a FeatureContext
 * (the SIP connection, the API token, the bus, the service table and navigation) and stops them,
 * in reverse order, when the session ends. Nothing here is global: a sign-out drops it all.
 */
import type { SessionUser } from '../../../shared/api/session';
import type { SipConnection } from '../session/sip';
import type { AppEvents } from './contracts';
import { People } from './people';
import { Emitter } from './emitter';
import type { Feature } from './registry';
import { Store } from './store';

/** A typed name under which one feature provides a service others may use. */
export class ServiceKey<T> {
  declare readonly _type: T;
  constructor(readonly name: string) {}
}

export class Services {
  private readonly map = new Map<ServiceKey<unknown>, unknown>();
  readonly changed = new Store(0);

  provide<T>(key: ServiceKey<T>, value: T): () => void {
    this.map.set(key as ServiceKey<unknown>, value);
    this.changed.set((n) => n + 1);
    return () => {
      if (this.map.get(key as ServiceKey<unknown>) !== value) return;
      this.map.delete(key as ServiceKey<unknown>);
      this.changed.set((n) => n + 1);
    };
  }

  get<T>(key: ServiceKey<T>): T | undefined {
    return this.map.get(key as ServiceKey<unknown>) as T | undefined;
  }
}

/** Which rail tab's list is shown and which main view is open. */
export interface NavState {
  tab: string;
  view?: { id: string; param?: string };
}

export class Navigation {
  readonly state: Store<NavState>;
  constructor(initialTab: string) {
    this.state = new Store<NavState>({ tab: initialTab });
  }
  selectTab(tab: string): void {
    this.state.set((s) => (s.tab === tab ? s : { ...s, tab }));
  }
  open(id: string, param?: string, tab?: string): void {
    this.state.set((s) => ({ tab: tab ?? s.tab, view: param === undefined ? { id } : { id, param } }));
  }
  close(): void {
    this.state.set((s) => (s.view ? { tab: s.tab } : s));
  }
  isOpen(id: string, param?: string): boolean {
    const view = this.state.get().view;
    return view?.id === id && (param === undefined || view.param === param);
  }
}

export interface FeatureContext {
  user: SessionUser;
  /** Our SIP domain (from the user's address of record). */
  domain: string;
  /** Bearer token for /api calls. */
  token: string;
  sip: SipConnection;
  bus: Emitter<AppEvents>;
  services: Services;
  nav: Navigation;
  /** Names and presence of other people, written by the features that learn them. */
  people: People;
}

export function domainOf(uri: string): string {
  const at = uri.lastIndexOf('@');
  return at < 0 ? '' : uri.slice(at + 1).replace(/[;>].*$/, '');
}

export class Runtime {
  readonly bus = new Emitter<AppEvents>();
  readonly services = new Services();
  readonly nav: Navigation;
  readonly context: FeatureContext;
  readonly people = new People();
  private readonly cleanups: (() => void)[] = [];
  private stopped = false;

  constructor(readonly features: readonly Feature[], init: { user: SessionUser; token: string; sip: SipConnection }) {
    const firstTab = [...features.flatMap((f) => f.rail ?? [])].filter((r) => r.Panel).sort((a, b) => a.order - b.order)[0];
    this.nav = new Navigation(firstTab?.id ?? '');
    this.context = { ...init, domain: domainOf(init.user.uri), bus: this.bus, services: this.services, nav: this.nav, people: this.people };
  }

  start(): void {
    this.cleanups.push(this.bus.on('person/seen', ({ uri, displayName }) => this.people.setSeenName(uri, displayName)));
    let firstRegistration = true;
    this.cleanups.push(this.context.sip.onRegistered(() => {
      if (!firstRegistration) this.bus.emit('connection/restored', {});
      firstRegistration = false;
    }));
    for (const feature of this.features) {
      try {
        const cleanup = feature.start?.(this.context);
        if (cleanup) this.cleanups.push(cleanup);
      } catch (err) {
        console.error(`feature "${feature.id}" failed to start`, err);
      }
    }
  }

  /** Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try { cleanup(); } catch (err) { console.error('feature cleanup failed', err); }
    }
  }
}
