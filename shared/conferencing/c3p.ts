/**
 * C3P, the conference control protocol OCS carried in XML bodies of SIP INFO requests
 * (`application/cccp+xml`). One request holds one command; the 200 OK to the INFO carries the
 * response, `code="success"` or `code="failure"` with a reason code and a sentence saying why.
 * docs/c3p.md documents the schema; this module reads and writes it on both sides.
 */
import { ALL_MEDIA_TYPES, type MediaType } from '../mcu/ids';
import { child, childrenNamed, parseXml, xmlElement, xmlText, XmlError, type XmlElement } from './xml';
import {
  ACCESS_TYPES,
  PRIVILEGES,
  ROLES,
  type AccessType,
  type ConferenceView,
  type Invitee,
  type MediaInfo,
  type Meeting,
  type MeetingInput,
  type Participant,
  type Privilege,
  type Role,
  type RolePrivileges,
} from './types';

export const C3P_NAMESPACE = 'urn:ietf:params:xml:ns:cccp';
export const C3P_VERSION = '1';

export type MuteKind = 'audio' | 'video';

export type C3pCommand =
  // Focus Factory (sent to sip:<me>@<domain>;gruu;opaque=app:conf:focusfactory)
  | { name: 'addConference'; meeting: MeetingInput }
  | { name: 'modifyConference'; conferenceId: string; changes: MeetingInput }
  | { name: 'getConferences' }
  // both (the Focus takes them without conferenceId)
  | { name: 'getConference'; conferenceId?: string }
  | { name: 'deleteConference'; conferenceId?: string }
  // Focus (in the join dialog, to the conference URI)
  | { name: 'addUserMedia'; mediaTypes: MediaType[] }
  | { name: 'muteUser'; user: string; kind: MuteKind; muted: boolean }
  | { name: 'muteAll'; kind: MuteKind; muted: boolean }
  | { name: 'deleteUser'; user: string }
  | { name: 'modifyConferenceLock'; locked: boolean }
  | { name: 'setLobbyAccess'; user: string; admit: boolean }
  | { name: 'modifyUserRole'; user: string; role: Role };

export type C3pCommandName = C3pCommand['name'];

export const C3P_ERROR_CODES = ['bad-request', 'forbidden', 'not-found', 'expired', 'locked', 'conflict', 'unavailable', 'internal'] as const;
export type C3pErrorCode = (typeof C3P_ERROR_CODES)[number];

export interface C3pRequest {
  requestId: string;
  from: string;
  to: string;
  command: C3pCommand;
}

export interface C3pResult {
  meeting?: Meeting;
  meetings?: Meeting[];
  media?: MediaInfo[];
  conference?: ConferenceView;
}

export interface C3pResponse extends C3pResult {
  requestId: string;
  command: C3pCommandName | 'unknown';
  code: 'success' | 'failure';
  reason?: C3pErrorCode;
  message?: string;
}

export class C3pParseError extends Error {
  override readonly name = 'C3pParseError';
}

// ---- writing ----

const bool = (b: boolean) => (b ? 'true' : 'false');

function meetingInputXml(m: MeetingInput): string {
  return xmlElement(
    'conference',
    {
      subject: m.subject,
      access: m.access,
      pin: m.pin,
      mediaTypes: m.mediaTypes?.join(' '),
      expiresAt: m.expiresAt,
    },
    ...(m.invitees ?? []).map((i) => xmlElement('invitee', { user: i.user, role: i.role })),
    ...(m.privileges ? privilegesXml(m.privileges) : []),
  );
}

function privilegesXml(p: RolePrivileges): string[] {
  return ROLES.map((r) => xmlElement('privileges', { role: r }, xmlText(p[r].join(' '))));
}

