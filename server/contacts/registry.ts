/**
 * One ContactService per Front End, shared by every service that needs it (contacts' own SIP
 * handlers, presence's access levels and list fan-out, IM's blocking): keyed by the Front End's
 * Db, which the composition root creates once per Front End, so several Front Ends in one process
 * (tests, benchmarks) each get their own. Whichever installer asks first creates it.
 */
import type { ServiceContext } from '../services';
import { ContactService } from './service';

const services = new WeakMap<object, ContactService>();

export function contactServiceOf(ctx: Pick<ServiceContext, 'db' | 'config' | 'log'>): ContactService {
  let svc = services.get(ctx.db);
  if (!svc) {
    svc = new ContactService({ db: ctx.db, domain: ctx.config.domain, log: ctx.log });
    services.set(ctx.db, svc);
  }
  return svc;
}
