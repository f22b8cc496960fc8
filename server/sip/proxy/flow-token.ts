/**
 * Record-Route with flow tokens (RFC 5626 §5.3, RFC 3261 §16.6 step 4). A browser is reachable only
 * over the WebSocket it opened, so a dialog's later requests must go back over the same flows. The
 * Record-Route URI we insert names both flows of the dialog in its user part: `<in>.<out>`, where
 * `in` is the flow the dialog-forming request came from and `out` the flow it went out on. Flow ids
 * are 128-bit random values, so a token cannot be guessed or forged into another user's flow.
 * The `ocs` parameter carries the Front End id (alphanumeric, no dashes) so that we recognise our own Route entries.
 */
import type { NameAddr, SipUri } from '../message/types';
import type { Flow, TransportName } from '../transport/types';

export interface FlowToken {
  inFlow: string;
  outFlow: string;
}

export interface LocalAddress {
  host: string;
  port: number;
  transport: TransportName;
}

const TOKEN = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{8,64})$/;

export function recordRouteUri(frontEnd: string, token: FlowToken, local: LocalAddress): string {
  const transport = local.transport === 'WS' || local.transport === 'WSS' ? local.transport.toLowerCase() : local.transport.toLowerCase();
  return `<sip:${token.inFlow}.${token.outFlow}@${hostPart(local.host)}:${local.port};transport=${transport};lr;ocs=${frontEnd}>`;
}

/** True when a Route/Record-Route URI is one of ours (any Front End of the pool marks it `ocs=`). */
export function isOurRoute(uri: SipUri, frontEnd: string): boolean {
  return uri.params.get('ocs') === frontEnd;
}

export function parseFlowToken(uri: SipUri): FlowToken | undefined {
  const m = uri.user ? TOKEN.exec(uri.user) : null;
  return m ? { inFlow: m[1]!, outFlow: m[2]! } : undefined;
}

/** Which flow a request arriving on `arrival` must leave on, per the token (undefined: unknown flow). */
export function oppositeFlow(token: FlowToken, arrival: Flow): string | undefined {
  if (arrival.id === token.inFlow) return token.outFlow;
  if (arrival.id === token.outFlow) return token.inFlow;
  return undefined;
}

/** Rewrites our Record-Route entry so the upstream side sees an address it can reach (§16.7 step 4 note). */
export function rewriteRecordRoute(entry: NameAddr, local: LocalAddress): void {
  entry.uri.host = hostPart(local.host);
  entry.uri.port = local.port;
  entry.uri.params.set('transport', local.transport.toLowerCase());
}

function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
