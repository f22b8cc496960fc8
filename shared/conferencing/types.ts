/**
 * The meeting model shared by the Focus Factory, the Focus and the web client: what a meeting in
 * the conferencing DB holds, the roles and their privileges, and the roster the Focus keeps.
 */
import type { MediaType } from '../mcu/ids';

export type { MediaType };

/**
 * Who may enter (seed: "authorization type"):
 * - closed: the organizer and the invitees only;
 * - open: anyone with an account in the domain;
 * - anonymous: also guests without an account, who give the conference key (PIN) and wait in the lobby.
 */
export type AccessType = 'closed' | 'open' | 'anonymous';
export const ACCESS_TYPES: readonly AccessType[] = ['closed', 'open', 'anonymous'];

export type Role = 'organizer' | 'presenter' | 'attendee';
export const ROLES: readonly Role[] = ['organizer', 'presenter', 'attendee'];

/** What a role may do in a conference; C3P commands name the privilege they need (shared/conferencing/c3p.ts). */
export type Privilege =
  | 'mute-others'
  | 'mute-all'
  | 'eject'
  | 'lock'
  | 'admit'
  | 'change-role'
  | 'end'
  | 'modify-meeting';
export const PRIVILEGES: readonly Privilege[] = ['mute-others', 'mute-all', 'eject', 'lock', 'admit', 'change-role', 'end', 'modify-meeting'];

export type RolePrivileges = Record<Role, Privilege[]>;

/** The default table, stored with each meeting (an organizer may change it with modifyConference). */
export const DEFAULT_ROLE_PRIVILEGES: RolePrivileges = {
  organizer: [...PRIVILEGES],
  presenter: ['mute-others', 'mute-all', 'eject', 'lock', 'admit', 'change-role'],
  attendee: [],
};

export interface Invitee {
  /** A user of the domain (user name, e.g. `bob`). */
  user: string;
  role: Exclude<Role, 'organizer'>;
}

/** A meeting as stored by the Focus Factory. */
export interface Meeting {
  conferenceId: string;
  /** The conference URI (sip:organizer@domain;gruu;opaque=app:conf:focus:id:<id>). */
  uri: string;
  organizer: string;
  subject: string;
  access: AccessType;
  /** Conference key for guests (digits); only the organizer sees it. */
  pin?: string;
  mediaTypes: MediaType[];
  /** ms epoch */
  expiresAt: number;
  createdAt: number;
  privileges: RolePrivileges;
  invitees: Invitee[];
}

export interface MeetingInput {
  subject?: string;
  access?: AccessType;
  pin?: string;
  mediaTypes?: MediaType[];
  expiresAt?: number;
  invitees?: Invitee[];
  privileges?: RolePrivileges;
}

export const PIN_PATTERN = /^[0-9]{4,12}$/;
export const CONFERENCE_ID_PATTERN = /^[a-z0-9]{6,32}$/;
/** A meeting may be scheduled up to a year ahead; Meet now lasts 8 hours by default. */
export const MAX_MEETING_LIFETIME_MS = 366 * 24 * 3600_000;
export const DEFAULT_MEETING_LIFETIME_MS = 8 * 3600_000;

/** Where a participant is (RFC 4575 §5.7.x endpoint status, `pending` = in the lobby). */
export type ParticipantStatus = 'pending' | 'connected' | 'disconnected';

export interface Participant {
  /** User name, or the guest's generated name (`guest-...`). */
  user: string;
  displayName: string;
  role: Role;
  status: ParticipantStatus;
  guest: boolean;
  /** Media kinds the Focus muted on the MCU. */
  mutedByFocus: ('audio' | 'video')[];
  /** Media types activated for this user. */
  media: MediaType[];
}

export interface ConferenceView {
  conferenceId: string;
  uri: string;
  subject: string;
  organizer: string;
  locked: boolean;
  active: boolean;
  participants: Participant[];
}

/** What a client needs to open media on an MCU (from the MCU's addUser reply, via the Focus). */
export interface MediaInfo {
  mcuId: string;
  mediaTypes: MediaType[];
  signalingUrl: string;
  signalingPath: string;
  credential: string;
  expiresAt: number;
  /**
   * The same path through the Front End's own origin (`/mcu-media/<mcuId>/...`): browsers use it,
   * so their page's CSP and firewalls need not know the MCU's address. Absent: connect directly.
   */
  proxyPath?: string;
}

/** The body of the Focus's 200 OK to a join INVITE (Content-Type JOIN_CONTENT_TYPE). */
export interface JoinAnswer {
  conferenceId: string;
  user: string;
  role: Role;
  status: ParticipantStatus;
  /** Present once admitted and media was activated. */
  media?: MediaInfo[];
}

export const C3P_CONTENT_TYPE = 'application/cccp+xml';
export const CONFERENCE_INFO_CONTENT_TYPE = 'application/conference-info+xml';
export const JOIN_CONTENT_TYPE = 'application/vnd.ocs.conference-join+json';
export const CONFERENCE_EVENT = 'conference';
/** Group chat: a participant sends text/plain MESSAGE to the conference URI; the Focus relays it in each other's join dialog with this type. */
export const CONFERENCE_IM_CONTENT_TYPE = 'application/vnd.ocs.conference-im+json';
export const CONFERENCE_IM_MAX_BYTES = 4_096;

export interface ConferenceChatMessage {
  from: string;
  displayName: string;
  text: string;
  /** ms epoch, the Focus's clock */
  at: number;
}
/** The HTTP route a guest posts { displayName, pin } to; answers a GuestJoinReply. */
export const GUEST_JOIN_PATH = '/api/meetings/:conferenceId/guest';
export const MEETING_PUBLIC_PATH = '/api/meetings/:conferenceId/public';

export interface GuestJoinRequest {
  displayName: string;
  pin: string;
}

export interface GuestJoinReply {
  /** A short-lived bearer token for the SIP WebSocket (`/sip?access_token=`). */
  token: string;
  expiresAt: number;
  user: string;
  domain: string;
  conferenceUri: string;
}

/** What anybody with the link may learn before joining. */
export interface MeetingPublicInfo {
  conferenceId: string;
  subject: string;
  organizer: string;
  access: AccessType;
  conferenceUri: string;
  expired: boolean;
}
