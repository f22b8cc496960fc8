/**
 * Contacts: the roaming contact list (groups, access levels, directory search, drag between
 * groups). Writes the names people gave their contacts into the runtime's People store; opens
 * conversations and calls through the bus.
 */
import { createElement } from 'react';
import { Icon } from '../../ui';
import { registerFeature } from '../base/registry';
import { ContactsPanel } from './components/ContactsPanel';
import { ContactsService } from './contacts-service';
import { CONTACTS } from './service';
import './contacts.css';

registerFeature({
  id: 'contacts',
  start(ctx) {
    const service = new ContactsService(ctx);
    const stop = service.start();
    const withdraw = ctx.services.provide(CONTACTS, service);
    return () => {
      withdraw();
      stop();
    };
  },
  rail: [{ id: 'contacts', label: 'Contacts', order: 10, Icon: () => createElement(Icon, { name: 'people', size: 22 }), Panel: ContactsPanel }],
});
