/** The web client's meeting routes (the join link the Focus Factory's meetings are shared as). */
import { CONFERENCE_ID_PATTERN } from '../../../shared/conferencing/types';

/** The conference id of a `/join/<id>` path, if it is one. */
export function joinRouteId(pathname: string): string | undefined {
  const m = /^\/join\/([^/]+)\/?$/.exec(pathname);
  return m && CONFERENCE_ID_PATTERN.test(m[1]!) ? m[1] : undefined;
}
