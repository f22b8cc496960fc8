/**
 * REGISTER (RFC 3261 §10.3) with RFC 5626 outbound (+sip.instance, reg-id, flows), RFC 5627 public
 * GRUUs and RFC 3327 Path. The registrar answers for AORs of its own domain only, and only the
 * authenticated user may change their own bindings (no third-party registration).
 */
import { SipError } from '../sip/message/errors';
import { callIdOf, contactsOf, cseqOf, expiresOf, formatUri, optionTags, toOf } from '../sip/message/index';
import type { NameAddr, SipRequest } from '../sip/message/types';
import type { RegistrarSettings } from '../config';
import type { MethodHandler } from '../dispatcher/dispatcher';
import type { RequestContext } from '../dispatcher/context';
import { type Binding, bindingKey } from './binding';
import type { LocationService } from './location';

export interface RegistrarOptions {
  domain: string;
  frontEnd: string;
  settings: RegistrarSettings;
  location: LocationService;
  now?: () => number;
}

export function aorOf(user: string, domain: string): string {
  return `sip:${user}@${domain}`;
}

/** `"<urn:uuid:...>"` → `urn:uuid:...` */
export function instanceIdOf(contact: NameAddr): string | undefined {
  const raw = contact.params.get('+sip.instance');
  if (!raw) return undefined;
  const v = raw.replace(/^"|"$/g, '').replace(/^<|>$/g, '');
  return v.length > 0 && v.length <= 256 ? v : undefined;
}

export function publicGruu(aor: string, instanceId: string): string {
  return `${aor};gr=${instanceId}`;
}

export class Registrar implements MethodHandler {
  readonly module = 'registrar';
  private readonly now: () => number;

  constructor(private readonly opts: RegistrarOptions) {
    this.now = opts.now ?? Date.now;
  }

  async handle(ctx: RequestContext): Promise<void> {
    const req = ctx.request;
    const to = toOf(req);
    if (to.uri.host !== this.opts.domain || !to.uri.user) {
      throw new SipError(404, 'Not Found (domain not served here)');
    }
    if (!ctx.user || to.uri.user !== ctx.user) {
      throw new SipError(403, 'Forbidden (you may register only your own address)');
    }
    const aor = aorOf(to.uri.user, this.opts.domain);
    const contacts = contactsOf(req);
    const headerExpires = expiresOf(req);
    const callId = callIdOf(req);
    const cseq = cseqOf(req).seq;

    if (contacts.some((c) => c.wildcard)) {
      // §10.3 step 6: "*" only alone and with Expires: 0.
      if (contacts.length !== 1 || headerExpires !== 0) throw new SipError(400, 'Bad Request (Contact * needs Expires: 0 and no other contact)');
      for (const b of this.opts.location.lookup(aor)) {
        if (b.callId === callId && cseq <= b.cseq) continue;
        await this.opts.location.remove(aor, bindingKey(b));
      }
      return this.answer(ctx, aor, false);
    }

    const supported = optionTags(req, 'Supported');
    const wantsGruu = supported.includes('gruu');
    const changes = contacts.map((c) => this.toBinding(ctx, req, aor, c, headerExpires, callId, cseq, wantsGruu));
    const tooBrief = changes.find((c) => c.expires > 0 && c.expires < this.opts.settings.minExpires);
    if (tooBrief) {
      throw new SipError(423, 'Interval Too Brief', [['Min-Expires', String(this.opts.settings.minExpires)]]);
    }
    const existing = new Map(this.opts.location.lookup(aor).map((b) => [bindingKey(b), b]));
    for (const { binding } of changes) {
      const old = existing.get(bindingKey(binding));
      // §10.3 step 7: an older or repeated CSeq for the same Call-ID must not change the binding.
      if (old && old.callId === callId && cseq <= old.cseq) {
        throw new SipError(500, 'Server Internal Error (CSeq out of order)', [['Retry-After', '1']]);
      }
    }
    const added = changes.filter((c) => c.expires > 0 && !existing.has(bindingKey(c.binding))).length;
    if (existing.size + added > this.opts.settings.maxBindingsPerAor) {
      throw new SipError(403, `Forbidden (at most ${this.opts.settings.maxBindingsPerAor} registered endpoints)`);
    }
    let longest = 0;
    for (const { binding, expires } of changes) {
      if (expires === 0) await this.opts.location.remove(aor, bindingKey(binding));
      else await this.opts.location.put(binding);
      longest = Math.max(longest, expires);
    }
    // A registered endpoint that sends no keep-alives must not lose its connection (and with it its
    // binding) to the idle timeout before its registration is due for refresh.
    if (longest > 0) ctx.flow.setIdleTimeout?.((longest + 60) * 1000);
    const outbound = changes.some((c) => c.binding.regId !== undefined && c.binding.instanceId !== undefined);
    return this.answer(ctx, aor, outbound && supported.includes('outbound'));
  }

  private toBinding(
    ctx: RequestContext,
    req: SipRequest,
    aor: string,
    contact: NameAddr,
    headerExpires: number | undefined,
    callId: string,
    cseq: number,
    wantsGruu: boolean,
  ): { binding: Binding; expires: number } {
    const rawExpires = contact.params.get('expires');
    let expires = rawExpires != null && /^\d{1,10}$/.test(rawExpires) ? Number(rawExpires) : (headerExpires ?? this.opts.settings.defaultExpires);
    expires = Math.min(expires, this.opts.settings.maxExpires);
    const instanceId = instanceIdOf(contact);
    const regIdRaw = contact.params.get('reg-id');
    if (regIdRaw != null && !/^\d{1,9}$/.test(regIdRaw)) throw new SipError(400, 'Bad Request (invalid reg-id)');
    const regId = regIdRaw != null ? Number(regIdRaw) : undefined;
    if (!['sip', 'sips'].includes(contact.uri.scheme)) throw new SipError(400, 'Bad Request (Contact must be a SIP URI)');
    const now = this.now();
    const binding: Binding = {
      aor,
      contact: formatUri(contact.uri),
      instanceId,
      regId,
      flowId: ctx.flow.id,
      frontEnd: this.opts.frontEnd,
      expiresAt: now + expires * 1000,
      q: parseQ(contact.params.get('q')),
      callId,
      cseq,
      userAgent: req.headers.get('User-Agent')?.slice(0, 200),
      path: req.headers.getAll('Path'),
      gruu: wantsGruu && instanceId ? publicGruu(aor, instanceId) : undefined,
      updatedAt: now,
    };
    if (binding.path?.length === 0) binding.path = undefined;
    return { binding, expires };
  }

  private answer(ctx: RequestContext, aor: string, outbound: boolean): void {
    const now = this.now();
    const headers: [string, string][] = [];
    for (const b of this.opts.location.lookup(aor)) {
      let c = `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))}`;
      if (b.q !== 1) c += `;q=${b.q}`;
      if (b.instanceId) c += `;+sip.instance="<${b.instanceId}>"`;
      if (b.regId !== undefined) c += `;reg-id=${b.regId}`;
      if (b.gruu) c += `;pub-gruu="${b.gruu}"`;
      headers.push(['Contact', c]);
    }
    if (outbound) headers.push(['Require', 'outbound']);
    headers.push(['Supported', 'outbound, gruu, path']);
    headers.push(['Date', new Date(now).toUTCString()]);
    ctx.respond(200, 'OK', { headers });
  }
}

function parseQ(raw: string | null | undefined): number {
  if (raw == null) return 1;
  const q = Number(raw);
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(raw) || !Number.isFinite(q)) throw new SipError(400, 'Bad Request (invalid q value)');
  return q;
}
