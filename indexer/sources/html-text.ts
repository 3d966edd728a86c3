/**
 * Feed descriptions are HTML fragments; records hold plain text (the site escapes everything it
 * shows, so markup left in would be displayed as tags). This turns a fragment into readable text:
 * block elements become line breaks, other tags disappear, entities are decoded. It is not an
 * HTML parser and need not be one: its output is text that is escaped wherever it is shown.
 */

// The named entities feed text actually uses: XML's five, typography, Latin-1 letters.
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', shy: '\u00AD',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•', middot: '·', prime: '′', Prime: '″',
  copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±', times: '×', divide: '÷', micro: 'µ', para: '¶', sect: '§',
  euro: '€', pound: '£', yen: '¥', cent: '¢', curren: '¤', iexcl: '¡', iquest: '¿', ordf: 'ª', ordm: 'º',
  sup1: '¹', sup2: '²', sup3: '³', frac14: '¼', frac12: '½', frac34: '¾', not: '¬', macr: '¯', acute: '´', cedil: '¸', uml: '¨',
  ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', zwnj: '\u200C', zwj: '\u200D', lrm: '\u200E', rlm: '\u200F',
  dagger: '†', Dagger: '‡', permil: '‰', oelig: 'œ', OElig: 'Œ', scaron: 'š', Scaron: 'Š', yuml: 'ÿ', Yuml: 'Ÿ', fnof: 'ƒ',
  szlig: 'ß', aelig: 'æ', AElig: 'Æ', oslash: 'ø', Oslash: 'Ø', aring: 'å', Aring: 'Å', ccedil: 'ç', Ccedil: 'Ç',
  eth: 'ð', ETH: 'Ð', thorn: 'þ', THORN: 'Þ', ntilde: 'ñ', Ntilde: 'Ñ',
};
// Accented vowels follow a pattern: &eacute; &Agrave; &ouml; &ecirc; &atilde; …
const ACCENTS: Record<string, string> = { acute: '\u0301', grave: '\u0300', circ: '\u0302', uml: '\u0308', tilde: '\u0303' };
for (const base of 'aeiouyAEIOUY') {
  for (const [name, mark] of Object.entries(ACCENTS)) {
    const composed = (base + mark).normalize('NFC');
    if (composed.length === 1) NAMED[`${base}${name}`] = composed;
  }
}

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

function fromCodePoint(cp: number): string {
  // Surrogates and out-of-range numbers are what a broken encoder writes; U+FFFD says so.
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(cp);
}

/** Decodes HTML character references; unknown names are left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (match, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(Number(dec));
    if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
    return NAMED[name!] ?? match;
  });
}

const INVISIBLE_ELEMENT = /<(script|style|template|noscript|iframe|object|svg|math)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
const LINE_BREAK = /<br\s*\/?>/gi;
const BLOCK_BOUNDARY =
  /<\/?(?:p|div|section|article|header|footer|blockquote|pre|h[1-6]|ul|ol|dl|dt|dd|table|thead|tbody|tr|figure|figcaption|hr|address)\b[^>]*>/gi;
const LIST_ITEM = /<li\b[^>]*>/gi;
const LIST_ITEM_END = /<\/li\s*>/gi;
const CELL = /<\/t[dh]\s*>/gi;
const TAG = /<\/?[a-zA-Z][^<>]*>|<![^<>]*>|<\?[^<>]*>/g;
const LOOKS_LIKE_HTML = /<[a-zA-Z/!?]|&[#a-zA-Z]/;

/** Plain text of an HTML fragment, paragraphs separated by blank lines. */
export function htmlToText(html: string): string {
  if (!LOOKS_LIKE_HTML.test(html)) return html.trim();
  const text = html
    .replace(CDATA, '$1')
    .replace(COMMENT, '')
    .replace(INVISIBLE_ELEMENT, ' ')
    .replace(LINE_BREAK, '\n')
    .replace(LIST_ITEM, '\n• ')
    .replace(LIST_ITEM_END, '')
    .replace(CELL, ' ')
    .replace(BLOCK_BOUNDARY, '\n\n')
    .replace(TAG, '');
  return decodeEntities(text)
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
