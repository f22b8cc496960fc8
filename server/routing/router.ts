/**
 * Where a request that is not for the server itself goes (the services side of RFC 3261 §16.5):
 * in-dialog requests follow the flow token of our Record-Route; requests to a user of our domain
 * fork to every registered endpoint (or the one a GRUU names); requests to a registered contact go
 * to that endpoint. Everything else is refused: this is not an open relay. In a pool, a request to
 * a user also goes to every other Front End holding a registration of theirs (`pool`), unless it
 * came from one (then only this Front End's endpoints: no request bounces between members).
 */
import { SipError } from '../sip/message/errors';
import { parseUri } from '../sip/message/index';
import type { SipRequest, SipUri } from '../sip/message/types';
import { assertIdentity } from '../sip/auth/identity';
import { oppositeFlow } from '../sip/proxy/flow-token';
import type { ProxyCore, ProxyTarget } from '../sip/proxy/proxy';
import type { Flow, TransportLayer } from '../sip/transport/types';
import type { MethodHandler } from '../dispatcher/dispatcher';
import type { RequestContext } from '../dispatcher/context';
import type { Binding } from '../registrar/binding';
import { isDialable, type LocationService } from '../registrar/location';
import { aorOf } from '../registrar/register';
import type { Logger } from '../log';

/** Methods that create a dialog: we Record-Route them so the dialog's requests come back through us. */
export const DIALOG_FORMING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

/** What the router needs of the pool of Front Ends (server/pool/routing.ts); absent when alone. */
export interface PoolPort {
  /** One target per other live Front End holding a binding of `aor`; the Request-URI stays as it is. */
  remoteTargets(aor: string, req: SipRequest): Promise<ProxyTarget[]>;
}

export interface RouterDeps {
  pool?: PoolPort;
  domain: string;
  location: LocationService;
  proxy: ProxyCore;
  transport: TransportLayer;
  userExists(name: string): Promise<boolean>;
  isOurAddress(uri: SipUri): boolean;
  log: Logger;
}

export class Router implements MethodHandler {
  readonly module = 'router';

  constructor(private readonly deps: RouterDeps) {}

  async handle(ctx: RequestContext): Promise<void> {
    const req = ctx.request;
    if (ctx.dialog) return this.inDialog(ctx);
    if (req.uri.host === this.deps.domain && req.uri.user) return this.toUser(ctx, req.uri.user);
    const contact = this.deps.location.byContactUri(req.uri);
    if (contact) return this.toBindings(ctx, [contact], 'Temporarily Unavailable (endpoint unreachable)');
    if (this.deps.isOurAddress(req.uri)) return; // for the server itself: the dispatcher answers
    throw new SipError(404, 'Not Found (domain not served here)');
  }

  private async inDialog(ctx: RequestContext): Promise<void> {
    const token = ctx.dialog!;
    const req = ctx.request;
    const id = oppositeFlow(token, ctx.flow);
    let flow = id ? this.live(id) : undefined;
    if (!flow) {
      // The sender reconnected (new flow) or the token names a flow of its peer: find the peer by contact.
      const b = this.deps.location.byContactUri(req.uri);
      flow = b ? await this.flowFor(b) : undefined;
    }
    // RFC 5626 §5.3: the flow the dialog used is gone.
    if (!flow) throw new SipError(430, 'Flow Failed');
    this.forward(ctx, [{ uri: req.uri, flow }], false);
  }

  private async toUser(ctx: RequestContext, user: string): Promise<void> {
    const aor = aorOf(user, this.deps.domain);
    const gr = ctx.request.uri.params.get('gr');
    const local = gr ? [this.deps.location.byInstance(aor, gr)].filter((b): b is Binding => !!b) : this.deps.location.lookup(aor);
    // A GRUU's endpoint is on one Front End: ask the others only when it is not here.
    const askPool = this.deps.pool && ctx.authMethod !== 'peer' && !(gr && local.length > 0);
    const remote = askPool ? await this.deps.pool!.remoteTargets(aor, ctx.request) : [];
    if (local.length === 0 && remote.length === 0) {
      if (!(await this.deps.userExists(user))) throw new SipError(404, 'Not Found (no such user)');
      throw new SipError(480, gr ? 'Temporarily Unavailable (that endpoint is not signed in)' : 'Temporarily Unavailable (nobody is signed in)');
    }
    return this.toBindings(ctx, local, 'Temporarily Unavailable (no endpoint reachable)', remote);
  }

  private async toBindings(ctx: RequestContext, bindings: Binding[], unreachable: string, more: ProxyTarget[] = []): Promise<void> {
    const targets: ProxyTarget[] = [];
    for (const b of bindings) {
      const flow = await this.flowFor(b);
      if (!flow) continue;
      targets.push({ uri: parseUri(b.contact), flow, route: b.path });
    }
    targets.push(...more);
    if (targets.length === 0) throw new SipError(480, unreachable);
    this.forward(ctx, targets, DIALOG_FORMING.has(ctx.request.method));
  }

  private forward(ctx: RequestContext, targets: ProxyTarget[], recordRoute: boolean): void {
    proxyAsUser(ctx, this.deps.proxy, this.deps.domain, targets, recordRoute);
  }

  private live(flowId: string): Flow | undefined {
    const f = this.deps.transport.getFlow(flowId);
    return f && !f.closed ? f : undefined;
  }

  /** The binding's own flow, or a new TCP/TLS connection to a dialable contact. */
  private async flowFor(b: Binding): Promise<Flow | undefined> {
    const existing = b.flowId ? this.live(b.flowId) : undefined;
    if (existing) return existing;
    if (!isDialable(b.contact)) return undefined;
    try {
      const uri = parseUri(b.contact);
      const tls = uri.scheme === 'sips' || uri.params.get('transport') === 'tls';
      const flow = await this.deps.transport.connect(tls ? 'TLS' : 'TCP', { address: uri.host.replace(/^\[|\]$/g, ''), port: uri.port ?? (tls ? 5061 : 5060) });
      b.flowId = flow.id;
      return flow;
    } catch (err) {
      this.deps.log.debug('contact unreachable', { aor: b.aor, err });
      return undefined;
    }
  }
}

/**
 * Hands the request to the proxy core with the identity this server authenticated: RFC 3325, the
 * next hop learns who the server authenticated, not what the client claimed. Also used by the pool
 * to forward to the member that holds a conference (server/pool/forward.ts).
 */
export function proxyAsUser(ctx: RequestContext, proxy: Pick<ProxyCore, 'forward'>, domain: string, targets: ProxyTarget[], recordRoute: boolean): void {
  ctx.handled = true;
  if (ctx.user) assertIdentity(ctx.request, ctx.user, domain);
  proxy.forward(ctx.tx, targets, { recordRoute });
}

export type { SipRequest };
