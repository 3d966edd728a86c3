/**
 * XML for feeds and OAI-PMH, through fast-xml-parser. Elements are looked up by local name
 * (`title` finds `dc:title` and `atom:title` too, unless asked for an exact name) because the
 * prefix a publisher binds to a namespace is its own choice.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown>;

const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  // Values stay text: "2019" is a date, "0012" an identifier, never numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // Without it fast-xml-parser leaves numeric character references ("&#8211;") undecoded,
  // though they are XML; it also knows a few common HTML names, which feeds use anyway.
  htmlEntities: true,
} as const;
const parser = new XMLParser(OPTIONS);
/** Parsers that keep some elements' content as raw markup, by their path expressions. */
const rawParsers = new Map<string, XMLParser>();

export interface ParseXmlOptions {
  /**
   * Path expressions (fast-xml-parser stopNodes, e.g. "..entry.title") of elements whose content
   * is kept as the raw markup it is, in `#text`: Atom text constructs, whose `type` says how to
   * read them and whose mixed content would otherwise lose its order.
   */
  rawElements?: string[];
}

export class XmlDocumentError extends Error {}

/**
 * The document as nested objects; throws XmlDocumentError with the parser's line and column for
 * anything that is not well-formed XML (an HTML error page, a truncated response).
 */
export function parseXml(text: string, options: ParseXmlOptions = {}): XmlNode {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new XmlDocumentError('the response is empty');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new XmlDocumentError(`not well-formed XML (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`);
  }
  const doc: unknown = parserFor(options.rawElements).parse(body);
  if (doc === null || typeof doc !== 'object') throw new XmlDocumentError('not an XML document');
  return doc as XmlNode;
}

function parserFor(rawElements: string[] | undefined): XMLParser {
  if (rawElements === undefined || rawElements.length === 0) return parser;
  const key = rawElements.join('|');
  let found = rawParsers.get(key);
  if (found === undefined) {
    found = new XMLParser({ ...OPTIONS, stopNodes: rawElements });
    // One per namespace prefix a feed uses; a handful in practice.
    if (rawParsers.size < 32) rawParsers.set(key, found);
  }
  return found;
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function isNode(value: unknown): value is XmlNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The root element's name and content (the XML declaration and processing instructions skipped). */
export function rootElement(doc: XmlNode): { name: string; node: XmlNode } | undefined {
  for (const [name, value] of Object.entries(doc)) {
    if (name.startsWith('?') || name.startsWith('!') || name === '#text') continue;
    return { name, node: isNode(value) ? value : { '#text': value } };
  }
  return undefined;
}

/** Child values named `name`: by local name, or exactly when `exact` (RSS `link` is not `atom:link`). */
export function children(node: unknown, name: string, exact = false): unknown[] {
  if (!isNode(node)) return [];
  const out: unknown[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    if (exact ? key === name : localName(key) === name) {
      if (Array.isArray(value)) out.push(...value);
      else out.push(value);
    }
  }
  return out;
}

export function child(node: unknown, name: string, exact = false): unknown {
  return children(node, name, exact)[0];
}

export function childNodes(node: unknown, name: string, exact = false): XmlNode[] {
  return children(node, name, exact).map((v) => (isNode(v) ? v : { '#text': v }));
}

/** An attribute by local name (`xml:lang` by `lang`). */
export function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') && localName(key.slice(2)) === name && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * All the text inside a value, nested elements included (an Atom `type="xhtml"` content is a
 * tree of elements); undefined when there is none.
 */
export function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(text).filter((t): t is string => t !== undefined);
    return parts.length === 0 ? undefined : parts.join(' ');
  }
  if (isNode(value)) {
    const parts: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith('@_')) continue;
      const t = text(v);
      if (t !== undefined) parts.push(t);
    }
    return parts.length === 0 ? undefined : parts.join(' ');
  }
  return undefined;
}

/** Text of every child named `name`, empty ones dropped. */
export function texts(node: unknown, name: string, exact = false): string[] {
  return children(node, name, exact)
    .map(text)
    .filter((t): t is string => t !== undefined && t.trim() !== '');
}
