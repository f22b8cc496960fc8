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
      const svc = new PresenceService({
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
        records: new PublicationRecords(ctx.db),
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
