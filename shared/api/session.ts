/** Sign-in and "who am I" schemas, shared by the client and server/http. */
import { Type, type Static } from '@sinclair/typebox';

export const LoginRequest = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type LoginRequest = Static<typeof LoginRequest>;

export const SessionUser = Type.Object({
  name: Type.String(),
  displayName: Type.String(),
  admin: Type.Boolean(),
  /** The user's address of record, `sip:name@domain`. */
  uri: Type.String(),
});
export type SessionUser = Static<typeof SessionUser>;

export const LoginResponse = Type.Object({
  token: Type.String(),
  /** ISO 8601. */
  expiresAt: Type.String(),
  user: SessionUser,
});
export type LoginResponse = Static<typeof LoginResponse>;

export const MeResponse = Type.Object({
  user: SessionUser,
  domain: Type.String(),
});
export type MeResponse = Static<typeof MeResponse>;
