import { ServiceKey } from '../base/runtime';
import type { ContactsService } from './contacts-service';

/** The contacts feature's own service, for its components. */
export const CONTACTS = new ServiceKey<ContactsService>('contacts');
