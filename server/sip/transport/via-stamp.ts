/**
 * RFC 3261 §18.2.1 and RFC 3581 §4: the server transport records where a request really came from in
 * its top Via, so responses find their way back through NATs and over the same connection.
 */
import type { SipRequest } from '../message/types';
import { topVia } from '../message/accessors';
import { formatVia } from '../message/via';
import type { Endpoint } from './types';

function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1).toLowerCase() : host.toLowerCase();
}

/**
 * Adds `received=` when the sent-by host is not the source address (a domain name, or a different
 * IP), and both `received=` and the `rport` value when the request asked for rport (RFC 3581 §4:
 * received is then added even when the address matches). Returns whether the Via changed.
 */
export function stampVia(request: SipRequest, source: Endpoint): boolean {
  const via = topVia(request);
  const address = source.address.startsWith('::ffff:') && source.address.includes('.') ? source.address.slice(7) : source.address;
  const wantsRport = via.params.has('rport');
  const differs = bare(via.host) !== address.toLowerCase();
  if (!differs && !wantsRport) return false;
  const params = new Map(via.params);
  params.set('received', address);
  if (wantsRport) params.set('rport', String(source.port));
  request.headers.removeFirst('Via');
  request.headers.prepend('Via', formatVia({ ...via, params }));
  return true;
}
