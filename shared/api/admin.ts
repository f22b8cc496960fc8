/** Schemas of the admin API (the MMC snap-in re-imagined), shared by client/features/admin and server/http. */
import { Type, type Static } from '@sinclair/typebox';

export const USER_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

export const UserSummary = Type.Object({
  name: Type.String(),
  displayName: Type.String(),
  phone: Type.Optional(Type.String()),
  uri: Type.String(),
  admin: Type.Boolean(),
  disabled: Type.Boolean(),
  /** ISO 8601. */
  createdAt: Type.String(),
});
export type UserSummary = Static<typeof UserSummary>;

export const UserListQuery = Type.Object({
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  search: Type.Optional(Type.String({ maxLength: 100 })),
});
export type UserListQuery = Static<typeof UserListQuery>;

export const UserListResponse = Type.Object({
  users: Type.Array(UserSummary),
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
});
export type UserListResponse = Static<typeof UserListResponse>;

export const CreateUserRequest = Type.Object({
  name: Type.String({ pattern: USER_NAME_PATTERN }),
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{2,32}$' })),
  admin: Type.Optional(Type.Boolean()),
});
export type CreateUserRequest = Static<typeof CreateUserRequest>;

export const UserNameParams = Type.Object({
  name: Type.String({ pattern: USER_NAME_PATTERN }),
});
export type UserNameParams = Static<typeof UserNameParams>;

export const SetAdminRequest = Type.Object({
  admin: Type.Boolean({ default: true }),
});
export type SetAdminRequest = Static<typeof SetAdminRequest>;

export const ResetPasswordRequest = Type.Object({
  password: Type.String({ minLength: 8, maxLength: 1024 }),
});
export type ResetPasswordRequest = Static<typeof ResetPasswordRequest>;

/** One registered endpoint (a Registrar binding) of one user. */
export const RegistrationBinding = Type.Object({
  user: Type.String(),
  aor: Type.String(),
  contact: Type.String(),
  instanceId: Type.Optional(Type.String()),
  gruu: Type.Optional(Type.String()),
  transport: Type.Optional(Type.String()),
  /** `address:port` of the flow the binding was made on. */
  remote: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
  /** ISO 8601. */
  expiresAt: Type.String(),
});
export type RegistrationBinding = Static<typeof RegistrationBinding>;

export const RegistrationListResponse = Type.Object({
  registrations: Type.Array(RegistrationBinding),
});
export type RegistrationListResponse = Static<typeof RegistrationListResponse>;
