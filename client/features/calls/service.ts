import { ServiceKey } from '../base/runtime';
import type { CallManager } from './call-manager';

/** The calls feature's own manager, for its components. */
export const CALLS = new ServiceKey<CallManager>('calls');
