/**
 * Conferencing addresses, as OCS 2007 R2 formed them: a user's GRUU with an `opaque` parameter
 * naming the application. The Focus Factory of `alice` is
 *   sip:alice@example.com;gruu;opaque=app:conf:focusfactory
 * and the Focus of one of her conferences is
 *   sip:alice@example.com;gruu;opaque=app:conf:focus:id:<conference id>
 * Requests to such URIs are taken by the conferencing service, never forked to alice's endpoints.
 */
import { CONFERENCE_ID_PATTERN } from './types';

export const FOCUS_FACTORY_OPAQUE = 'app:conf:focusfactory';
export const FOCUS_OPAQUE_PREFIX = 'app:conf:focus:id:';

export function focusFactoryUri(user: string, domain: string): string {
  return `sip:${user}@${domain};gruu;opaque=${FOCUS_FACTORY_OPAQUE}`;
}

export function conferenceUri(organizer: string, domain: string, conferenceId: string): string {
  return `sip:${organizer}@${domain};gruu;opaque=${FOCUS_OPAQUE_PREFIX}${conferenceId}`;
}

export type ConferencingTarget = { kind: 'factory' } | { kind: 'focus'; conferenceId: string };

/** What an `opaque` URI parameter addresses, or undefined when it is not ours. */
export function conferencingTarget(opaque: string | null | undefined): ConferencingTarget | undefined {
  if (!opaque) return undefined;
  if (opaque === FOCUS_FACTORY_OPAQUE) return { kind: 'factory' };
  if (opaque.startsWith(FOCUS_OPAQUE_PREFIX)) {
    const conferenceId = opaque.slice(FOCUS_OPAQUE_PREFIX.length);
    if (CONFERENCE_ID_PATTERN.test(conferenceId)) return { kind: 'focus', conferenceId };
  }
  return undefined;
}

/** The conference id in a conference URI string (for clients that hold the URI only). */
export function conferenceIdOf(uri: string): string | undefined {
  const m = /;opaque=([^;>?]+)/.exec(uri);
  const t = conferencingTarget(m?.[1]);
  return t?.kind === 'focus' ? t.conferenceId : undefined;
}

/** The web client's join link path. */
export const joinPath = (conferenceId: string) => `/join/${conferenceId}`;
