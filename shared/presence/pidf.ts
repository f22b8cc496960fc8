/**
 * PIDF (RFC 3863) with RPID (RFC 4480) and the data model (RFC 4479), plus our own namespace for
 * what OCS added (availability number, activity token, device, user-set flag, phone numbers).
 * One document serves both kinds of watcher: plain RFC 3856 watchers read `basic` open/closed, the
 * RPID activities and the note; our client reads `<ocs:state>` too. Readers of either kind ignore
 * what they do not know (RFC 3863 §4.1.2), so nothing is negotiated.
 */
import { AVAILABILITY, availabilityClass, isActivityToken, isDeviceType, type ActivityToken, type AvailabilityClass } from './availability';
import type { EndpointState, PhoneNumbers, PresenceView } from './types';
import { descendantsOf, escapeXml, parseXml, XmlError, type XmlElement } from './xml';

export const NS = {
  pidf: 'urn:ietf:params:xml:ns:pidf',
  rpid: 'urn:ietf:params:xml:ns:pidf:rpid',
  dm: 'urn:ietf:params:xml:ns:pidf:data-model',
  ocs: 'urn:x-ocs:params:xml:ns:presence',
} as const;

/** The fields a document can carry (a PresenceView or an EndpointState both fit). */
export interface PidfFields {
  availability?: number;
  activity?: ActivityToken;
  note?: string;
  device?: string;
  userSet?: boolean;
  phones?: PhoneNumbers;
  breakThrough?: boolean;
}

/** RPID activity (RFC 4480 §3.2) that plain watchers understand, for each class / activity. */
function rpidActivity(cls: AvailabilityClass | undefined, activity: ActivityToken | undefined): string | undefined {
  switch (activity) {
    case 'in-a-call':
      return 'on-the-phone';
    case 'in-a-meeting':
      return 'meeting';
    case 'presenting':
      return 'presentation';
    case 'out-of-office':
      return 'vacation';
  }
  switch (cls) {
    case 'busy':
    case 'busy-idle':
    case 'dnd':
      return 'busy';
    case 'brb':
    case 'away':
      return 'away';
    default:
      return undefined;
  }
}

