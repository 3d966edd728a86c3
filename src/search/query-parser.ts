/**
 * Parses what a visitor typed into words, "quoted phrases" and -exclusions. Total: every input
 * parses, nothing is syntax except double quotes and a leading '-'. Operator-looking text (AND, OR,
 * NOT, NEAR, *, ^, :, brackets) is never given a meaning: punctuation falls away in tokenising and
 * the capitalised boolean words are dropped, since whoever types them means an operator we do not
 * offer, not a word to require. Work is bounded by the caps below whatever the input length.
 */
import { tokenize } from './vocabulary/text';

export const MAX_QUERY_CHARS = 2000;
export const MAX_TERMS = 32;
export const MAX_PHRASE_WORDS = 16;

export interface ParsedTerm {
  /** Folded words: lower case, no diacritics. */
  words: string[];
  /** The same words as typed (for case-sensitive names such as "US"). */
  typed: string[];
  /** Written in double quotes: the words must occur together, as typed. */
  quoted: boolean;
  /** Preceded by '-': documents matching it are excluded. */
  negated: boolean;
  /** The text as typed, without quotes or '-'. */
  source: string;
  /** Where each word was typed: ParsedQuery.text.slice(starts[i], ends[i]) is typed[i]. */
  starts: number[];
  ends: number[];
}

export interface ParsedQuery {
  /** The input after cleaning (control characters to spaces, typographic quotes to '"'): what offsets refer to. */
  text: string;
  terms: ParsedTerm[];
  /** Something was left out to respect the caps. */
  truncated: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;
const QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02]/g;
const MINUS = /[\u2212\ufe63\uff0d]/g;
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);
const isSpace = (c: string): boolean => c === ' ';

export function parseQuery(input: unknown): ParsedQuery {
  let text = typeof input === 'string' ? input : '';
  let truncated = false;
  if (text.length > MAX_QUERY_CHARS) {
    text = text.slice(0, MAX_QUERY_CHARS);
    truncated = true;
  }
  // One separator and one quote character, so the scanner below has only three cases.
  text = text.replace(CONTROL, ' ').replace(/\s/g, ' ').replace(QUOTES, '"').replace(MINUS, '-');

  const terms: ParsedTerm[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    let negated = false;
    if (text[i] === '-' && i + 1 < text.length && !isSpace(text[i + 1])) {
      negated = true;
      i++;
    }
    let source: string;
    let sourceStart: number;
    let quoted = false;
    if (text[i] === '"') {
      // An unclosed quote runs to the end, as people expect when they forget the closing one.
      const close = text.indexOf('"', i + 1);
      const end = close < 0 ? text.length : close;
      source = text.slice(i + 1, end);
      sourceStart = i + 1;
      quoted = true;
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !isSpace(text[end]) && text[end] !== '"') end++;
      source = text.slice(i, end);
      sourceStart = i;
      i = end;
    }
    const term = makeTerm(source, sourceStart, quoted, negated);
    if (!term) continue;
    if (term.words.length > MAX_PHRASE_WORDS) {
      term.words = term.words.slice(0, MAX_PHRASE_WORDS);
      term.typed = term.typed.slice(0, MAX_PHRASE_WORDS);
      term.starts = term.starts.slice(0, MAX_PHRASE_WORDS);
      term.ends = term.ends.slice(0, MAX_PHRASE_WORDS);
      truncated = true;
    }
    if (terms.length >= MAX_TERMS) {
      truncated = true;
      break;
    }
    terms.push(term);
  }
  return { text, terms, truncated };
}

function makeTerm(source: string, offset: number, quoted: boolean, negated: boolean): ParsedTerm | undefined {
  const tokens = tokenize(source);
  if (tokens.words.length === 0) return undefined;
  if (!quoted && !negated && tokens.raw.length === 1 && OPERATORS.has(tokens.raw[0])) return undefined;
  return {
    words: tokens.words,
    typed: tokens.raw,
    quoted,
    negated,
    source: source.trim(),
    starts: tokens.starts.map((s) => s + offset),
    ends: tokens.ends.map((e) => e + offset),
  };
}
