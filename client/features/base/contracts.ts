/**
 * What features say to each other without importing each other (cf. Jitsi's action types): intents
 * and facts on the bus, and service interfaces one feature provides and others may look up.
 * A feature that is absent simply leaves an intent unhandled or a service unprovided.
 */

/** Events on the runtime's bus. */
export interface AppEvents {
  /** Open (creating if needed) the IM conversation with `uri` and show it. */
  'conversation/open': { uri: string; displayName?: string };
  /** Place a 1:1 call. */
  'call/start': { uri: string; displayName?: string; video: boolean };
  /** The signed-in user's call activity changed (presence publishes "In a call"). */
  'call/activity': { inCall: boolean };
  /** Someone's display name was learned (an incoming MESSAGE or INVITE named them). */
  'person/seen': { uri: string; displayName: string };
  /** The SIP connection registered again after a loss: features re-create what the server forgot. */
  'connection/restored': Record<string, never>;
}

/** OCS availability classes as the client shows them (docs/presence.md maps the numbers). */
export type Availability = 'available' | 'busy' | 'dnd' | 'brb' | 'away' | 'offline' | 'unknown';

export interface PresenceView {
  availability: Availability;
  /** What people read: "Available", "In a call", "Do not disturb", "Away 10 min"… */
  label: string;
  note?: string;
}

export interface Person {
  uri: string;
  displayName: string;
  presence?: PresenceView;
}

/** Provided by the contacts/presence features: what the client knows about other people. */
export interface PeopleDirectory {
  /** The same object until something about the person changes (React compares by identity). */
  person(uri: string): Person | undefined;
  /** Called whenever anything about anyone changed. */
  subscribe(listener: () => void): () => void;
  /** Watch a person's presence while a conversation with them is open (non-contacts too). */
  watch?(uri: string): () => void;
}

/** Colour class of an availability (the Avatar badge and status dots use it). */
export function badgeOf(availability: Availability): 'available' | 'busy' | 'dnd' | 'away' | 'offline' {
  switch (availability) {
    case 'available': return 'available';
    case 'busy': return 'busy';
    case 'dnd': return 'dnd';
    case 'brb':
    case 'away': return 'away';
    default: return 'offline';
  }
}
