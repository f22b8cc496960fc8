/**
 * A small, strict-enough XML reader for the presence documents (PIDF, RPID, RLMI, resource lists)
 * that the server and the web client both read. Namespaces are resolved (RFC 3863 documents use any
 * prefixes), entities and CDATA decoded, comments / PIs / DOCTYPE skipped. Bounded: depth and
 * element count are limited so that a hostile body costs little. Pure: no I/O.
 */

export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  /** Local name, without prefix. */
  name: string;
  /** Attributes by local name (unprefixed; `xmlns*` removed). */
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Text directly inside this element (concatenated, entities decoded). */
  text: string;
}

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

const MAX_DEPTH = 32;
const MAX_ELEMENTS = 20_000;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlError(`unknown entity &${e};`);
    return v;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' } as const)[c as '<']};`);
}

interface Raw {
  qname: string;
  rawAttrs: [string, string][];
  scope: Map<string, string>;
  el: XmlElement;
}

/** Parses a whole document; throws XmlError when it is not well-formed (as far as we check). */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const n = text.length;
  const stack: Raw[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      if (stack.length > 0) throw new XmlError('unclosed element');
      if (text.slice(i).trim()) throw new XmlError('text after the root element');
      break;
    }
    if (lt > i) {
      const t = text.slice(i, lt);
      if (stack.length > 0) stack[stack.length - 1]!.el.text += decode(t);
      else if (t.trim()) throw new XmlError('text outside the root element');
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw new XmlError('unclosed comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw new XmlError('unclosed CDATA');
      if (stack.length > 0) stack[stack.length - 1]!.el.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) throw new XmlError('unclosed processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!', lt)) {
      // DOCTYPE: internal subsets (entity expansion attacks) are refused.
      const end = text.indexOf('>', lt + 2);
      if (end < 0 || text.slice(lt, end).includes('[')) throw new XmlError('DOCTYPE not supported');
      i = end + 1;
    } else if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt + 2);
      if (end < 0) throw new XmlError('unclosed end tag');
      const qname = text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.qname !== qname) throw new XmlError(`mismatched end tag </${qname}>`);
      if (stack.length === 0) root = open.el;
      i = end + 1;
    } else {
      const [raw, selfClosing, end] = readStartTag(text, lt + 1);
      if (root) throw new XmlError('more than one root element');
      if (stack.length >= MAX_DEPTH) throw new XmlError('document too deep');
      if (++count > MAX_ELEMENTS) throw new XmlError('too many elements');
      const parentScope = stack.length > 0 ? stack[stack.length - 1]!.scope : new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);
      let scope = parentScope;
      for (const [k, v] of raw.rawAttrs) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          scope.set(k === 'xmlns' ? '' : k.slice(6), v);
        }
      }
      const [prefix, local] = splitQName(raw.qname);
      const ns = scope.get(prefix) ?? (prefix ? undefined : '');
      if (ns === undefined) throw new XmlError(`undeclared prefix ${prefix}`);
      const el: XmlElement = { ns, name: local, attrs: new Map(), children: [], text: '' };
      for (const [k, v] of raw.rawAttrs) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
        el.attrs.set(splitQName(k)[1], v);
      }
      if (stack.length > 0) stack[stack.length - 1]!.el.children.push(el);
      const entry = { qname: raw.qname, rawAttrs: raw.rawAttrs, scope, el };
      if (selfClosing) {
        if (stack.length === 0) root = el;
      } else stack.push(entry);
      i = end;
    }
  }
  if (stack.length > 0) throw new XmlError('unclosed element');
  if (!root) throw new XmlError('no root element');
  return root;
}

function splitQName(q: string): [string, string] {
  const c = q.indexOf(':');
  return c < 0 ? ['', q] : [q.slice(0, c), q.slice(c + 1)];
}

const NAME = /[A-Za-z0-9_:.\-\u00b7-\uffff]/;

function readStartTag(s: string, i: number): [{ qname: string; rawAttrs: [string, string][] }, boolean, number] {
  let j = i;
  while (j < s.length && NAME.test(s[j]!)) j++;
  const qname = s.slice(i, j);
  if (!qname) throw new XmlError('malformed start tag');
  const rawAttrs: [string, string][] = [];
  for (;;) {
    while (j < s.length && /\s/.test(s[j]!)) j++;
    if (j >= s.length) throw new XmlError('unclosed start tag');
    if (s[j] === '>') return [{ qname, rawAttrs }, false, j + 1];
    if (s[j] === '/' && s[j + 1] === '>') return [{ qname, rawAttrs }, true, j + 2];
    const st = j;
    while (j < s.length && NAME.test(s[j]!)) j++;
    const name = s.slice(st, j);
    while (j < s.length && /\s/.test(s[j]!)) j++;
    if (!name || s[j] !== '=') throw new XmlError('malformed attribute');
    j++;
    while (j < s.length && /\s/.test(s[j]!)) j++;
    const q = s[j];
    if (q !== '"' && q !== "'") throw new XmlError('unquoted attribute value');
    const end = s.indexOf(q, j + 1);
    if (end < 0) throw new XmlError('unclosed attribute value');
    rawAttrs.push([name, decode(s.slice(j + 1, end))]);
    j = end + 1;
  }
}

/** Children of `el` with this namespace and local name. */
export function childrenOf(el: XmlElement, ns: string, name: string): XmlElement[] {
  return el.children.filter((c) => c.ns === ns && c.name === name);
}

export function childOf(el: XmlElement, ns: string, name: string): XmlElement | undefined {
  return el.children.find((c) => c.ns === ns && c.name === name);
}

/** Every descendant (depth first) with this namespace and local name. */
export function descendantsOf(el: XmlElement, ns: string, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.ns === ns && c.name === name) out.push(c);
    descendantsOf(c, ns, name, out);
  }
  return out;
}