export function meetingXml(m: Meeting): string {
  return xmlElement(
    'conference',
    {
      id: m.conferenceId,
      uri: m.uri,
      organizer: m.organizer,
      subject: m.subject,
      access: m.access,
      pin: m.pin,
      mediaTypes: m.mediaTypes.join(' '),
      expiresAt: m.expiresAt,
      createdAt: m.createdAt,
    },
    ...m.invitees.map((i) => xmlElement('invitee', { user: i.user, role: i.role })),
    ...privilegesXml(m.privileges),
  );
}

function commandXml(c: C3pCommand): string {
  switch (c.name) {
    case 'addConference':
      return xmlElement(c.name, {}, meetingInputXml(c.meeting));
    case 'modifyConference':
      return xmlElement(c.name, { conferenceId: c.conferenceId }, meetingInputXml(c.changes));
    case 'getConferences':
      return xmlElement(c.name, {});
    case 'getConference':
    case 'deleteConference':
      return xmlElement(c.name, { conferenceId: c.conferenceId });
    case 'addUserMedia':
      return xmlElement(c.name, { mediaTypes: c.mediaTypes.join(' ') });
    case 'muteUser':
      return xmlElement(c.name, { user: c.user, kind: c.kind, muted: bool(c.muted) });
    case 'muteAll':
      return xmlElement(c.name, { kind: c.kind, muted: bool(c.muted) });
    case 'deleteUser':
      return xmlElement(c.name, { user: c.user });
    case 'modifyConferenceLock':
      return xmlElement(c.name, { locked: bool(c.locked) });
    case 'setLobbyAccess':
      return xmlElement(c.name, { user: c.user, admit: bool(c.admit) });
    case 'modifyUserRole':
      return xmlElement(c.name, { user: c.user, role: c.role });
  }
}

export function buildC3pRequest(r: C3pRequest): string {
  return xmlElement('request', { xmlns: C3P_NAMESPACE, C3PVersion: C3P_VERSION, requestId: r.requestId, from: r.from, to: r.to }, commandXml(r.command));
}

function participantXml(p: Participant): string {
  return xmlElement('user', {
    user: p.user,
    displayName: p.displayName,
    role: p.role,
    status: p.status,
    guest: bool(p.guest),
    mutedByFocus: p.mutedByFocus.join(' '),
    media: p.media.join(' '),
  });
}

function mediaXml(m: MediaInfo): string {
  return xmlElement('media', { ...m, mediaTypes: m.mediaTypes.join(' ') });
}

export function buildC3pResponse(r: C3pResponse): string {
  const body: string[] = [];
  if (r.meeting) body.push(meetingXml(r.meeting));
  for (const m of r.meetings ?? []) body.push(meetingXml(m));
  for (const m of r.media ?? []) body.push(mediaXml(m));
  if (r.conference) {
    const c = r.conference;
    body.push(
      xmlElement(
        'conferenceView',
        { id: c.conferenceId, uri: c.uri, subject: c.subject, organizer: c.organizer, locked: bool(c.locked), active: bool(c.active) },
        ...c.participants.map(participantXml),
      ),
    );
  }
  return xmlElement(
    'response',
    { xmlns: C3P_NAMESPACE, C3PVersion: C3P_VERSION, requestId: r.requestId, code: r.code },
    xmlElement(r.command, { reason: r.reason }, r.message ? xmlElement('error', {}, xmlText(r.message)) : undefined, ...body),
  );
}

// ---- reading ----

function req(el: XmlElement, attr: string): string {
  const v = el.attrs[attr];
  if (v === undefined || v === '') throw new C3pParseError(`<${el.name}> needs ${attr}`);
  return v;
}

