/**
 * The stateful proxy core (RFC 3261 §16): forwards a request to one or more targets in parallel
 * (forking, §16.6), keeps one response context per request (§16.7), relays provisional responses
 * and every 2xx at once, cancels the other branches on a 2xx or 6xx (§16.7 step 10), and sends the
 * best final response when every branch has answered. Knows nothing of users: the routing module
 * decides the targets.
 */
import { branchOf, createResponse, formatNameAddr, recordRoutesOf, topVia } from '../message/index';
import type { SipMessage, SipRequest, SipResponse, SipUri } from '../message/types';
import type { ClientTransaction, ServerTransaction, TimerSettings, TransactionLayer } from '../transaction/types';
import type { Flow } from '../transport/types';
import type { Logger } from '../../log';
import { chooseBest } from './best-response';
import { copyRequest, copyUri } from './copy';
import { type LocalAddress, isOurRoute, recordRouteUri, rewriteRecordRoute } from './flow-token';
import { loopHash, proxyBranch } from './loop';

export interface ProxyTarget {
  /** The Request-URI of this branch (a registered contact, or the original URI). */
  uri: SipUri;
  flow: Flow;
  /** Route set to push in front (RFC 3327 Path of the binding). */
  route?: string[];
}

export interface ForwardOptions {
  /** Insert our Record-Route (dialog-forming requests). */
  recordRoute: boolean;
  /** Headers to set on every branch (e.g. P-Asserted-Identity). */
  headers?: [string, string][];
  /** Answer when there is no target (default 480). */
  noTarget?: { status: number; reason: string };
}

export interface ProxyDeps {
  frontEnd: string;
  transactions: TransactionLayer;
  timers: TimerSettings;
  log: Logger;
  localAddress(flow: Flow): LocalAddress;
  serverName: string;
}

interface Branch {
  request: SipRequest;
  tx?: ClientTransaction;
  provisional: boolean;
  final?: SipResponse;
  timerC?: NodeJS.Timeout;
}

/** How long a forwarded INVITE 2xx's upstream flow is remembered for 2xx retransmissions (64*T1). */
const ACCEPTED_MS = 32_000;

export class ProxyCore {
  /** Our branch → upstream flow, for 2xx retransmissions that arrive after the transaction ended. */
  private readonly accepted = new Map<string, { flow: Flow; until: number }>();

  constructor(private readonly deps: ProxyDeps) {}

  forward(tx: ServerTransaction, targets: ProxyTarget[], opts: ForwardOptions): void {
    const req = tx.request;
    if (targets.length === 0) {
      const nt = opts.noTarget ?? { status: 480, reason: 'Temporarily Unavailable (nobody is signed in)' };
      return this.answer(tx, createResponse(req, nt.status, nt.reason));
    }
    const isInvite = req.method === 'INVITE';
    const hash = loopHash(req);
    const branches: Branch[] = [];
    let finalSent = false;
    let cancelled = false;

    const complete = (): void => {
      if (finalSent || branches.some((b) => !b.final)) return;
      finalSent = true;
      const best = chooseBest(branches.map((b) => b.final!));
      if (best) this.relay(tx, best);
    };
    /** RFC 3326: on a 2xx the others learn the call was completed elsewhere; else the caller's own Reason, if any. */
    const cancelOthers = (except?: Branch, reason?: string): void => {
      for (const b of branches) if (b !== except && !b.final) b.tx?.cancel(reason);
    };
    const COMPLETED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';
    const onFinal = (branch: Branch, res: SipResponse): void => {
      if (branch.final) return;
      branch.final = res;
      if (branch.timerC) clearTimeout(branch.timerC);
      if (res.status >= 200 && res.status < 300) {
        finalSent = true;
        if (isInvite) {
          this.remember(res, tx.flow);
          cancelOthers(branch, COMPLETED_ELSEWHERE);
        }
        this.relay(tx, res);
        return;
      }
      if (res.status >= 600 && isInvite && !finalSent) cancelOthers(branch);
      complete();
    };

    for (const target of targets) {
      const branch: Branch = { request: this.prepare(req, tx.flow, target, opts, hash), provisional: false };
      branches.push(branch);
    }
    for (const branch of branches) {
      const target = targets[branches.indexOf(branch)]!;
      branch.tx = this.deps.transactions.sendRequest(branch.request, target.flow, {
        onResponse: (res) => {
          if (res.status < 200) {
            branch.provisional = true;
            if (res.status > 100 && !finalSent) this.relay(tx, res);
            if (cancelled) branch.tx?.cancel();
            return;
          }
          onFinal(branch, res);
        },
        onTimeout: () => onFinal(branch, createResponse(branch.request, 408, 'Request Timeout (no answer from the endpoint)')),
        onTransportError: () => onFinal(branch, createResponse(branch.request, 480, 'Temporarily Unavailable (endpoint unreachable)')),
      });
      if (isInvite) {
        // Timer C (§16.6 step 11): a branch that rings for too long is cancelled.
        branch.timerC = setTimeout(() => {
          if (branch.final) return;
          if (branch.provisional) branch.tx?.cancel();
          else onFinal(branch, createResponse(branch.request, 408, 'Request Timeout (no answer)'));
        }, this.deps.timers.C);
        branch.timerC.unref();
      }
    }

    if (isInvite) {
      tx.onCancel((cancel) => {
        // §16.10: cancel every pending branch; they answer 487 and the best of those goes upstream.
        cancelled = true;
        cancelOthers(undefined, cancel.headers.get('Reason'));
        const guard = setTimeout(() => {
          if (finalSent) return;
          for (const b of branches) if (!b.final) onFinal(b, createResponse(b.request, 487, 'Request Terminated'));
        }, 4 * this.deps.timers.T1);
        guard.unref();
      });
    }
  }

