/**
 * Contacts (issue 5): the roaming contact list and the access levels presence applies.
 *   ContactService  list / snapshot / accessLevel / apply / onChange (service.ts)
 *   ContactStore    the tables (schema.ts) and the commands (commands.ts)
 * The SIP wire (SUBSCRIBE vnd-ocs-contacts, MESSAGE commands) and the directory route are
 * installed by `contactsService` (install.ts); docs/protocol.md has the wire forms.
 * Other services get this Front End's one ContactService with `contactServiceOf(ctx)`.
 */
export { ContactService, type ContactChangeListener, type ContactServiceOptions } from './service';
export { ContactStore, type ApplyResult } from './store';
export { ContactError } from './errors';
export { CONTACTS_MIGRATIONS } from './schema';
export type { AccessLevel, Contact, ContactChange, ContactCommand, ContactGroup, ContactList } from '../../shared/contacts';
export { contactServiceOf } from './registry';
export { contactsService } from './install';
