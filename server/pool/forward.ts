/**
 * Hands a request to another member of the pool as a proxy (RFC 3261 §16): used for what is homed
 * on that member (a conference's Focus). The request keeps its Request-URI, carries the asserted
 * identity of the user this Front End authenticated, and is record-routed when it forms a dialog,
 * so the dialog's later requests come back through here and follow the flow token to the home.
 */
import type { RequestContext } from '../dispatcher/context';
import { SipError } from '../sip/message/errors';
import type { ProxyCore } from '../sip/proxy/proxy';
import { DIALOG_FORMING, proxyAsUser } from '../routing/router';
import type { PoolRouting } from './routing';

export interface MemberForwarder {
  forwardTo(ctx: RequestContext, memberId: string): Promise<void>;
}

export function memberForwarder(deps: { routing: Pick<PoolRouting, 'linkTo'>; proxy: Pick<ProxyCore, 'forward'>; domain: string }): MemberForwarder {
  return {
    async forwardTo(ctx, memberId) {
      const flow = await deps.routing.linkTo(memberId);
      if (!flow) throw new SipError(503, 'Service Unavailable (the Front End holding this is unreachable)', [['Retry-After', '5']]);
      proxyAsUser(ctx, deps.proxy, deps.domain, [{ uri: ctx.request.uri, flow }], DIALOG_FORMING.has(ctx.request.method));
    },
  };
}
