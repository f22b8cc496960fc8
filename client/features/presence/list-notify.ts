/**
 * Reading a batched presence NOTIFY (RFC 4662 §5): a multipart/related body (RFC 2387) whose root
 * is an RLMI document listing the resources, each active instance pointing by Content-ID (cid:)
 * at a PIDF part. A plain PIDF body (a single-presentity subscription) is read too.
 */
import { parsePresenceView, PidfError } from '../../../shared/presence/pidf';
import { descendantsOf, parseXml, XmlError } from '../../../shared/presence/xml';
import { PIDF_TYPE, RLMI_TYPE, type PresenceView } from '../../../shared/presence/types';

const RLMI_NS = 'urn:ietf:params:xml:ns:rlmi';

export interface BodyPart {
  /** Lower-case header names. */
  headers: Map<string, string>;
  body: string;
}

function param(contentType: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Splits a multipart body (RFC 2046 §5.1.1) into its parts; the preamble and epilogue are dropped. */
export function splitMultipart(body: string, contentType: string): BodyPart[] {
  const boundary = param(contentType, 'boundary');
  if (!boundary) return [];
  const delimiter = `--${boundary}`;
  const parts: BodyPart[] = [];
  const chunks = body.split(new RegExp(`(?:^|\\r?\\n)${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break; // close delimiter
    const text = chunk.replace(/^[ \t]*\r?\n/, '');
    const split = /\r?\n\r?\n/.exec(text);
    const head = split ? text.slice(0, split.index) : text;
    const partBody = split ? text.slice(split.index + split[0].length) : '';
    const headers = new Map<string, string>();
    for (const line of head.split(/\r?\n(?![ \t])/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
    }
    parts.push({ headers, body: partBody });
  }
  return parts;
}

export interface ListResourceState {
  uri: string;
  /** Undefined when the instance is not active (terminated: e.g. not one of our users). */
  view?: PresenceView;
}

export interface ListNotify {
  /** RFC 4662 §5.3 fullState: the resources not named are no longer in the list. */
  fullState: boolean;
  version?: number;
  resources: ListResourceState[];
}

function readView(pidf: string | undefined): PresenceView | undefined {
  if (pidf === undefined) return undefined;
  try {
    return parsePresenceView(pidf);
  } catch (err) {
    if (err instanceof PidfError) return undefined;
    throw err;
  }
}

/** Undefined when the body is neither an RLMI multipart nor a PIDF document. */
export function readListNotify(body: string, contentType: string | undefined): ListNotify | undefined {
  const type = mediaType(contentType);
  if (type === PIDF_TYPE) {
    const view = readView(body);
    return view?.entity ? { fullState: false, resources: [{ uri: view.entity, view }] } : undefined;
  }
  if (type !== 'multipart/related' || !contentType) return undefined;
  const parts = splitMultipart(body, contentType);
  const byCid = new Map<string, BodyPart>();
  for (const p of parts) {
    const cid = p.headers.get('content-id')?.replace(/^<|>$/g, '');
    if (cid) byCid.set(cid, p);
  }
  const start = param(contentType, 'start')?.replace(/^<|>$/g, '');
  const root = (start ? byCid.get(start) : undefined) ?? parts.find((p) => mediaType(p.headers.get('content-type')) === RLMI_TYPE);
  if (!root) return undefined;
  let list;
  try {
    list = parseXml(root.body);
  } catch (err) {
    if (err instanceof XmlError) return undefined;
    throw err;
  }
  if (list.ns !== RLMI_NS || list.name !== 'list') return undefined;
  const resources: ListResourceState[] = [];
  for (const resource of descendantsOf(list, RLMI_NS, 'resource')) {
    const uri = resource.attrs.get('uri');
    if (!uri) continue;
    const instance = descendantsOf(resource, RLMI_NS, 'instance').find((i) => i.attrs.get('state') === 'active');
    const cid = instance?.attrs.get('cid');
    const view = cid ? readView(byCid.get(cid)?.body) : undefined;
    resources.push(view ? { uri, view } : { uri });
  }
  const version = Number(list.attrs.get('version'));
  return { fullState: list.attrs.get('fullState') === 'true', ...(Number.isFinite(version) ? { version } : {}), resources };
}
