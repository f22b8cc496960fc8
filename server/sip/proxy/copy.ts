/** Deep-enough copies of messages for forking: each branch edits its own headers and Request-URI. */
import type { SipRequest, SipUri } from '../message/types';

export function copyUri(uri: SipUri): SipUri {
  return { ...uri, params: new Map(uri.params), headers: new Map(uri.headers) };
}

export function copyRequest(req: SipRequest): SipRequest {
  return { ...req, uri: copyUri(req.uri), headers: req.headers.clone() };
}
