/**
 * The wire of batched subscriptions: the resource list a subscriber names (RFC 4826 resource-lists
 * in the SUBSCRIBE body, as OCS 2007 clients did) and the NOTIFY body a list gets (RFC 4662 §5:
 * multipart/related, an RLMI document first, then one PIDF part per resource referenced by cid).
 */
import { buildMultipart, randomToken } from '../sip/message/index';
import { descendantsOf, escapeXml, parseXml, XmlError } from '../../shared/presence/xml';
import { PIDF_TYPE, RLMI_TYPE } from '../../shared/presence/types';

export const RESOURCE_LISTS_NS = 'urn:ietf:params:xml:ns:resource-lists';
export const RLMI_NS = 'urn:ietf:params:xml:ns:rlmi';

export class ResourceListError extends Error {
  override readonly name = 'ResourceListError';
}

/** The entry URIs of a resource-lists document (nested lists flattened, duplicates dropped, at most `max`). */
export function readResourceList(xml: string, max: number): string[] {
  let root;
  try {
    root = parseXml(xml);
  } catch (err) {
    throw new ResourceListError(err instanceof XmlError ? `malformed XML: ${err.message}` : 'malformed XML');
  }
  if (root.ns !== RESOURCE_LISTS_NS || root.name !== 'resource-lists') throw new ResourceListError('not a resource-lists document');
  const uris = new Set<string>();
  for (const e of descendantsOf(root, RESOURCE_LISTS_NS, 'entry')) {
    const uri = e.attrs.get('uri')?.trim();
    if (!uri) continue;
    uris.add(uri);
    if (uris.size > max) throw new ResourceListError(`more than ${max} resources`);
  }
  return [...uris];
}

/** One resource in a list NOTIFY. */
export interface ListResource {
  uri: string;
  /** The PIDF of the resource; absent with `terminated` (e.g. noresource: not one of our users). */
  pidf?: string;
  /** RFC 4662 §5.3 instance state; default active. */
  state?: 'active' | 'pending' | 'terminated';
  reason?: string;
}

/** RLMI (RFC 4662 §5.3) + parts, as one multipart/related body (§5.2). */
export function buildListBody(listUri: string, version: number, fullState: boolean, resources: ListResource[], domain: string): { body: Buffer; contentType: string } {
  const rlmiCid = `${randomToken(10)}@${domain}`;
  const parts: { contentType: string; headers: [string, string][]; body: Buffer }[] = [];
  let rlmi = `<?xml version="1.0" encoding="UTF-8"?>\n<list xmlns="${RLMI_NS}" uri="${escapeXml(listUri)}" version="${version}" fullState="${fullState}">`;
  let i = 0;
  for (const r of resources) {
    const state = r.state ?? 'active';
    rlmi += `<resource uri="${escapeXml(r.uri)}">`;
    if (r.pidf !== undefined && state !== 'terminated') {
      const cid = `${randomToken(8)}${i}@${domain}`;
      rlmi += `<instance id="i${i}" state="${state}" cid="${cid}"/>`;
      parts.push({ contentType: PIDF_TYPE, headers: [['Content-ID', `<${cid}>`]], body: Buffer.from(r.pidf, 'utf8') });
    } else {
      rlmi += `<instance id="i${i}" state="terminated"${r.reason ? ` reason="${escapeXml(r.reason)}"` : ''}/>`;
    }
    rlmi += '</resource>';
    i++;
  }
  rlmi += '</list>';
  return buildMultipart(
    [{ contentType: RLMI_TYPE, headers: [['Content-ID', `<${rlmiCid}>`]], body: Buffer.from(rlmi, 'utf8') }, ...parts],
    undefined,
    { subtype: 'related', params: `;type="${RLMI_TYPE}";start="<${rlmiCid}>"` },
  );
}
