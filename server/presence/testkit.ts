/**
 * Test helpers for presence over real connections: PUBLISH and SUBSCRIBE from a SipEndpoint, the
 * views its NOTIFYs carried (single PIDF or RFC 4662 multipart), and polling for a state.
 */
import { parseMultipart } from '../sip/message/index';
import { buildPidf, parsePresenceView, type PidfFields } from '../../shared/presence/pidf';
import { PIDF_TYPE, RLMI_TYPE, type PresenceView } from '../../shared/presence/types';
import { parseXml, descendantsOf } from '../../shared/presence/xml';
import type { SipEndpoint } from '../testing/endpoint';
import type { WireMessage } from '../testing/sip-wire';
import { waitFor } from '../testing/frontend';
import { RLMI_NS } from './rlmi';

export interface Published {
  res: WireMessage;
  etag?: string;
}

export async function publish(ep: SipEndpoint, fields: PidfFields | string, opts: { etag?: string; expires?: number; headers?: [string, string][] } = {}): Promise<Published> {
  const body = typeof fields === 'string' ? fields : buildPidf(ep.aor, fields);
  const headers: [string, string][] = [['Event', 'presence'], ['Expires', String(opts.expires ?? 600)], ...(opts.etag ? ([['SIP-If-Match', opts.etag]] as [string, string][]) : []), ...(opts.headers ?? [])];
  const res = await ep.request('PUBLISH', ep.aor, { headers, body: body || undefined, contentType: PIDF_TYPE });
  return { res, etag: res.header('sip-etag') };
}

/** A single presence subscription; resolves with the 2xx (or error) response and the dialog's Call-ID. */
export async function subscribe(ep: SipEndpoint, target: string, opts: { expires?: number; headers?: [string, string][]; body?: string; contentType?: string } = {}) {
  const callId = `pres-${Math.random().toString(36).slice(2)}@test`;
  const res = await ep.request('SUBSCRIBE', target, {
    callId,
    headers: [['Event', 'presence'], ['Expires', String(opts.expires ?? 600)], ...(opts.headers ?? [])],
    body: opts.body,
    contentType: opts.contentType,
  });
  return { res, callId };
}

export function notifiesOf(ep: SipEndpoint, callId?: string): WireMessage[] {
  return ep.requests.filter((m) => m.method === 'NOTIFY' && (!callId || m.header('call-id') === callId));
}

export function lastView(ep: SipEndpoint, callId?: string): PresenceView | undefined {
  const n = notifiesOf(ep, callId).at(-1);
  return n && n.body.length > 0 ? parsePresenceView(n.body.toString('utf8')) : undefined;
}

/** Waits until the latest NOTIFY of the dialog shows a view satisfying `check`. */
export function viewWhere(ep: SipEndpoint, callId: string, check: (v: PresenceView) => boolean, what = 'presence view'): Promise<PresenceView> {
  return waitFor(() => {
    const v = lastView(ep, callId);
    return v && check(v) ? v : undefined;
  }, 5_000, what);
}

export interface ListNotify {
  version: number;
  fullState: boolean;
  views: Map<string, PresenceView | undefined>;
  instances: Map<string, { state: string; reason?: string }>;
}

/** Reads an RFC 4662 NOTIFY: RLMI + PIDF parts by cid. */
export function readListNotify(m: WireMessage): ListNotify {
  const parts = parseMultipart(m.body, m.header('content-type') ?? '');
  const rlmiPart = parts.find((p) => p.contentType.startsWith(RLMI_TYPE));
  if (!rlmiPart) throw new Error('no RLMI part');
  const byCid = new Map(parts.map((p) => [(p.headers.get('Content-ID') ?? '').replace(/^<|>$/g, ''), p]));
  const root = parseXml(rlmiPart.body.toString('utf8'));
  const out: ListNotify = { version: Number(root.attrs.get('version')), fullState: root.attrs.get('fullState') === 'true', views: new Map(), instances: new Map() };
  for (const r of descendantsOf(root, RLMI_NS, 'resource')) {
    const uri = r.attrs.get('uri')!;
    const inst = descendantsOf(r, RLMI_NS, 'instance')[0];
    out.instances.set(uri, { state: inst?.attrs.get('state') ?? 'none', reason: inst?.attrs.get('reason') });
    const part = inst?.attrs.get('cid') ? byCid.get(inst.attrs.get('cid')!) : undefined;
    out.views.set(uri, part ? parsePresenceView(part.body.toString('utf8')) : undefined);
  }
  return out;
}

/** The list state as the subscriber assembled it from every NOTIFY so far (full replaces, partial updates). */
export function listState(ep: SipEndpoint, callId: string): { views: Map<string, PresenceView | undefined>; versions: number[] } {
  let views = new Map<string, PresenceView | undefined>();
  const versions: number[] = [];
  for (const n of notifiesOf(ep, callId)) {
    if (n.body.length === 0) continue;
    const l = readListNotify(n);
    versions.push(l.version);
    if (l.fullState) views = new Map(l.views);
    else for (const [k, v] of l.views) views.set(k, v);
  }
  return { views, versions };
}
