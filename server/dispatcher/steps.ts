/**
 * The common dispatcher steps that are not the proxy's: authentication of every request from a
 * client, and the answers the server gives itself (OPTIONS, stray CANCEL).
 */
import type { Authenticator } from '../sip/auth/authenticator';
import { FLOW_AUTH_USER } from '../sip/auth/authenticator';
import type { SipRequest } from '../sip/message/types';
import type { Middleware, RequestContext } from './context';
import type { Dispatcher, MethodHandler } from './dispatcher';

/**
 * Authenticates with the Authenticator (flow, Bearer or Digest). A connection that proved a user
 * with Digest stays that user's (like the OCS security association on a connection), so the
 * client is not challenged again on every request; the From identity rule still applies to each.
 */
export function authenticate(auth: Authenticator, exempt: (ctx: RequestContext) => boolean): Middleware {
  return async (ctx, next) => {
    const m = ctx.request.method;
    // §22.1: ACK and CANCEL cannot be challenged.
    if (m === 'ACK' || m === 'CANCEL' || exempt(ctx)) return next();
    const result = await auth.authenticate(ctx.request, ctx.flow);
    if (!result.ok) {
      ctx.send(result.response);
      return;
    }
    ctx.user = result.user;
    ctx.authMethod = result.method;
    if (result.method === 'digest' && !ctx.flow.attributes.has(FLOW_AUTH_USER)) {
      ctx.flow.attributes.set(FLOW_AUTH_USER, result.user);
    }
    return next();
  };
}

export const SUPPORTED = 'outbound, gruu, path';

/** OPTIONS addressed to the server (RFC 3261 §11.2): what we allow and support. */
export function optionsHandler(dispatcher: Dispatcher, isForServer: (req: SipRequest) => boolean): MethodHandler {
  return {
    module: 'options',
    async handle(ctx) {
      if (!isForServer(ctx.request)) return;
      ctx.respond(200, 'OK', {
        headers: [
          ['Allow', dispatcher.allowedMethods().join(', ')],
          ['Accept', 'application/sdp, application/pidf+xml, text/plain'],
          ['Supported', SUPPORTED],
        ],
      });
    },
  };
}

/** A CANCEL that matched no INVITE transaction (§9.2). */
export const strayCancel: MethodHandler = {
  module: 'cancel',
  async handle(ctx) {
    ctx.respond(481, 'Call/Transaction Does Not Exist');
  },
};
