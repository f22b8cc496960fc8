import { ServiceKey } from '../base/runtime';
import type { ImService } from './im-service';

/** The IM feature's own service, for its components. */
export const IM = new ServiceKey<ImService>('im');
