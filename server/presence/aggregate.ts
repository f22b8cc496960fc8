/**
 * RTC Aggregate: every endpoint's published state -> one presence per person (multiple points of
 * presence). Pure and synchronous: the publication store calls it on every change, once per
 * presentity, never per watcher. The rules, in the order they are tried (docs/presence.md):
 *
 *   R1 No registered endpoint                                    -> Offline.
 *   R2 The person's latest own state is Offline ("Appear offline") -> Offline, nothing else shown.
 *   R3 Presenting on any endpoint                                 -> Do not disturb, "Presenting".
 *   R4 The person's latest own state is Do not disturb           -> Do not disturb.
 *   R5 In a conference on any endpoint                           -> Busy, "In a meeting";
 *      else in a call on any endpoint                            -> Busy, "In a call".
 *   R6 The person's latest own state (any endpoint, until changed or expired) -> that state.
 *   R7 Otherwise the machine states: the most available active (not idle) endpoint wins; if every
 *      endpoint is idle, the most available idle one. Endpoints that registered but published
 *      nothing count as Available only when no endpoint published at all.
 *
 * "Own state" = a publication with userSet true; an endpoint has one publication, so an endpoint
 * that publishes a machine state withdraws the own state it had set. The note is the latest one
 * published; the device is the winning endpoint's; phone numbers merge (latest wins per number)
 * over the directory's work number.
 */
import { AVAILABILITY, availabilityClass, isIdleClass, type ActivityToken, type AvailabilityClass } from '../../shared/presence/availability';
import type { EndpointState, PhoneNumbers, Presence } from '../../shared/presence/types';

export interface EndpointPublication {
  /** The endpoint (registration key) that published it. */
  endpoint: string;
  state: EndpointState;
  /** When it was last modified (ms); later wins between own states and notes. */
  at: number;
}

export interface AggregateInput {
  /** Registered endpoints of the person right now. */
  registered: number;
  /** Live (unexpired) publications, one per endpoint. */
  publications: readonly EndpointPublication[];
  /** From the directory (the user record). */
  phones?: PhoneNumbers;
}

function cls(n: number): AvailabilityClass {
  return availabilityClass(n) ?? 'available';
}

function presence(availability: number, userSet: boolean, from: EndpointPublication | undefined, activity?: ActivityToken): Presence {
  const p: Presence = { availability, class: cls(availability), userSet };
  if (activity) p.activity = activity;
  if (from?.state.device) p.device = from.state.device;
  return p;
}

export function aggregate(input: AggregateInput): Presence {
  const pubs = input.publications;
  // R1
  if (input.registered <= 0) return { availability: AVAILABILITY.offline, class: 'offline', userSet: false };
  const latestFirst = [...pubs].sort((a, b) => b.at - a.at);
  const own = latestFirst.find((p) => p.state.userSet && p.state.availability !== undefined);
  const ownClass = own ? cls(own.state.availability!) : undefined;
  // R2: hides everything, the note and numbers too.
  if (ownClass === 'offline') return { availability: AVAILABILITY.offline, class: 'offline', userSet: true };

  let result: Presence;
  const doing = (a: ActivityToken) => pubs.find((p) => p.state.activity === a);
  const presenting = doing('presenting');
  const meeting = doing('in-a-meeting');
  const call = doing('in-a-call');
  if (presenting) {
    result = presence(AVAILABILITY.dnd, false, presenting, 'presenting'); // R3
  } else if (own && ownClass === 'dnd') {
    result = presence(own.state.availability!, true, own, own.state.activity); // R4
  } else if (meeting || call) {
    result = presence(AVAILABILITY.busy, false, meeting ?? call, meeting ? 'in-a-meeting' : 'in-a-call'); // R5
  } else if (own) {
    result = presence(own.state.availability!, true, own, own.state.activity); // R6
  } else {
    result = machine(pubs); // R7
  }
  const noted = latestFirst.find((p) => p.state.note);
  if (noted) result.note = noted.state.note;
  const phones: PhoneNumbers = { ...input.phones };
  for (const p of [...latestFirst].reverse()) Object.assign(phones, stripUndefined(p.state.phones));
  if (Object.keys(phones).length > 0) result.phones = phones;
  return result;
}

/** R7: the most available active endpoint, else the most available idle one. */
function machine(pubs: readonly EndpointPublication[]): Presence {
  const stated = pubs.filter((p) => p.state.availability !== undefined);
  if (stated.length === 0) return presence(AVAILABILITY.available, false, pubs[0]);
  const rank = (p: EndpointPublication) => (isIdleClass(cls(p.state.availability!)) ? 1 : 0);
  const best = [...stated].sort((a, b) => rank(a) - rank(b) || a.state.availability! - b.state.availability!)[0]!;
  // An offline machine state (a plain client's basic=closed) loses to any other state.
  const online = stated.filter((p) => cls(p.state.availability!) !== 'offline');
  const winner = online.length > 0 && cls(best.state.availability!) === 'offline' ? online[0]! : best;
  return presence(winner.state.availability!, false, winner, winner.state.activity === 'out-of-office' ? 'out-of-office' : undefined);
}

function stripUndefined(p: PhoneNumbers | undefined): PhoneNumbers {
  const out: PhoneNumbers = {};
  for (const k of ['work', 'mobile', 'home'] as const) if (p?.[k]) out[k] = p[k];
  return out;
}
