/**
 * The contacts service on the SIP platform: its tables, the shared ContactService, the SIP
 * handlers for one's own list (docs/protocol.md "Contacts") and the directory search route.
 * Install it before IM policy: a contacts command is a MESSAGE with our own content type.
 */
import type { ServiceInstaller } from '../services';
import { SubscriptionManager } from '../sip/dialog/index';
import { directoryPlugin } from './directory';
import { ContactsNotifier } from './notifier';
import { contactServiceOf } from './registry';
import { CONTACTS_MIGRATIONS } from './schema';
import { contactsCommandHandler, contactsSubscribeHandler } from './sip';

export const contactsService: ServiceInstaller = {
  name: 'contacts',
  migrations: [CONTACTS_MIGRATIONS],
  async install(ctx) {
    const contacts = contactServiceOf(ctx);
    const subscriptions = new SubscriptionManager({
      transactions: ctx.transactions,
      transport: ctx.transport,
      localAddress: ctx.localAddress,
      frontEndId: ctx.frontEndId,
      log: ctx.log,
      serverName: ctx.config.serverName,
    });
    const notifier = new ContactsNotifier(contacts, ctx.log);
    const domain = ctx.config.domain;
    ctx.dispatcher.on('SUBSCRIBE', contactsSubscribeHandler({ domain, contacts, subscriptions, notifier }));
    ctx.dispatcher.on('MESSAGE', contactsCommandHandler({ domain, contacts }));
    await ctx.http.register(directoryPlugin, { prefix: '/api', db: ctx.db, domain, tokens: ctx.tokens });
    return () => subscriptions.close();
  },
};
