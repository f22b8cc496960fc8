/**
 * The conference event package body (RFC 4575, `application/conference-info+xml`): the Focus
 * writes it, the client reads it. Full state on subscribe, then partial documents carrying only
 * the users that changed (`state="partial"`, §4.2; a removed user is `state="deleted"`) with a
 * version one higher each time (§5.1: a receiver that sees a gap re-subscribes for full state).
 * Roles use RFC 4575 `roles/entry` (§5.6.3); a Focus mute is the endpoint media status `recvonly`
 * (§5.7.4) and the endpoint status `muted-via-focus` when audio is muted (§5.7.1); the lobby is
 * endpoint status `pending` (§5.7.1). `locked` is our extension in conference-state.
 */
import type { MediaType } from '../mcu/ids';
import { child, childrenNamed, parseXml, xmlElement, xmlText, type XmlElement } from './xml';
import { ROLES, type ConferenceView, type Participant, type ParticipantStatus, type Role } from './types';

export const CONFERENCE_INFO_NAMESPACE = 'urn:ietf:params:xml:ns:conference-info';
export const OCS_CONFERENCE_EXT_NAMESPACE = 'urn:ocs:params:xml:ns:conference-info-ext';

export interface ConferenceInfoDocument {
  version: number;
  state: 'full' | 'partial';
  view: Omit<ConferenceView, 'participants'>;
  /** Users in this document; with `state: 'partial'`, only those that changed. */
  users: Participant[];
  /** Users removed since the previous version (partial documents only). */
  deleted: string[];
}

function userXml(p: Participant, domain: string): string {
  const entity = `sip:${p.user}@${domain}`;
  const status = p.status === 'connected' && p.mutedByFocus.includes('audio') ? 'muted-via-focus' : p.status;
  return xmlElement(
    'user',
    { entity, state: 'full', 'ocs:guest': p.guest ? 'true' : undefined },
    xmlElement('display-text', {}, xmlText(p.displayName)),
    xmlElement('roles', {}, xmlElement('entry', {}, p.role)),
    xmlElement(
      'endpoint',
      { entity, state: 'full' },
      xmlElement('status', {}, status),
      ...p.media.map((m) =>
        xmlElement('media', { id: m }, xmlElement('type', {}, m), xmlElement('status', {}, mutedKind(m, p) ? 'recvonly' : 'sendrecv')),
      ),
    ),
  );
}

function mutedKind(m: MediaType, p: Participant): boolean {
  return p.mutedByFocus.includes(m === 'audio' ? 'audio' : 'video');
}

export function buildConferenceInfo(doc: ConferenceInfoDocument, domain: string): string {
  const v = doc.view;
  return xmlElement(
    'conference-info',
    { xmlns: CONFERENCE_INFO_NAMESPACE, 'xmlns:ocs': OCS_CONFERENCE_EXT_NAMESPACE, entity: v.uri, state: doc.state, version: doc.version },
    doc.state === 'full'
      ? xmlElement(
          'conference-description',
          { 'ocs:id': v.conferenceId, 'ocs:organizer': v.organizer },
          xmlElement('subject', {}, xmlText(v.subject)),
        )
      : undefined,
    xmlElement(
      'conference-state',
      {},
      xmlElement('active', {}, String(v.active)),
      xmlElement('ocs:locked', {}, String(v.locked)),
    ),
    xmlElement(
      'users',
      { state: doc.state },
      ...doc.users.map((u) => userXml(u, domain)),
      ...doc.deleted.map((u) => xmlElement('user', { entity: `sip:${u}@${domain}`, state: 'deleted' })),
    ),
  );
}

const userOfEntity = (entity: string) => entity.replace(/^sips?:/, '').split('@')[0] ?? entity;

function participantOf(el: XmlElement): Participant {
  const endpoint = child(el, 'endpoint');
  const rawStatus = endpoint ? child(endpoint, 'status')?.text : undefined;
  const status: ParticipantStatus = rawStatus === 'pending' ? 'pending' : rawStatus === 'disconnected' ? 'disconnected' : 'connected';
  const roleText = child(el, 'roles') ? child(child(el, 'roles')!, 'entry')?.text : undefined;
  const role: Role = (ROLES as readonly string[]).includes(roleText ?? '') ? (roleText as Role) : 'attendee';
  const media = endpoint ? childrenNamed(endpoint, 'media') : [];
  const muted = new Set<'audio' | 'video'>();
  for (const m of media) {
    const type = child(m, 'type')?.text;
    if (child(m, 'status')?.text === 'recvonly') muted.add(type === 'audio' ? 'audio' : 'video');
  }
  if (rawStatus === 'muted-via-focus') muted.add('audio');
  return {
    user: userOfEntity(el.attrs.entity ?? ''),
    displayName: child(el, 'display-text')?.text ?? '',
    role,
    status,
    guest: el.attrs.guest === 'true',
    mutedByFocus: [...muted],
    media: media.map((m) => child(m, 'type')?.text).filter((t): t is MediaType => t === 'audio' || t === 'video' || t === 'screen'),
  };
}

export function parseConferenceInfo(xml: string): ConferenceInfoDocument {
  const el = parseXml(xml);
  if (el.name !== 'conference-info') throw new Error(`expected <conference-info>, got <${el.name}>`);
  const desc = child(el, 'conference-description');
  const state = child(el, 'conference-state');
  const users = child(el, 'users')?.children.filter((u) => u.name === 'user') ?? [];
  return {
    version: Number(el.attrs.version ?? 0),
    state: el.attrs.state === 'partial' ? 'partial' : 'full',
    view: {
      conferenceId: desc?.attrs.id ?? '',
      uri: el.attrs.entity ?? '',
      subject: desc ? (child(desc, 'subject')?.text ?? '') : '',
      organizer: desc?.attrs.organizer ?? '',
      active: state ? child(state, 'active')?.text !== 'false' : true,
      locked: state ? child(state, 'locked')?.text === 'true' : false,
    },
    users: users.filter((u) => u.attrs.state !== 'deleted').map(participantOf),
    deleted: users.filter((u) => u.attrs.state === 'deleted').map((u) => userOfEntity(u.attrs.entity ?? '')),
  };
}

/**
 * Folds a document into the client's view. Returns undefined when a partial document does not
 * follow the version held (RFC 4575 §4.2: the subscriber must refresh for full state).
 */
export function applyConferenceInfo(current: (ConferenceView & { version: number }) | undefined, doc: ConferenceInfoDocument): (ConferenceView & { version: number }) | undefined {
  if (doc.state === 'full') return { ...doc.view, participants: doc.users, version: doc.version };
  if (!current || doc.version !== current.version + 1) return undefined;
  const byUser = new Map(current.participants.map((p) => [p.user, p]));
  for (const u of doc.users) byUser.set(u.user, u);
  for (const u of doc.deleted) byUser.delete(u);
  return { ...current, active: doc.view.active, locked: doc.view.locked, participants: [...byUser.values()], version: doc.version };
}
