/**
 * What features say to each other without importing each other (cf. Jitsi's action types): intents
 * and facts on the bus, and service interfaces one feature provides and others may look up.
 * A feature that is absent simply leaves an intent unhandled or a service unprovided.
 */
import type { AccessLevel } from '../../../shared/contacts';
import type { ActivityToken, AvailabilityClass } from '../../../shared/presence/availability';

/** Events on the runtime's bus. */
export interface AppEvents {
  /** Open (creating if needed) the IM conversation with `uri` and show it. */
  'conversation/open': { uri: string; displayName?: string };
  /** Place a 1:1 call. */
  'call/start': { uri: string; displayName?: string; video: boolean };
  /** A call rang here and nobody answered it (or Do not disturb turned it away). */
  'call/missed': { uri: string; displayName: string; video: boolean; at: number };
  /** The signed-in user's call activity changed (presence publishes "In a call"). */
  'call/activity': { inCall: boolean };
  /** Someone's display name was learned (an incoming MESSAGE or INVITE named them). */
  'person/seen': { uri: string; displayName: string };
  /** The SIP connection registered again after a loss: features re-create what the server forgot. */
  'connection/restored': Record<string, never>;
  /** Start a meeting now with these people (SIP URIs): they get the join link by IM (Teams "Meet now"). */
  'meeting/start': { with: string[] };
  /** A meeting asked for by 'meeting/start' is open and we are on its stage (a 1:1 call it replaces may end). */
  'meeting/started': { conferenceId: string; with: string[] };
}

/** What the client shows of someone's presence (docs/presence.md: class from the OCS number). */
export interface PresenceView {
  class: AvailabilityClass;
  /** What people read: "Available", "In a call", "Do not disturb"… */
  label: string;
  activity?: ActivityToken;
  note?: string;
}

export interface Person {
  uri: string;
  displayName: string;
  presence?: PresenceView;
  /** The access level I grant them, when they are in my contact list (docs/protocol.md). */
  accessLevel?: AccessLevel;
}

/** Colour class of an availability class (the Avatar badge and status dots use it). */
export function badgeOf(c: AvailabilityClass): 'available' | 'busy' | 'dnd' | 'away' | 'offline' {
  switch (c) {
    case 'available': return 'available';
    case 'busy':
    case 'busy-idle': return 'busy';
    case 'dnd': return 'dnd';
    case 'idle':
    case 'brb':
    case 'away': return 'away';
    default: return 'offline';
  }
}
