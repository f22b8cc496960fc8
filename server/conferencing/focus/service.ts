/**
 * The conferencing service on the SIP platform: the Focus Factory (meetings from C3P) and the
 * Focuses (one per active conference), installed through one ServiceInstaller. Requests whose
 * Request-URI carries our `opaque` parameter are taken here; everything else passes on. In a pool,
 * each conference's Focus is homed on one member (docs/pool.md) and requests are forwarded there.
 */
import type { ServiceContext, ServiceInstaller } from '../../services';
import type { RequestContext } from '../../dispatcher/context';
import { SubscriptionManager } from '../../sip/dialog/index';
import { conferencingTarget } from '../../../shared/conferencing/uri';
import { MEETINGS_MIGRATIONS } from '../focus-factory/schema';
import { MeetingStore } from '../focus-factory/store';
import { FocusFactory } from '../focus-factory/factory';
import { handleFactoryRequest } from '../focus-factory/handler';
import { McuClient } from './mcuClient';
import { FocusRegistry } from './registry';
import { handleFocusRequest } from './handler';
import { registerGuestRoutes, retireGuests } from './guests';
import { attachMediaProxy } from './mediaProxy';
import { MediaOrigins } from './mediaOrigins';

/** How often expired meetings are looked for. */
const SWEEP_INTERVAL_MS = 60_000;
const METHODS = ['INVITE', 'BYE', 'INFO', 'SUBSCRIBE', 'MESSAGE'] as const;

export interface ConferencingService {
  factory: FocusFactory;
  registry: FocusRegistry;
  store: MeetingStore;
}

/** Builds the service's parts (exported for tests that want to reach them). */
export function createConferencing(ctx: ServiceContext): ConferencingService & { close(): void } {
  const log = ctx.log;
  const domain = ctx.config.domain;
  const store = new MeetingStore(ctx.db, domain);
  const mediaOrigins = new MediaOrigins(ctx.mcuFactory);
  const registry = new FocusRegistry({
    store,
    media: { mcus: ctx.mcuFactory, client: new McuClient(ctx.mcuSecret), log, onSignalingUrl: (u) => mediaOrigins.add(u) },
    transactions: ctx.transactions,
    localAddress: (flow) => ctx.localAddress(flow),
    domain,
    log,
    // Tests shorten it; deployments keep the default (a Front End restart takes seconds).
    ...(process.env.OCS_CONF_REJOIN_GRACE_MS ? { rejoinGraceMs: Number(process.env.OCS_CONF_REJOIN_GRACE_MS) } : {}),
  });
  const onFlowClose = (flow: { id: string }) => registry.flowClosed(flow.id);
  ctx.transport.on('flowClose', onFlowClose);
  const factory = new FocusFactory({
    store,
    domain,
    userExists: async (name) => !!(await ctx.db.users.findByName(name)),
    onEnded: async (conferenceId, guests, why) => {
      await registry.end(conferenceId, why === 'expired' ? 'The meeting has expired.' : 'The meeting was deleted.');
      await ctx.pool.homes.release(`conference:${conferenceId}`);
      await retireGuests(ctx.db.users, guests, log);
    },
  });
  const subscriptions = new SubscriptionManager({
    transactions: ctx.transactions,
    transport: ctx.transport,
    localAddress: (flow) => ctx.localAddress(flow),
    frontEndId: ctx.frontEndId,
    log,
    serverName: ctx.config.serverName,
  });
  const handler = {
    module: 'conferencing',
    async handle(rc: RequestContext) {
      const target = conferencingTarget(rc.request.uri.params.get('opaque'));
      if (!target) return;
      if (target.kind === 'factory') return handleFactoryRequest(rc, factory, log);
      // In a pool a conference's Focus lives on one member (its roster and dialogs are in memory):
      // a request that reached another member goes there, record-routed, and the dialog's later
      // requests pass through here along the flow token (the router takes those: rc.dialog).
      if (rc.dialog) return;
      if (rc.authMethod !== 'peer') {
        const home = await ctx.pool.homes.homeOf(`conference:${target.conferenceId}`);
        if (home !== ctx.frontEndId) return ctx.pool.forwarder.forwardTo(rc, home);
      }
      return handleFocusRequest(rc, target.conferenceId, {
        registry,
        store,
        subscriptions,
        log,
        displayNameOf: async (name) => (await ctx.db.users.findByName(name))?.displayName,
      });
    },
  };
  for (const m of METHODS) ctx.dispatcher.on(m, handler);
  registerGuestRoutes(ctx.http, { store, users: ctx.db.users, tokens: ctx.tokens, domain, log });
  const detachProxy = attachMediaProxy(ctx.http.server, ctx.mcuFactory, log);
  mediaOrigins.install(ctx.http);
  const sweeper = setInterval(() => {
    factory.sweepExpired().catch((err) => log.warn('expired meeting sweep failed', { err }));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  return {
    factory,
    registry,
    store,
    close() {
      clearInterval(sweeper);
      detachProxy();
      subscriptions.close();
      registry.close();
    },
  };
}

export const conferencingService: ServiceInstaller = {
  name: 'conferencing',
  migrations: [MEETINGS_MIGRATIONS],
  async install(ctx) {
    const service = createConferencing(ctx);
    return () => service.close();
  },
};
