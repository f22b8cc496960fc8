export {
  Authenticator,
  FLOW_AUTH_USER,
  ipLockoutKey,
  type AuthenticatorOptions,
  type AuthenticateOptions,
  type AuthMethod,
  type AuthResult,
  type BearerVerifier,
} from './authenticator';
export type { CredentialSource, DigestCredentialRecord } from './digestVerifier';
export { assertIdentity } from './identity';
export { consumeCredentials } from './credentials';
export { computeHa1, computeDigestResponse, hashHex, parseAlgorithm } from './digest';
export { parseAuthorization, formatChallenge } from './authParams';
