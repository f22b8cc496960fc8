/**
 * What a person may type as their sign-in name: `alice`, `alice@domain` or `sip:alice@domain`
 * (the SIP URI is how OCS users know their own address). Pure, shared by client and server.
 */
const USER_PART = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface LoginName {
  name: string;
  /** Lower-cased; undefined when only the user part was given. */
  domain?: string;
}

/** Undefined when the input is not a plausible user name (caller answers as for a wrong password). */
export function parseLoginName(input: string): LoginName | undefined {
  let s = input.trim().toLowerCase();
  if (s.startsWith('sip:')) s = s.slice(4);
  const at = s.indexOf('@');
  const name = at < 0 ? s : s.slice(0, at);
  const domain = at < 0 ? undefined : s.slice(at + 1);
  if (!USER_PART.test(name)) return undefined;
  if (domain !== undefined && !/^[a-z0-9.-]{1,253}$/.test(domain)) return undefined;
  return domain === undefined ? { name } : { name, domain };
}

export function isValidUserName(name: string): boolean {
  return USER_PART.test(name);
}

export function sipUriOf(name: string, domain: string): string {
  return `sip:${name}@${domain}`;
}
