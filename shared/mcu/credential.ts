/**
 * The media credential's claims: which user may join which conference until when. The MCU signs
 * them (HMAC-SHA256, mcu/credentials.ts); the Focus and browser treat the token as opaque.
 * Token form: base64url(JSON claims) "." base64url(hmac).
 */
import { Type, type Static } from '@sinclair/typebox';
import { ConferenceIdSchema, UserIdSchema } from './ids';

export const CredentialClaims = Type.Object(
  {
    v: Type.Literal(1),
    conferenceId: ConferenceIdSchema,
    userId: UserIdSchema,
    /** Expiry, epoch milliseconds. */
    exp: Type.Integer(),
    /** Random, so two credentials for the same user differ. */
    nonce: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type CredentialClaims = Static<typeof CredentialClaims>;

/** Tokens longer than this are refused before any parsing. */
export const MAX_CREDENTIAL_LENGTH = 1024;
