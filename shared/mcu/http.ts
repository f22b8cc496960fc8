/**
 * The AV MCU's HTTP API for the Focus (server to server, bearer secret). Paths and TypeBox
 * schemas; the MCU validates every body and parameter against them, the Focus types its calls
 * with the Static<> types. Errors: `{ error: { code, message } }` with codes from ./errors.
 */
import { Type, type Static } from '@sinclair/typebox';
import { McuLoad } from './factory';
import { ConferenceIdSchema, MediaKindSchema, MediaSourceSchema, MediaTypeSchema, UserIdSchema } from './ids';

export const MCU_API_PREFIX = '/v1';
export const MCU_API_PATHS = {
  conferences: '/v1/conferences',
  conference: '/v1/conferences/:conferenceId',
  users: '/v1/conferences/:conferenceId/users',
  user: '/v1/conferences/:conferenceId/users/:userId',
  userMute: '/v1/conferences/:conferenceId/users/:userId/mute',
  state: '/v1/state',
  health: '/v1/health',
} as const;

/** Builds a concrete path from a template such as MCU_API_PATHS.user. */
export function mcuApiPath(template: string, params: Record<string, string>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, k: string) => encodeURIComponent(params[k] ?? ''));
}

export const ConferenceParams = Type.Object({ conferenceId: ConferenceIdSchema }, { additionalProperties: false });
export type ConferenceParams = Static<typeof ConferenceParams>;
export const UserParams = Type.Object({ conferenceId: ConferenceIdSchema, userId: UserIdSchema }, { additionalProperties: false });
export type UserParams = Static<typeof UserParams>;

export const CreateConferenceBody = Type.Object(
  {
    conferenceId: ConferenceIdSchema,
    /** Defaults to every media type the MCU offers. */
    mediaTypes: Type.Optional(Type.Array(MediaTypeSchema, { minItems: 1, maxItems: 3, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreateConferenceBody = Static<typeof CreateConferenceBody>;

export const AddUserBody = Type.Object(
  {
    userId: UserIdSchema,
    displayName: Type.Optional(Type.String({ maxLength: 256 })),
    /** Credential lifetime; bounded by the MCU's own maximum. */
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
export type AddUserBody = Static<typeof AddUserBody>;

export const AddUserReply = Type.Object({
  conferenceId: ConferenceIdSchema,
  userId: UserIdSchema,
  /** Opaque, HMAC-signed; the browser passes it as socket.io `auth.credential`. */
  credential: Type.String(),
  /** Epoch milliseconds. */
  expiresAt: Type.Integer(),
  /** Where the browser opens socket.io (origin), and the socket.io path there. */
  signalingUrl: Type.String(),
  signalingPath: Type.String(),
});
export type AddUserReply = Static<typeof AddUserReply>;

export const MuteBody = Type.Object(
  {
    kind: MediaKindSchema,
    muted: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type MuteBody = Static<typeof MuteBody>;

export const ProducerState = Type.Object({
  producerId: Type.String(),
  kind: MediaKindSchema,
  source: MediaSourceSchema,
  /** Paused by the user (client side) or by the MCU for a Focus mute. */
  paused: Type.Boolean(),
});
export const UserState = Type.Object({
  userId: UserIdSchema,
  displayName: Type.Optional(Type.String()),
  connected: Type.Boolean(),
  mutedByFocus: Type.Array(MediaKindSchema),
  producers: Type.Array(ProducerState),
  consumers: Type.Integer(),
});
export type UserState = Static<typeof UserState>;

export const ConferenceState = Type.Object({
  conferenceId: ConferenceIdSchema,
  mediaTypes: Type.Array(MediaTypeSchema),
  users: Type.Array(UserState),
  activeSpeaker: Type.Union([UserIdSchema, Type.Null()]),
  /** Incremented each time the conference's media was rebuilt after a worker died. */
  mediaGeneration: Type.Integer(),
});
export type ConferenceState = Static<typeof ConferenceState>;

export const McuState = Type.Object({
  mcuId: Type.String(),
  conferences: Type.Array(ConferenceState),
  load: McuLoad,
});
export type McuState = Static<typeof McuState>;

export const ErrorReply = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});
