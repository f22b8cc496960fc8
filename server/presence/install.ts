/**
 * The presence service on the SIP platform: its table, PUBLISH and SUBSCRIBE (Event: presence)
 * handlers, and the contact service for access levels and contact lists.
 */
import type { ServiceInstaller } from '../services';
import { contactServiceOf } from '../contacts/index';
import { publishHandler } from './publish';
import { subscribeHandler } from './subscribe';
import { PresenceService, type PresenceSettings } from './service';
import { PRESENCE_MIGRATIONS, PublicationRecords } from './store';
import { PresencePoolSync, type PresenceShare } from './pool-sync';
import type { ServiceContext } from '../services';
import { aorOf } from '../registrar/register';

/** Services keyed by Front End (its Db), for tests and the admin page: several Front Ends may share a process. */
const byDb = new WeakMap<object, PresenceService>();

export function presenceServiceOf(db: object): PresenceService | undefined {
  return byDb.get(db);
}

export function presenceServiceWith(settings: Partial<PresenceSettings> = {}): ServiceInstaller {
  return {
    name: 'presence',
    migrations: [PRESENCE_MIGRATIONS],
    async install(ctx) {
      const records = new PublicationRecords(ctx.db);
      const svc = new PresenceService({
        pool: poolSync(ctx, records),
        domain: ctx.config.domain,
        frontEndId: ctx.frontEndId,
        log: ctx.log,
        serverName: ctx.config.serverName,
        transactions: ctx.transactions,
        transport: ctx.transport,
        localAddress: (f) => ctx.localAddress(f),
        location: ctx.location,
        contacts: contactServiceOf(ctx),
        findUser: async (name) => {
          const u = await ctx.db.users.findByName(name);
          return u && !u.disabled ? { phone: u.phone } : undefined;
        },
        records,
        settings,
      });
      const restored = await svc.restore();
      if (restored > 0) ctx.log.info('publications restored', { count: restored });
      ctx.dispatcher.on('PUBLISH', publishHandler({ domain: ctx.config.domain, location: ctx.location, publications: svc.publications, settings: svc.settings.publish }));
      ctx.dispatcher.on('SUBSCRIBE', subscribeHandler(svc));
      byDb.set(ctx.db, svc);
      return () => {
        byDb.delete(ctx.db);
        svc.close();
      };
    },
  };
}

export const presenceService: ServiceInstaller = presenceServiceWith();

/** Presence across the pool: members' shares travel on the pool's bus and are read from the shared DB. */
function poolSync(ctx: ServiceContext, records: PublicationRecords): PresencePoolSync {
  const { members, bus } = ctx.pool;
  return new PresencePoolSync({
    pool: {
      get active() {
        return bus.active;
      },
      others: () => members.others().map((m) => m.id),
      onMembersChange: (listener) => void members.onChange(listener),
      publish: (topic, data) => bus.publish(topic, data),
      subscribe: (topic, listener) => bus.subscribe(topic, listener),
    },
    loadShares: async (user, ids) => {
      const now = Date.now();
      const wanted = new Set(ids);
      const shares = new Map<string, PresenceShare>();
      const share = (fe: string) => shares.get(fe) ?? (shares.set(fe, { endpoints: 0, publications: [] }).get(fe)!);
      for (const b of await ctx.db.bindings.listByAor(aorOf(user, ctx.config.domain))) {
        if (wanted.has(b.frontEnd) && b.expiresAt > now) share(b.frontEnd).endpoints++;
      }
      for (const r of await records.listOwner(user, now)) {
        if (wanted.has(r.frontEnd)) share(r.frontEnd).publications.push({ endpoint: r.endpoint, state: r.state, at: r.publishedAt });
      }
      return shares;
    },
    log: ctx.log,
  });
}