  /** Builds one branch's request (§16.6 steps 1-8). */
  private prepare(req: SipRequest, inbound: Flow, target: ProxyTarget, opts: ForwardOptions, hash: string): SipRequest {
    const out = copyRequest(req);
    out.uri = copyUri(target.uri);
    const mf = Number(out.headers.get('Max-Forwards') ?? 70);
    out.headers.set('Max-Forwards', String(Number.isFinite(mf) ? Math.max(0, mf - 1) : 69));
    for (const [name, value] of opts.headers ?? []) out.headers.set(name, value);
    const local = this.deps.localAddress(target.flow);
    if (opts.recordRoute) {
      out.headers.prepend('Record-Route', recordRouteUri(this.deps.frontEnd, { inFlow: inbound.id, outFlow: target.flow.id }, local));
    }
    if (target.route) for (const r of [...target.route].reverse()) out.headers.prepend('Route', r);
    out.headers.prepend('Via', viaFor(local, proxyBranch(this.deps.frontEnd, hash)));
    return out;
  }

  /** Forwards a response upstream (§16.7 step 3-9): our Via off, our Record-Route made reachable. */
  private relay(tx: ServerTransaction, res: SipResponse): void {
    const open = tx.state === 'Trying' || tx.state === 'Proceeding';
    // Every 2xx to an INVITE goes upstream, also after the first ended the transaction (§16.7 step 5).
    const late2xx = !open && res.status >= 200 && res.status < 300 && tx.request.method === 'INVITE';
    if (!open && !late2xx) return;
    const copy: SipResponse = { ...res, headers: res.headers.clone() };
    copy.headers.removeFirst('Via');
    if (!copy.headers.has('Via')) return;
    this.rewriteRecordRoutes(copy, tx.flow);
    if (late2xx) tx.flow.send(copy);
    else this.answer(tx, copy);
  }

  private rewriteRecordRoutes(res: SipResponse, upstream: Flow): void {
    if (!res.headers.has('Record-Route')) return;
    const entries = recordRoutesOf(res);
    if (!entries.some((e) => isOurRoute(e.uri, this.deps.frontEnd))) return;
    const local = this.deps.localAddress(upstream);
    res.headers.remove('Record-Route');
    for (const e of entries) {
      if (isOurRoute(e.uri, this.deps.frontEnd)) rewriteRecordRoute(e, local);
      res.headers.append('Record-Route', formatNameAddr(e));
    }
  }

  private answer(tx: ServerTransaction, res: SipResponse): void {
    try {
      tx.respond(res);
    } catch (err) {
      this.deps.log.debug('response not sent', { status: res.status, err });
    }
  }

  private remember(res: SipResponse, upstream: Flow): void {
    const branch = topBranch(res);
    if (!branch) return;
    const now = Date.now();
    this.accepted.set(branch, { flow: upstream, until: now + ACCEPTED_MS });
    if (this.accepted.size > 10_000) {
      for (const [k, v] of this.accepted) if (v.until < now) this.accepted.delete(k);
    }
  }

  /** A 2xx retransmission after the INVITE transaction ended (§16.7, RFC 6026 §7.2): relay statelessly. */
  relayStrayResponse(res: SipResponse): boolean {
    const branch = topBranch(res);
    const entry = branch ? this.accepted.get(branch) : undefined;
    if (!entry || entry.until < Date.now() || res.status < 200 || res.status >= 300) return false;
    const copy: SipResponse = { ...res, headers: res.headers.clone() };
    copy.headers.removeFirst('Via');
    if (!copy.headers.has('Via')) return false;
    this.rewriteRecordRoutes(copy, entry.flow);
    return entry.flow.send(copy);
  }

  /** Stateless forwarding of an ACK for a 2xx (§16.11): a Via with a branch derived from the ACK's own. */
  forwardStateless(req: SipRequest, flow: Flow): boolean {
    const out = copyRequest(req);
    const mf = Number(out.headers.get('Max-Forwards') ?? 70);
    if (Number.isFinite(mf) && mf <= 0) return false;
    out.headers.set('Max-Forwards', String(Number.isFinite(mf) ? mf - 1 : 69));
    const incoming = topBranch(req) ?? '';
    out.headers.prepend('Via', viaFor(this.deps.localAddress(flow), `z9hG4bK-${this.deps.frontEnd}-sl${hashShort(incoming)}`));
    return flow.send(out);
  }
}

/** The branch of the top Via (the parser has validated the Vias of every message we hold). */
function topBranch(msg: SipMessage): string | undefined {
  try {
    return branchOf(topVia(msg));
  } catch {
    return undefined;
  }
}

export function viaFor(local: LocalAddress, branch: string): string {
  const host = local.host.includes(':') && !local.host.startsWith('[') ? `[${local.host}]` : local.host;
  return `SIP/2.0/${local.transport} ${host}:${local.port};branch=${branch}`;
}

function hashShort(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}
