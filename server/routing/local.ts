/**
 * What addresses mean "this server": the SIP domain, the host names and addresses we listen on,
 * and loopback. A request whose Request-URI has no user part and names one of them is for the
 * server itself (OPTIONS pings, REGISTER), not to be proxied.
 */
import { networkInterfaces } from 'node:os';
import type { SipRequest, SipUri } from '../sip/message/types';

export function addressMatcher(domain: string, extraHosts: string[] = []): (uri: SipUri) => boolean {
  const hosts = new Set<string>([domain, 'localhost', '127.0.0.1', '::1', ...extraHosts].map(norm));
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) hosts.add(norm(a.address));
  return (uri) => hosts.has(norm(uri.host));
}

export function isForServer(isOurAddress: (uri: SipUri) => boolean): (req: SipRequest) => boolean {
  return (req) => !req.uri.user && isOurAddress(req.uri);
}

function norm(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '');
}
