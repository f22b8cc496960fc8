/**
 * Presence documents shared by the server and the web client (pure types). An endpoint publishes an
 * EndpointState; the server folds every endpoint's state into one Presence (RTC Aggregate), then
 * each watcher sees a PresenceView filtered by the access level the presentity granted them.
 */
import type { ActivityToken, AvailabilityClass, DeviceType } from './availability';

export interface PhoneNumbers {
  work?: string;
  mobile?: string;
  home?: string;
}

/** What one endpoint said about itself in its last PUBLISH (RFC 3903). */
export interface EndpointState {
  /** OCS availability number; undefined when the document stated none (e.g. plain PIDF, basic only). */
  availability?: number;
  activity?: ActivityToken;
  note?: string;
  device?: DeviceType;
  /** True when the person chose this state; false when the machine derived it (idle time, calls). */
  userSet: boolean;
  phones?: PhoneNumbers;
}

/** One person's presence after aggregation, before privacy filtering. */
export interface Presence {
  availability: number;
  class: AvailabilityClass;
  activity?: ActivityToken;
  note?: string;
  device?: DeviceType;
  /** Whether the winning state was set by the person. */
  userSet: boolean;
  phones?: PhoneNumbers;
}

/** What one watcher sees (PIDF `entity` + the parts its access level allows). */
export interface PresenceView extends Partial<Omit<Presence, 'availability' | 'class'>> {
  entity: string;
  availability: number;
  class: AvailabilityClass;
  /** Set for Workgroup and Personal watchers: they may reach the person through Do not disturb. */
  breakThrough?: boolean;
}

/** Content types on the wire. */
export const PIDF_TYPE = 'application/pidf+xml';
export const RLMI_TYPE = 'application/rlmi+xml';
export const RESOURCE_LISTS_TYPE = 'application/resource-lists+xml';
export const PRESENCE_EVENT = 'presence';