/** Serialises a presence document for `entity` (a SIP URI). */
export function buildPidf(entity: string, f: PidfFields): string {
  const cls = f.availability !== undefined ? availabilityClass(f.availability) : undefined;
  const open = cls !== 'offline';
  const note = f.note ? escapeXml(f.note) : undefined;
  let person = '';
  const act = rpidActivity(cls, f.activity);
  if (act) person += `<rpid:activities><rpid:${act}/></rpid:activities>`;
  if (cls === 'idle' || cls === 'busy-idle') person += '<rpid:user-input>idle</rpid:user-input>';
  if (note) person += `<dm:note>${note}</dm:note>`;
  const attrs: string[] = [];
  if (f.availability !== undefined) attrs.push(`availability="${Math.round(f.availability)}"`);
  if (cls) attrs.push(`class="${cls}"`);
  if (f.activity) attrs.push(`activity="${f.activity}"`);
  if (f.device) attrs.push(`device="${escapeXml(f.device)}"`);
  if (f.userSet !== undefined) attrs.push(`user-set="${f.userSet}"`);
  if (f.breakThrough) attrs.push('break-through="true"');
  person += `<ocs:state ${attrs.join(' ')}/>`;
  for (const k of ['work', 'mobile', 'home'] as const) {
    const v = f.phones?.[k];
    if (v) person += `<ocs:phone type="${k}">${escapeXml(v)}</ocs:phone>`;
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<presence xmlns="${NS.pidf}" xmlns:dm="${NS.dm}" xmlns:rpid="${NS.rpid}" xmlns:ocs="${NS.ocs}" entity="${escapeXml(entity)}">` +
    `<tuple id="t0"><status><basic>${open ? 'open' : 'closed'}</basic></status>${note ? `<note>${note}</note>` : ''}</tuple>` +
    `<dm:person id="p0">${person}</dm:person>` +
    '</presence>'
  );
}

/** What a PIDF document said, in either dialect. */
export interface PidfReading {
  entity?: string;
  /** Any tuple open: 'open'; tuples but none open: 'closed'; no basic at all: undefined. */
  basic?: 'open' | 'closed';
  rpidActivities: string[];
  idle: boolean;
  note?: string;
  /** From `<ocs:state>` when present. */
  ocs?: PidfFields;
}

export class PidfError extends Error {
  override readonly name = 'PidfError';
}

/** Reads a PIDF body; throws PidfError when it is not a PIDF document. */
export function readPidf(xml: string): PidfReading {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    throw new PidfError(err instanceof XmlError ? `malformed XML: ${err.message}` : 'malformed XML');
  }
  if (root.ns !== NS.pidf || root.name !== 'presence') throw new PidfError('not a PIDF document (root must be pidf:presence)');
  const basics = descendantsOf(root, NS.pidf, 'basic').map((b) => b.text.trim().toLowerCase());
  const basic = basics.length === 0 ? undefined : basics.includes('open') ? 'open' : 'closed';
  const rpidActivities: string[] = [];
  for (const acts of descendantsOf(root, NS.rpid, 'activities')) for (const a of acts.children) if (a.ns === NS.rpid) rpidActivities.push(a.name);
  const idle = descendantsOf(root, NS.rpid, 'user-input').some((u) => u.text.trim().toLowerCase() === 'idle');
  const noteEl = descendantsOf(root, NS.dm, 'note')[0] ?? descendantsOf(root, NS.pidf, 'note')[0];
  const note = noteEl?.text.trim() || undefined;
  const state = descendantsOf(root, NS.ocs, 'state')[0];
  let ocs: PidfFields | undefined;
  if (state) {
    const a = state.attrs;
    const n = Number(a.get('availability'));
    const activity = a.get('activity');
    const device = a.get('device');
    ocs = {
      availability: a.has('availability') && Number.isFinite(n) ? n : undefined,
      activity: activity && isActivityToken(activity) ? activity : undefined,
      device: device && isDeviceType(device) ? device : undefined,
      userSet: a.has('user-set') ? a.get('user-set') === 'true' : undefined,
      breakThrough: a.get('break-through') === 'true' || undefined,
    };
    const phones: PhoneNumbers = {};
    for (const p of descendantsOf(root, NS.ocs, 'phone')) {
      const t = p.attrs.get('type');
      if ((t === 'work' || t === 'mobile' || t === 'home') && p.text.trim()) phones[t] = p.text.trim().slice(0, 64);
    }
    if (Object.keys(phones).length > 0) ocs.phones = phones;
  }
  return { entity: root.attrs.get('entity'), basic, rpidActivities, idle, note: note?.slice(0, 1024), ocs };
}

/** RPID activities a plain client may publish, as our availability and activity. */
const FROM_RPID: Record<string, { availability: number; activity?: ActivityToken; machine?: boolean }> = {
  'on-the-phone': { availability: AVAILABILITY.busy, activity: 'in-a-call', machine: true },
  meeting: { availability: AVAILABILITY.busy, activity: 'in-a-meeting', machine: true },
  presentation: { availability: AVAILABILITY.dnd, activity: 'presenting', machine: true },
  vacation: { availability: AVAILABILITY.away, activity: 'out-of-office' },
  busy: { availability: AVAILABILITY.busy },
  away: { availability: AVAILABILITY.away },
  appointment: { availability: AVAILABILITY.busy },
  meal: { availability: AVAILABILITY.away },
  'permanent-absence': { availability: AVAILABILITY.away },
  sleeping: { availability: AVAILABILITY.away },
  holiday: { availability: AVAILABILITY.away, activity: 'out-of-office' },
};

/**
 * The endpoint state a PUBLISH body means (docs/presence.md, "Reading a plain PIDF"). Our own
 * `<ocs:state>` wins; otherwise RPID activities, idle and basic are translated.
 */
export function endpointStateFrom(r: PidfReading): EndpointState {
  const o = r.ocs;
  let availability = o?.availability;
  let activity = o?.activity;
  let userSet = o?.userSet;
  if (availability === undefined) {
    const known = r.rpidActivities.map((a) => FROM_RPID[a]).filter((x) => x !== undefined);
    // The least available activity decides (someone "busy" and "on-the-phone" is on the phone).
    const pick = known.sort((a, b) => b.availability - a.availability || (b.activity ? 1 : 0) - (a.activity ? 1 : 0))[0];
    if (r.basic === 'closed') availability = AVAILABILITY.offline;
    else if (pick) {
      availability = pick.availability;
      activity ??= pick.activity;
      userSet ??= !pick.machine;
    } else if (r.basic === 'open') availability = AVAILABILITY.available;
    if (r.idle && availability !== undefined) {
      if (availability < AVAILABILITY.idle) availability = AVAILABILITY.idle;
      else if (availability < AVAILABILITY['busy-idle']) availability = AVAILABILITY['busy-idle'];
    }
  }
  const state: EndpointState = { availability, userSet: userSet ?? false };
  if (activity) state.activity = activity;
  if (r.note) state.note = r.note;
  if (o?.device && isDeviceType(o.device)) state.device = o.device;
  if (o?.phones) state.phones = o.phones;
  return state;
}

/** A received presence document as a view (the web client; tests). Plain documents get the OCS numbers by translation. */
export function viewFrom(r: PidfReading): PresenceView {
  const s = endpointStateFrom(r);
  const availability = s.availability ?? AVAILABILITY.offline;
  const view: PresenceView = { entity: r.entity ?? '', availability, class: availabilityClass(availability) ?? 'offline' };
  if (s.activity) view.activity = s.activity;
  if (s.note) view.note = s.note;
  if (s.device) view.device = s.device;
  if (r.ocs?.userSet !== undefined) view.userSet = r.ocs.userSet;
  if (s.phones) view.phones = s.phones;
  if (r.ocs?.breakThrough) view.breakThrough = true;
  return view;
}

export function parsePresenceView(xml: string): PresenceView {
  return viewFrom(readPidf(xml));
}
