/**
 * Markup → plain text, for everything a record holds. Records hold plain text (the site escapes
 * everything it shows, so markup left in would be displayed as tags): feed descriptions, Atom
 * text constructs, Dublin Core descriptions, and titles and abstracts of any source go through
 * `htmlToText` once, here.
 *
 * htmlparser2 parses the markup (as a browser would: unclosed tags, stray brackets, every HTML
 * entity with and without its semicolon, via the `entities` package); the walk below only decides
 * the layout of the text: block elements become paragraph breaks, `<br>` a line break, list
 * items "• " lines, scripts and styles disappear.
 */
import { decodeHTML, decodeXML } from 'entities';
import { parseDocument } from 'htmlparser2';
import type { ChildNode } from 'domhandler';

/** Decodes HTML character references (every named one HTML defines); unknown names are left as written. */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}

/** Decodes XML's character references only (the five named ones and numeric ones). */
export function decodeXmlEntities(text: string): string {
  return text.includes('&') ? decodeXML(text) : text;
}

const INVISIBLE = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math', 'head']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'aside', 'header', 'footer', 'main', 'nav', 'blockquote', 'pre',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot',
  'tr', 'figure', 'figcaption', 'hr', 'address', 'details', 'summary', 'fieldset', 'form', 'body', 'html',
]);
const CELL = new Set(['td', 'th']);
const LOOKS_LIKE_MARKUP = /<[a-zA-Z/!?]|&[#a-zA-Z]/;

/** Collects text runs and the line breaks between them, then joins them once. */
class TextLayout {
  private readonly parts: string[] = [];
  /** Newlines owed before the next text: 1 (line break) or 2 (paragraph). */
  private owed = 0;
  private atLineStart = true;

  text(raw: string): void {
    let s = raw.replace(/\s+/g, ' ');
    if (this.atLineStart || this.owed > 0) s = s.trimStart();
    if (s === '') return;
    if (this.owed > 0 && this.parts.length > 0) this.parts.push('\n'.repeat(this.owed));
    this.owed = 0;
    this.parts.push(s);
    this.atLineStart = false;
  }

  lineBreak(count: 1 | 2): void {
    this.owed = Math.max(this.owed, count);
    this.atLineStart = true;
  }

  toString(): string {
    return this.parts
      .join('')
      .replace(/ +\n/g, '\n')
      .trim();
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return (colon === -1 ? name : name.slice(colon + 1)).toLowerCase();
}

function walk(nodes: ChildNode[], out: TextLayout): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      out.text(node.data);
      continue;
    }
    if (node.type === 'cdata') {
      walk(node.children, out);
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
    const name = localName(node.name);
    if (INVISIBLE.has(name)) continue;
    if (name === 'br') {
      out.lineBreak(1);
    } else if (name === 'li') {
      out.lineBreak(1);
      out.text('• ');
      walk(node.children, out);
      out.lineBreak(1);
    } else if (CELL.has(name)) {
      walk(node.children, out);
      out.text(' ');
    } else if (BLOCK.has(name)) {
      out.lineBreak(2);
      walk(node.children, out);
      out.lineBreak(2);
    } else {
      walk(node.children, out);
    }
  }
}

/**
 * Plain text of an HTML fragment, paragraphs separated by blank lines, whitespace collapsed.
 * Text without markup is returned trimmed, unparsed ("3 < 4" stays as it is).
 */
export function htmlToText(html: string): string {
  if (!LOOKS_LIKE_MARKUP.test(html)) return html.trim();
  const out = new TextLayout();
  walk(parseDocument(html, { decodeEntities: true }).children, out);
  return out.toString();
}

/** Plain text of an XHTML (or other XML) fragment, read in document order as XML. */
export function xhtmlToText(xml: string): string {
  const out = new TextLayout();
  walk(parseDocument(xml, { xmlMode: true, decodeEntities: true, recognizeCDATA: true }).children, out);
  return out.toString();
}

/** The character data of raw XML content (entities decoded, CDATA sections unwrapped, tags ignored). */
export function xmlCharacterData(xml: string): string {
  if (!xml.includes('<') && !xml.includes('&')) return xml;
  const parts: string[] = [];
  const collect = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') parts.push(node.data);
      else if ('children' in node) collect(node.children);
    }
  };
  collect(parseDocument(xml, { xmlMode: true, decodeEntities: true, recognizeCDATA: true }).children);
  return parts.join('');
}

/** At most `max` characters, cut at a word boundary with an ellipsis: feeds carry whole articles. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
