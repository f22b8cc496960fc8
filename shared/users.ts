/**
 * User account shape and the validation rules that the server (provisioning, CLI, admin API) and
 * the web client (admin page forms) share. Pure: no I/O.
 */

export interface User {
  id: number;
  /** Login and SIP user part: `sip:<name>@<domain>`. Lower case. */
  name: string;
  displayName: string;
  /** E.164, e.g. +14255550100. */
  phone?: string;
  admin: boolean;
  disabled: boolean;
  /** ms since the epoch. */
  createdAt: number;
}

/** Lower case so a SIP user part and a login name compare the same everywhere. */
export const USER_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** ITU-T E.164: '+', a non-zero country code digit, at most 15 digits in all. */
export const PHONE_E164_PATTERN = /^\+[1-9][0-9]{1,14}$/;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const DISPLAY_NAME_MAX_LENGTH = 256;

/** Names are case-insensitive on input and stored lower case (they are SIP user parts too). */
export function normalizeUserName(name: string): string {
  return name.trim().toLowerCase();
}

export type UserField = 'name' | 'password' | 'displayName' | 'phone';

export interface UserValidationProblem {
  field: UserField;
  message: string;
}

export function validateUserName(name: string): UserValidationProblem | undefined {
  if (!USER_NAME_PATTERN.test(name)) {
    return { field: 'name', message: 'name must be 1-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit' };
  }
  return undefined;
}

export function validatePassword(password: string): UserValidationProblem | undefined {
  // Length in code points, so a password of emoji is not penalized for UTF-16 surrogates.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return { field: 'password', message: `password must be ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters` };
  }
  return undefined;
}

export function validatePhone(phone: string): UserValidationProblem | undefined {
  if (!PHONE_E164_PATTERN.test(phone)) return { field: 'phone', message: 'phone must be E.164, e.g. +14255550100' };
  return undefined;
}

export function validateDisplayName(displayName: string): UserValidationProblem | undefined {
  // Control characters would break SIP header quoting (RFC 3261 §25.1 quoted-string) and logs.
  if (displayName.length > DISPLAY_NAME_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(displayName)) {
    return { field: 'displayName', message: `display name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters without control characters` };
  }
  return undefined;
}

/** The first problem with a new user's fields, or undefined when all are valid. */
export function validateNewUser(input: { name: string; password: string; displayName?: string; phone?: string }): UserValidationProblem | undefined {
  return (
    validateUserName(input.name) ??
    validatePassword(input.password) ??
    (input.displayName !== undefined ? validateDisplayName(input.displayName) : undefined) ??
    (input.phone !== undefined && input.phone !== '' ? validatePhone(input.phone) : undefined)
  );
}
