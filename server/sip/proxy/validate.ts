/**
 * Request validation and Route pre-processing of a proxy (RFC 3261 §16.3, §16.4), as dispatcher
 * steps. They run before authentication: a looping or over-forwarded request is refused without
 * costing a challenge round trip.
 */
import { SipError } from '../message/errors';
import { maxForwardsOf, optionTags, routesOf } from '../message/index';
import type { Middleware } from '../../dispatcher/context';
import { isOurRoute, parseFlowToken } from './flow-token';
import { isLoop } from './loop';

/** Option tags this proxy understands in Proxy-Require (none beyond the base spec). */
const PROXY_SUPPORTED = new Set<string>(['outbound', 'gruu', 'path']);

export function validateRequest(frontEnd: string, isForUs: (req: import('../message/types').SipRequest) => boolean): Middleware {
  return async (ctx, next) => {
    const req = ctx.request;
    // §16.3 item 2: URI scheme.
    if (!['sip', 'sips', 'tel'].includes(req.uri.scheme)) {
      throw new SipError(416, 'Unsupported URI Scheme');
    }
    // §16.3 item 3: Max-Forwards. OPTIONS for us with 0 is answered by us (§11, §16.3).
    const mf = maxForwardsOf(req);
    if (mf === 0 && !(req.method === 'OPTIONS' && isForUs(req))) {
      throw new SipError(483, 'Too Many Hops');
    }
    // §16.3 item 4 / RFC 5393: loop detection.
    if (isLoop(req, frontEnd)) throw new SipError(482, 'Loop Detected');
    // §16.3 item 5: Proxy-Require.
    const unsupported = optionTags(req, 'Proxy-Require').filter((t) => !PROXY_SUPPORTED.has(t));
    if (unsupported.length > 0) {
      throw new SipError(420, 'Bad Extension', [['Unsupported', unsupported.join(', ')]]);
    }
    return next();
  };
}

/** §16.4: a Request-URI or top Route that is our Record-Route is consumed here; its flow token kept. */
export function preprocessRoutes(frontEnd: string, isOurAddress: (uri: import('../message/types').SipUri) => boolean): Middleware {
  return async (ctx, next) => {
    const req = ctx.request;
    if (isOurRoute(req.uri, frontEnd)) {
      // A strict router before us put our Record-Route in the Request-URI (§16.4 first bullet).
      const routes = routesOf(req);
      const last = routes[routes.length - 1];
      if (last) {
        ctx.dialog = parseFlowToken(req.uri);
        req.uri = last.uri;
        const values = req.headers.getAll('Route');
        req.headers.remove('Route');
        for (const v of values.slice(0, -1)) req.headers.append('Route', v);
      }
    } else if (req.headers.has('Route')) {
      const top = routesOf(req)[0];
      if (top && isOurRoute(top.uri, frontEnd)) {
        ctx.dialog = parseFlowToken(top.uri);
        req.headers.removeFirst('Route');
      } else if (top && !top.uri.user && isOurAddress(top.uri)) {
        // An outbound-proxy Route naming us (e.g. <sip:ocs.test;lr>).
        req.headers.removeFirst('Route');
      }
    }
    return next();
  };
}
