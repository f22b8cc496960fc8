import { ServiceKey } from '../base/runtime';
import type { PresenceService } from './presence-service';

/** The presence feature's own service, for its components. */
export const PRESENCE = new ServiceKey<PresenceService>('presence');
