/**
 * An ACK for a 2xx is its own transaction (RFC 3261 §17.1.1.3) and is proxied statelessly
 * (§16.11): it follows our Record-Route's flow token, or the registered contact it names.
 */
import { routesOf } from '../sip/message/index';
import type { SipRequest, SipUri } from '../sip/message/types';
import { isOurRoute, oppositeFlow, parseFlowToken } from '../sip/proxy/flow-token';
import type { ProxyCore } from '../sip/proxy/proxy';
import type { Flow, TransportLayer } from '../sip/transport/types';
import type { LocationService } from '../registrar/location';

export interface AckDeps {
  frontEnd: string;
  proxy: ProxyCore;
  transport: TransportLayer;
  location: LocationService;
  isOurAddress(uri: SipUri): boolean;
}

export function relayAck(ack: SipRequest, arrival: Flow, deps: AckDeps): void {
  let target: Flow | undefined;
  const top = ack.headers.has('Route') ? routesOf(ack)[0] : undefined;
  if (top && isOurRoute(top.uri, deps.frontEnd)) {
    ack.headers.removeFirst('Route');
    const token = parseFlowToken(top.uri);
    const id = token ? oppositeFlow(token, arrival) : undefined;
    target = id ? deps.transport.getFlow(id) : undefined;
  }
  if (!target || target.closed) {
    const b = deps.location.byContactUri(ack.uri);
    target = b?.flowId ? deps.transport.getFlow(b.flowId) : undefined;
  }
  // An ACK nobody can take is dropped silently (§16.11: never answered).
  if (target && !target.closed && target !== arrival) deps.proxy.forwardStateless(ack, target);
}
