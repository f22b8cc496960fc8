/**
 * The contacts service on the SIP platform: its tables, the shared ContactService, the SIP
 * handlers for one's own list (docs/protocol.md "Contacts") and the directory search route.
 */
import type { ServiceInstaller } from '../services';
import { contactServiceOf } from './registry';
import { CONTACTS_MIGRATIONS } from './schema';

export const contactsService: ServiceInstaller = {
  name: 'contacts',
  migrations: [CONTACTS_MIGRATIONS],
  async install(ctx) {
    contactServiceOf(ctx);
  },
};
