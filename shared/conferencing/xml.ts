/**
 * A small, bounded XML reader and writer for the conferencing bodies (C3P, RFC 4575
 * conference-info). Both run in the browser and in Node, so nothing here uses DOMParser or a Node
 * module. Namespaces are reduced to local names: every element we read lives in one namespace per
 * document, and a prefix carries no meaning for us. No DTDs, no external entities (nothing to
 * expand, so no billion-laughs), bounded size and depth.
 */

export interface XmlElement {
  /** Local name (prefix removed). */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element, trimmed. */
  text: string;
}

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

export const XML_LIMITS = { maxBytes: 64 * 1024, maxDepth: 16, maxElements: 2_000 } as const;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlError(`unknown entity &${e};`);
    return v;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);
}

const localName = (q: string) => q.slice(q.indexOf(':') + 1);
const NAME = /^[A-Za-z_][\w.:-]*/;
const ATTR = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/;

/** Parses a document and returns its root element; throws XmlError on anything malformed. */
export function parseXml(input: string): XmlElement {
  if (input.length > XML_LIMITS.maxBytes) throw new XmlError('document too large');
  let i = 0;
  let count = 0;
  const stack: XmlElement[] = [];
  const texts: string[][] = [];
  let root: XmlElement | undefined;
  const skip = (open: string, close: string) => {
    if (!input.startsWith(open, i)) return false;
    const end = input.indexOf(close, i + open.length);
    if (end < 0) throw new XmlError(`unterminated ${open}`);
    i = end + close.length;
    return true;
  };
  while (i < input.length) {
    const lt = input.indexOf('<', i);
    const chunk = input.slice(i, lt < 0 ? input.length : lt);
    if (stack.length > 0) texts[texts.length - 1]!.push(decode(chunk));
    else if (chunk.trim() !== '') throw new XmlError('text outside the root element');
    if (lt < 0) break;
    i = lt;
    if (skip('<?', '?>') || skip('<!--', '-->')) continue;
    if (input.startsWith('<![CDATA[', i)) {
      const end = input.indexOf(']]>', i);
      if (end < 0 || stack.length === 0) throw new XmlError('bad CDATA');
      texts[texts.length - 1]!.push(input.slice(i + 9, end));
      i = end + 3;
      continue;
    }
    if (input.startsWith('<!', i)) throw new XmlError('DTDs are not accepted');
    if (input.startsWith('</', i)) {
      const m = NAME.exec(input.slice(i + 2));
      const el = stack.pop();
      if (!m || !el || localName(m[0]) !== el.name) throw new XmlError('mismatched end tag');
      el.text = texts.pop()!.join('').trim();
      i = input.indexOf('>', i);
      if (i < 0) throw new XmlError('unterminated end tag');
      i++;
      continue;
    }
    const m = NAME.exec(input.slice(i + 1));
    if (!m) throw new XmlError('bad start tag');
    i += 1 + m[0].length;
    const el: XmlElement = { name: localName(m[0]), attrs: {}, children: [], text: '' };
    for (;;) {
      const a = ATTR.exec(input.slice(i, i + 4_096));
      if (!a) break;
      const name = a[1]!;
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) el.attrs[localName(name)] = decode(a[3] ?? a[4] ?? '');
      i += a[0].length;
    }
    while (/\s/.test(input[i] ?? '')) i++;
    const selfClosing = input.startsWith('/>', i);
    if (!selfClosing && input[i] !== '>') throw new XmlError(`bad tag <${el.name}>`);
    i += selfClosing ? 2 : 1;
    if (++count > XML_LIMITS.maxElements) throw new XmlError('too many elements');
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new XmlError('more than one root element');
    else root = el;
    if (!selfClosing) {
      if (stack.length >= XML_LIMITS.maxDepth) throw new XmlError('nested too deeply');
      stack.push(el);
      texts.push([]);
    }
  }
  if (stack.length > 0 || !root) throw new XmlError('unterminated document');
  return root;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** Builds `<name a="v">children</name>`; undefined attributes are left out, values escaped. */
export function xmlElement(name: string, attrs: Record<string, string | number | boolean | undefined>, ...content: (string | undefined)[]): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const inner = content.filter((c) => c !== undefined).join('');
  return inner === '' ? `<${name}${a}/>` : `<${name}${a}>${inner}</${name}>`;
}

/** Text content, escaped, for use as a child of xmlElement. */
export const xmlText = (s: string) => escapeXml(s);
