/**
 * RFC 3994 "isComposing" documents (application/im-iscomposing+xml): building ours and reading
 * the peer's. Only `state` and `refresh` matter to us (§3); other elements are ignored.
 */
export const IS_COMPOSING_TYPE = 'application/im-iscomposing+xml';

export type ComposingState = 'active' | 'idle';

export interface ComposingIndication {
  state: ComposingState;
  /** Seconds until an active state expires unless refreshed (§4). */
  refresh?: number;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function buildIsComposing(state: ComposingState, refreshSec?: number, contentType = 'text/plain'): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing">\n'
    + `  <state>${state}</state>\n`
    + `  <contenttype>${escapeXml(contentType)}</contenttype>\n`
    + (state === 'active' && refreshSec ? `  <refresh>${refreshSec}</refresh>\n` : '')
    + '</isComposing>\n';
}

/** Undefined when the body is not an isComposing document we understand. */
export function parseIsComposing(body: string): ComposingIndication | undefined {
  if (!/<(?:[\w-]+:)?isComposing[\s>]/.test(body)) return undefined;
  const state = /<(?:[\w-]+:)?state>\s*(active|idle)\s*<\//.exec(body)?.[1] as ComposingState | undefined;
  if (!state) return undefined;
  const refresh = Number(/<(?:[\w-]+:)?refresh>\s*(\d{1,6})\s*<\//.exec(body)?.[1]);
  return Number.isFinite(refresh) && refresh > 0 ? { state, refresh } : { state };
}
