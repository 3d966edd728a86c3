/**
 * HTML fragments (feed descriptions, markup in catalogue titles and abstracts) → plain text.
 * Records hold plain text: the site escapes everything it shows, so markup left in would be
 * displayed as tags. Parsing and entity decoding are htmlparser2's (the HTML tokenizer browsers
 * follow, with the full named-entity table); this module only decides where line breaks go:
 * block elements become paragraph breaks, <br> a line break, list items bullets, and the text of
 * scripts, styles and other invisible elements is left out.
 */
import { Parser } from 'htmlparser2';
import { decodeHTML } from 'entities';

const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tr', 'figure', 'figcaption', 'hr', 'address', 'main', 'aside', 'nav',
]);
const INVISIBLE = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math', 'head', 'title']);
const CELL = new Set(['td', 'th']);
const LOOKS_LIKE_HTML = /<[a-zA-Z/!?]|&[#a-zA-Z]/;

/** Decodes HTML character references (named, decimal, hexadecimal); text without any is returned as is. */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}

/** Plain text of an HTML fragment, paragraphs separated by blank lines. */
export function htmlToText(html: string): string {
  if (!LOOKS_LIKE_HTML.test(html)) return html.trim();
  let text = '';
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (INVISIBLE.has(name)) hidden++;
        else if (name === 'br') text += '\n';
        else if (name === 'li') text += '\n• ';
        else if (BLOCK.has(name)) text += '\n\n';
      },
      onclosetag(name) {
        if (INVISIBLE.has(name)) hidden = Math.max(0, hidden - 1);
        else if (CELL.has(name)) text += ' ';
        else if (BLOCK.has(name)) text += '\n\n';
      },
      ontext(data) {
        if (hidden === 0) text += data;
      },
    },
    { decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** At most `max` characters, cut at a word boundary with an ellipsis: feeds carry whole articles. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
