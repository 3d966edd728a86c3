/**
 * Text normalisation shared by the vocabulary, the tagger and the query analyser, so that a name in
 * vocab/*.json, a word in a record and a word a visitor types all become the same tokens.
 *
 * A token is a maximal run of letters, combining marks and digits; everything else separates
 * tokens, apostrophes and hyphens included: "People's" → people, s; "Côte d'Ivoire" → cote, d,
 * ivoire; "COVID-19" → covid, 19. That is what SQLite FTS5's unicode61 tokenizer does, so a phrase
 * built from these tokens matches what the engine indexed. Folding: NFKD, combining marks removed,
 * lower case, then the letters NFKD leaves alone (ø, ł, ß, æ …) spelled out in ASCII.
 */

const PLAIN = /^[a-z0-9]*$/;
const ASCII = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}+/gu;
const NOT_TOKEN_CHAR = /[^\p{L}\p{N}]/u;
// Modifier letters used as apostrophes (Hawaiʻi, dʼIvoire) are \p{L}; treat them as the apostrophes they stand for.
const MODIFIER_APOSTROPHES = /[\u02b9-\u02bf\u02c8-\u02cb]/g;
const HAS_MODIFIER_APOSTROPHE = /[\u02b9-\u02bf\u02c8-\u02cb]/;

const SPELLED_OUT: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŀ: 'l',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
  ſ: 's',
};
const SPELLED_OUT_CHARS = new RegExp(`[${Object.keys(SPELLED_OUT).join('')}]`, 'g');

/** Folds one token: lower case, no diacritics. Non-token characters NFKD may produce are kept (callers split on them). */
export function foldToken(token: string): string {
  if (PLAIN.test(token)) return token;
  if (ASCII.test(token)) return token.toLowerCase();
  return token.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(SPELLED_OUT_CHARS, (c) => SPELLED_OUT[c] ?? c);
}

/** Tokens of a text, folded, with what was written and where, for rules that need case or punctuation. */
export interface Tokens {
  readonly text: string;
  /** Folded, lower-case words. */
  readonly words: string[];
  /** The same tokens as written (original case). */
  readonly raw: string[];
  /** raw[i] is text.slice(starts[i], ends[i]). */
  readonly starts: number[];
  readonly ends: number[];
}

export function tokenize(input: string): Tokens {
  const text = HAS_MODIFIER_APOSTROPHE.test(input) ? input.replace(MODIFIER_APOSTROPHES, "'") : input;
  const tokens: Tokens = { text, words: [], raw: [], starts: [], ends: [] };
  // A hand-written scanner: tagging runs over every record, and this is several times faster than
  // a Unicode-property regex with a fold per match. Non-ASCII characters take the slow, exact path.
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let width = 1;
    if (c >= 128) {
      width = surrogatePairAt(text, i) ? 2 : 1;
      if (!WORD_CHAR.test(text.slice(i, i + width))) {
        i += width;
        continue;
      }
    } else if (!isAsciiWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    let plain = true;
    let upper = false;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c < 128) {
        if (!isAsciiWordChar(c)) break;
        if (c <= 90 && c >= 65) upper = true;
        i++;
        continue;
      }
      width = surrogatePairAt(text, i) ? 2 : 1;
      if (!WORD_CHAR.test(text.slice(i, i + width))) break;
      plain = false;
      i += width;
    }
    const raw = text.slice(start, i);
    if (plain) push(tokens, upper ? raw.toLowerCase() : raw, raw, start, i);
    else pushFolded(tokens, raw, start, i);
  }
  return tokens;
}

const WORD_CHAR = /^[\p{L}\p{M}\p{N}]/u;

/** A high surrogate followed by a low one; a lone surrogate is one (non-word) character. */
function surrogatePairAt(text: string, i: number): boolean {
  const hi = text.charCodeAt(i);
  if (hi < 0xd800 || hi > 0xdbff) return false;
  const lo = text.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff;
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

function push(tokens: Tokens, word: string, raw: string, start: number, end: number): void {
  tokens.words.push(word);
  tokens.raw.push(raw);
  tokens.starts.push(start);
  tokens.ends.push(end);
}

function pushFolded(tokens: Tokens, raw: string, start: number, end: number): void {
  const folded = foldToken(raw);
  if (folded.length > 0 && !NOT_TOKEN_CHAR.test(folded)) {
    push(tokens, folded, raw, start, end);
    return;
  }
  // Compatibility forms such as "½" decompose into several tokens ("1⁄2"); keep each part.
  for (const part of folded.split(/[^\p{L}\p{N}]+/u)) if (part.length > 0) push(tokens, part, raw, start, end);
}

/** Folded words of a text. */
export function toWords(text: string): string[] {
  return tokenize(text).words;
}

/** The lookup key of a name or value: its folded words joined by single spaces ("Côte d’Ivoire" → "cote d ivoire"). */
export function normaliseKey(text: string): string {
  return toWords(text).join(' ');
}

/** True when only blanks separate token i-1 from token i (no punctuation, no line break). */
export function adjacentToPrevious(tokens: Tokens, i: number): boolean {
  if (i <= 0 || i >= tokens.words.length) return false;
  const from = tokens.ends[i - 1];
  const to = tokens.starts[i];
  if (to < from) return true; // parts of one decomposed token
  for (let k = from; k < to; k++) {
    const c = tokens.text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x09 && c !== 0xa0) return false;
  }
  return true;
}

/** True when the token was written with an upper-case first letter. */
export function isCapitalised(raw: string): boolean {
  const first = raw.charAt(0);
  return first !== first.toLowerCase();
}