function oneOf<T extends string>(v: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw new C3pParseError(`${what} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function boolAttr(el: XmlElement, attr: string): boolean {
  return oneOf(req(el, attr), ['true', 'false'], attr) === 'true';
}

function list(v: string | undefined): string[] {
  return (v ?? '').split(/\s+/).filter((s) => s !== '');
}

function mediaTypes(v: string | undefined): MediaType[] {
  return [...new Set(list(v).map((t) => oneOf(t, ALL_MEDIA_TYPES, 'media type')))];
}

function int(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,16}$/.test(v)) throw new C3pParseError(`${what} must be a number (ms since the epoch)`);
  return Number(v);
}

function privilegesOf(el: XmlElement): RolePrivileges | undefined {
  const entries = childrenNamed(el, 'privileges');
  if (entries.length === 0) return undefined;
  const out: RolePrivileges = { organizer: [...PRIVILEGES], presenter: [], attendee: [] };
  for (const e of entries) {
    const role = oneOf(req(e, 'role'), ROLES, 'role');
    out[role] = [...new Set(list(e.text).map((p) => oneOf(p, PRIVILEGES, 'privilege') as Privilege))];
  }
  return out;
}

function meetingInputOf(el: XmlElement | undefined): MeetingInput {
  if (!el) return {};
  const a = el.attrs;
  const input: MeetingInput = {};
  if (a.subject !== undefined) input.subject = a.subject;
  if (a.access !== undefined) input.access = oneOf(a.access, ACCESS_TYPES, 'access') as AccessType;
  if (a.pin !== undefined) input.pin = a.pin;
  if (a.mediaTypes !== undefined) input.mediaTypes = mediaTypes(a.mediaTypes);
  const expiresAt = int(a.expiresAt, 'expiresAt');
  if (expiresAt !== undefined) input.expiresAt = expiresAt;
  const invitees = childrenNamed(el, 'invitee');
  if (invitees.length > 0 || a.invitees === '') {
    input.invitees = invitees.map((i): Invitee => ({ user: req(i, 'user'), role: oneOf(i.attrs.role ?? 'attendee', ['presenter', 'attendee'] as const, 'role') }));
  }
  const privileges = privilegesOf(el);
  if (privileges) input.privileges = privileges;
  return input;
}

function commandOf(el: XmlElement): C3pCommand {
  const a = el.attrs;
  switch (el.name) {
    case 'addConference':
      return { name: 'addConference', meeting: meetingInputOf(child(el, 'conference')) };
    case 'modifyConference':
      return { name: 'modifyConference', conferenceId: req(el, 'conferenceId'), changes: meetingInputOf(child(el, 'conference')) };
    case 'getConferences':
      return { name: 'getConferences' };
    case 'getConference':
    case 'deleteConference':
      return a.conferenceId ? { name: el.name, conferenceId: a.conferenceId } : { name: el.name };
    case 'addUserMedia':
      return { name: 'addUserMedia', mediaTypes: mediaTypes(req(el, 'mediaTypes')) };
    case 'muteUser':
      return { name: 'muteUser', user: req(el, 'user'), kind: oneOf(req(el, 'kind'), ['audio', 'video'] as const, 'kind'), muted: boolAttr(el, 'muted') };
    case 'muteAll':
      return { name: 'muteAll', kind: oneOf(req(el, 'kind'), ['audio', 'video'] as const, 'kind'), muted: boolAttr(el, 'muted') };
    case 'deleteUser':
      return { name: 'deleteUser', user: req(el, 'user') };
    case 'modifyConferenceLock':
      return { name: 'modifyConferenceLock', locked: boolAttr(el, 'locked') };
    case 'setLobbyAccess':
      return { name: 'setLobbyAccess', user: req(el, 'user'), admit: boolAttr(el, 'admit') };
    case 'modifyUserRole':
      return { name: 'modifyUserRole', user: req(el, 'user'), role: oneOf(req(el, 'role'), ROLES, 'role') };
    default:
      throw new C3pParseError(`unknown command <${el.name}>`);
  }
}

function root(xml: string, name: string): XmlElement {
  let el: XmlElement;
  try {
    el = parseXml(xml);
  } catch (e) {
    throw new C3pParseError(e instanceof XmlError ? `malformed XML: ${e.message}` : 'malformed XML');
  }
  if (el.name !== name) throw new C3pParseError(`expected <${name}>, got <${el.name}>`);
  return el;
}

/** Reads a C3P request; throws C3pParseError (answered as `bad-request`) when it is not one. */
export function parseC3pRequest(xml: string): C3pRequest {
  const el = root(xml, 'request');
  if (el.children.length !== 1) throw new C3pParseError('a request holds exactly one command');
  return { requestId: el.attrs.requestId ?? '0', from: el.attrs.from ?? '', to: el.attrs.to ?? '', command: commandOf(el.children[0]!) };
}

/** The request id and command name of a body that failed to parse, to answer it in kind. */
export function peekC3pRequest(xml: string): { requestId: string; command: string } {
  const id = /requestId="([^"]{1,64})"/.exec(xml)?.[1] ?? '0';
  const cmd = /<request\b[^>]*>\s*<(?:[\w-]+:)?([A-Za-z]{1,40})/.exec(xml)?.[1] ?? 'unknown';
  return { requestId: id, command: cmd };
}

function meetingOf(el: XmlElement): Meeting {
  const a = el.attrs;
  const input = meetingInputOf(el);
  const meeting: Meeting = {
    conferenceId: req(el, 'id'),
    uri: req(el, 'uri'),
    organizer: req(el, 'organizer'),
    subject: a.subject ?? '',
    access: input.access ?? 'closed',
    mediaTypes: input.mediaTypes ?? [],
    expiresAt: input.expiresAt ?? 0,
    createdAt: int(a.createdAt, 'createdAt') ?? 0,
    privileges: input.privileges ?? { organizer: [...PRIVILEGES], presenter: [], attendee: [] },
    invitees: input.invitees ?? [],
  };
  if (input.pin !== undefined) meeting.pin = input.pin;
  return meeting;
}

function participantOf(el: XmlElement): Participant {
  const a = el.attrs;
  return {
    user: req(el, 'user'),
    displayName: a.displayName ?? a.user ?? '',
    role: oneOf(a.role ?? 'attendee', ROLES, 'role'),
    status: oneOf(a.status ?? 'connected', ['pending', 'connected', 'disconnected'] as const, 'status'),
    guest: a.guest === 'true',
    mutedByFocus: list(a.mutedByFocus).filter((k): k is MuteKind => k === 'audio' || k === 'video'),
    media: mediaTypes(a.media),
  };
}

export function parseC3pResponse(xml: string): C3pResponse {
  const el = root(xml, 'response');
  const body = el.children[0];
  if (!body) throw new C3pParseError('empty response');
  const code = oneOf(req(el, 'code'), ['success', 'failure'] as const, 'code');
  const r: C3pResponse = { requestId: el.attrs.requestId ?? '0', command: body.name as C3pCommandName, code };
  if (body.attrs.reason) r.reason = oneOf(body.attrs.reason, C3P_ERROR_CODES, 'reason');
  const err = child(body, 'error');
  if (err) r.message = err.text;
  const meetings = childrenNamed(body, 'conference').map(meetingOf);
  if (body.name === 'getConferences') r.meetings = meetings;
  else if (meetings[0]) r.meeting = meetings[0];
  const media = childrenNamed(body, 'media').map(
    (m): MediaInfo => ({
      mcuId: req(m, 'mcuId'),
      mediaTypes: mediaTypes(m.attrs.mediaTypes),
      signalingUrl: req(m, 'signalingUrl'),
      signalingPath: req(m, 'signalingPath'),
      credential: req(m, 'credential'),
      expiresAt: int(m.attrs.expiresAt, 'expiresAt') ?? 0,
      ...(m.attrs.proxyPath ? { proxyPath: m.attrs.proxyPath } : {}),
    }),
  );
  if (media.length > 0) r.media = media;
  const view = child(body, 'conferenceView');
  if (view) {
    r.conference = {
      conferenceId: req(view, 'id'),
      uri: req(view, 'uri'),
      subject: view.attrs.subject ?? '',
      organizer: view.attrs.organizer ?? '',
      locked: view.attrs.locked === 'true',
      active: view.attrs.active === 'true',
      participants: childrenNamed(view, 'user').map(participantOf),
    };
  }
  return r;
}
