/**
 * Parses what a visitor typed into a boolean expression of words and "quoted phrases": the
 * operators catalogue users type — upper-case AND, OR, NOT, parentheses — and the web's
 * `-word` / `-"phrase"` exclusions. Words side by side must all match (an implicit AND). NOT
 * binds tightest, then AND, then OR: `nepal OR qatar remittances` is nepal OR (qatar AND
 * remittances), as in library catalogues.
 *
 * Total: every input parses and nothing is an error. Malformed input is read in the most useful
 * way: an unclosed quote runs to the end, an unclosed parenthesis closes at the end, a stray one
 * is ignored, an operator with nothing to apply to is dropped, and lower-case and/or/not are
 * ordinary words. A negation inside OR ("a OR NOT b", which would match nearly everything) is
 * read as an exclusion of the whole ("a NOT b"). `reading` says how the query was read, for the
 * page and the API to show when operators were used. Work is bounded by the caps below whatever
 * the input length.
 */
import { tokenize } from './vocabulary/text';

export const MAX_QUERY_CHARS = 2000;
export const MAX_TERMS = 32;
export const MAX_PHRASE_WORDS = 16;
/** Deeper parentheses than this are read as if absent. */
export const MAX_DEPTH = 8;
/** A shorter beginning ("mi*") would match most of the library: it is read as the word itself. */
export const MIN_PREFIX_CHARS = 3;

export interface ParsedTerm {
  /** Folded words: lower case, no diacritics. */
  words: string[];
  /** The same words as typed (for case-sensitive names such as "US"). */
  typed: string[];
  /** Written in double quotes: the words must occur together, as typed. */
  quoted: boolean;
  /** Preceded by '-' or NOT: documents matching it are excluded. */
  negated: boolean;
  /**
   * One unquoted word typed with a trailing '*' ("migra*"), of MIN_PREFIX_CHARS letters or more:
   * any word that begins so matches (migrant, migration), as catalogues read truncation.
   */
  prefix?: true;
  /**
   * One unquoted word typed with '?' (one letter) or '*' (any letters) inside it ("wom?n",
   * "labo*r", "organi?ation*"): any word of that shape matches, as catalogues read wildcards.
   * `words` is then that one pattern, folded. A '?' at the end of a word is a question mark.
   */
  wildcard?: true;
  /** The text as typed, without quotes or '-'. */
  source: string;
  /** Where each word was typed: ParsedQuery.text.slice(starts[i], ends[i]) is typed[i]. */
  starts: number[];
  ends: number[];
}

/** The boolean structure of a query. A `term` is one word or one quoted phrase. */
export type QueryNode =
  | { kind: 'term'; term: ParsedTerm }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

export interface ParsedQuery {
  /** The input after cleaning (control characters to spaces, typographic quotes to '"'): what offsets refer to. */
  text: string;
  /** Undefined when nothing searchable was typed. */
  root?: QueryNode;
  /** Every term, in typed order. */
  terms: ParsedTerm[];
  /** AND, OR, NOT or parentheses were typed (used or, when malformed, dropped). */
  operators: boolean;
  /** The query as it was read, operators in capitals and every grouping explicit ("nepal AND NOT qatar"). */
  reading: string;
  /** Something was left out to respect the caps. */
  truncated: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;
const QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02]/g;
const MINUS = /[\u2212\ufe63\uff0d]/g;
const PARENS = /[\uff08\uff09]/g;
const OPERATORS = new Set(['AND', 'OR', 'NOT']);

type Token =
  | { kind: 'term'; term: ParsedTerm }
  | { kind: 'op'; op: 'AND' | 'OR' | 'NOT' }
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'minus' };

const isSpace = (c: string): boolean => c === ' ';

export function parseQuery(input: unknown): ParsedQuery {
  let text = typeof input === 'string' ? input : '';
  let truncated = false;
  if (text.length > MAX_QUERY_CHARS) {
    text = text.slice(0, MAX_QUERY_CHARS);
    truncated = true;
  }
  // One separator, one quote character and one pair of parentheses, so the scanner has few cases.
  text = text
    .replace(CONTROL, ' ')
    .replace(/\s/g, ' ')
    .replace(QUOTES, '"')
    .replace(MINUS, '-')
    .replace(PARENS, (c) => (c === '\uff08' ? '(' : ')'));

  const scanned = scan(text);
  truncated ||= scanned.truncated;
  const parser = new Parser(withoutStrayCloses(scanned.tokens));
  const root = normalise(parser.parseAll());
  const terms = root ? termsOf(root) : [];
  return {
    text,
    root,
    terms,
    operators: scanned.tokens.some((t) => t.kind === 'op' || t.kind === 'open' || t.kind === 'close'),
    reading: root ? render(root, false) : '',
    truncated,
  };
}

function scan(text: string): { tokens: Token[]; truncated: boolean } {
  const tokens: Token[] = [];
  let terms = 0;
  let truncated = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close' });
      i++;
      continue;
    }
    if (c === '-' && i + 1 < text.length && !isSpace(text[i + 1]) && (i === 0 || isSpace(text[i - 1]) || text[i - 1] === '(')) {
      tokens.push({ kind: 'minus' });
      i++;
      continue;
    }
    let source: string;
    let start: number;
    let quoted = false;
    if (c === '"') {
      // An unclosed quote runs to the end, as people expect when they forget the closing one.
      const close = text.indexOf('"', i + 1);
      const end = close < 0 ? text.length : close;
      source = text.slice(i + 1, end);
      start = i + 1;
      quoted = true;
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !isSpace(text[end]) && text[end] !== '"' && text[end] !== '(' && text[end] !== ')') end++;
      source = text.slice(i, end);
      start = i;
      i = end;
      if (OPERATORS.has(source)) {
        tokens.push({ kind: 'op', op: source as 'AND' | 'OR' | 'NOT' });
        continue;
      }
    }
    const term = makeTerm(source, start, quoted);
    if (!term) continue;
    if (term.words.length > MAX_PHRASE_WORDS) {
      term.words = term.words.slice(0, MAX_PHRASE_WORDS);
      term.typed = term.typed.slice(0, MAX_PHRASE_WORDS);
      term.starts = term.starts.slice(0, MAX_PHRASE_WORDS);
      term.ends = term.ends.slice(0, MAX_PHRASE_WORDS);
      truncated = true;
    }
    if (terms >= MAX_TERMS) {
      truncated = true;
      break;
    }
    terms++;
    tokens.push({ kind: 'term', term });
  }
  return { tokens, truncated };
}

/** A ')' that closes nothing is read as absent: "nepal) OR qatar" is nepal OR qatar. */
function withoutStrayCloses(tokens: Token[]): Token[] {
  let open = 0;
  return tokens.filter((t) => {
    if (t.kind === 'open') open++;
    if (t.kind !== 'close') return true;
    if (open === 0) return false;
    open--;
    return true;
  });
}

/**
 * A word with more wildcards, or longer, is read as its words: each wildcard multiplies what an
 * engine tries against its word list, and nobody types more to find a word.
 */
export const MAX_WILDCARDS = 4;
export const MAX_WILDCARD_WORD_CHARS = 40;

/** Letters and digits with '?' or '*' between them, and perhaps a '*' at the end (see ParsedTerm.wildcard). */
const WILDCARD_WORD = /^[\p{L}\p{N}]+(?:[?*]+[\p{L}\p{N}]+)+\*?$/u;

/** A wildcard word as a term, when it has enough letters to be one (see MIN_PREFIX_CHARS). */
function wildcardTerm(source: string, offset: number): ParsedTerm | undefined {
  const typed = source.trim();
  if (typed.length > MAX_WILDCARD_WORD_CHARS || !WILDCARD_WORD.test(typed) || typed.replace(/[^?*]/g, '').length > MAX_WILDCARDS) return undefined;
  // Each run of letters folded as the tokenizer folds words; the wildcards kept between them.
  const pattern = typed.replace(/[^?*]+/gu, (letters) => tokenize(letters).words.join(''));
  // A letter first: the word lists the engines match patterns against hold words that start with one.
  if (pattern.replace(/[?*]/g, '').length < MIN_PREFIX_CHARS || !/^\p{L}/u.test(pattern)) return undefined;
  const start = offset + source.indexOf(typed);
  return { words: [pattern], typed: [typed], quoted: false, negated: false, wildcard: true, source: typed, starts: [start], ends: [start + typed.length] };
}

function makeTerm(source: string, offset: number, quoted: boolean): ParsedTerm | undefined {
  if (!quoted) {
    const wildcard = wildcardTerm(source, offset);
    if (wildcard) return wildcard;
  }
  const tokens = tokenize(source);
  if (tokens.words.length === 0) return undefined;
  const term: ParsedTerm = {
    words: tokens.words,
    typed: tokens.raw,
    quoted,
    negated: false,
    source: source.trim(),
    starts: tokens.starts.map((s) => s + offset),
    ends: tokens.ends.map((e) => e + offset),
  };
  // Only the word right before the '*' ("migra*", not "migra *" or "labour-migra*").
  const word = tokens.words[0];
  if (!quoted && tokens.words.length === 1 && word.length >= MIN_PREFIX_CHARS && term.source.endsWith('*') && tokens.ends[0] === source.trimEnd().length - 1) {
    term.prefix = true;
  }
  return term;
}

/**
 * Recursive descent over the tokens: or := and (OR and)*; and := unary (AND? unary)*;
 * unary := (NOT | -) unary | primary; primary := ( or ) | term. Never fails: what does not fit
 * the grammar is skipped.
 */
class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): QueryNode | undefined {
    const parts: QueryNode[] = [];
    while (this.i < this.tokens.length) {
      const node = this.parseOr();
      if (node) parts.push(node);
      // A stray ')' at the top level, or an operator nothing followed: skip it and go on.
      else this.i++;
    }
    return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { kind: 'and', children: parts };
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private parseOr(): QueryNode | undefined {
    const children: QueryNode[] = [];
    const first = this.parseAnd();
    if (first) children.push(first);
    for (let t = this.peek(); t?.kind === 'op' && t.op === 'OR'; t = this.peek()) {
      this.i++;
      const next = this.parseAnd();
      if (next) children.push(next);
    }
    if (children.length === 0) return undefined;
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }

  private parseAnd(): QueryNode | undefined {
    const children: QueryNode[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.kind === 'close' || (t.kind === 'op' && t.op === 'OR')) break;
      if (t.kind === 'op' && t.op === 'AND') {
        this.i++;
        continue;
      }
      const node = this.parseUnary();
      if (node) children.push(node);
    }
    if (children.length === 0) return undefined;
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }

  private parseUnary(): QueryNode | undefined {
    const t = this.peek();
    if (!t) return undefined;
    if ((t.kind === 'op' && t.op === 'NOT') || t.kind === 'minus') {
      this.i++;
      const next = this.peek();
      // "NOT" before OR, AND, ")" or the end has nothing to negate: dropped.
      if (!next || next.kind === 'close' || (next.kind === 'op' && next.op !== 'NOT')) return undefined;
      const child = this.parseUnary();
      return child ? { kind: 'not', child } : undefined;
    }
    return this.parsePrimary();
  }

  private parsePrimary(): QueryNode | undefined {
    const t = this.peek();
    if (!t) return undefined;
    this.i++;
    if (t.kind === 'term') return { kind: 'term', term: t.term };
    if (t.kind !== 'open') return undefined;
    if (this.depth >= MAX_DEPTH) return undefined;
    this.depth++;
    const inner = this.parseOr();
    this.depth--;
    // An unclosed parenthesis closes at the end.
    if (this.peek()?.kind === 'close') this.i++;
    return inner;
  }
}

/**
 * Flattens nested groups of one kind, drops double negation, and reads a negation inside OR as
 * an exclusion of the whole: (a OR NOT b) → a AND NOT b. A group of exclusions only stays as
 * such: at the top it means "everything but", which the engines answer.
 */
export function normalise(node: QueryNode | undefined): QueryNode | undefined {
  if (!node) return undefined;
  switch (node.kind) {
    case 'term':
      return node;
    case 'not': {
      const child = normalise(node.child);
      if (!child) return undefined;
      return child.kind === 'not' ? child.child : { kind: 'not', child };
    }
    case 'and': {
      const children = node.children.map(normalise).flatMap((c) => (!c ? [] : c.kind === 'and' ? c.children : [c]));
      return children.length === 0 ? undefined : children.length === 1 ? children[0] : { kind: 'and', children };
    }
    case 'or': {
      const children = node.children.map(normalise).flatMap((c) => (!c ? [] : c.kind === 'or' ? c.children : [c]));
      const positive = children.filter((c) => !isNegative(c));
      const negative = children.filter(isNegative);
      const or: QueryNode | undefined =
        positive.length === 0 ? undefined : positive.length === 1 ? positive[0] : { kind: 'or', children: positive };
      if (negative.length === 0) return or;
      const exclusions = negative.flatMap((c) => (c.kind === 'and' ? c.children : [c]));
      return normalise({ kind: 'and', children: or ? [or, ...exclusions] : exclusions });
    }
  }
}

/** A node that can only exclude: NOT x, or a group of those. */
export function isNegative(node: QueryNode): boolean {
  if (node.kind === 'not') return true;
  if (node.kind === 'and') return node.children.every(isNegative);
  if (node.kind === 'or') return node.children.every(isNegative);
  return false;
}

function termsOf(node: QueryNode, negated = false): ParsedTerm[] {
  switch (node.kind) {
    case 'term':
      if (negated) node.term.negated = true;
      return [node.term];
    case 'not':
      return termsOf(node.child, !negated);
    default:
      return node.children.flatMap((c) => termsOf(c, negated));
  }
}

/** The query as read: "(remittances OR trafficking) AND nepal", "nepal AND NOT qatar". */
export function render(node: QueryNode, nested: boolean): string {
  switch (node.kind) {
    case 'term':
      return node.term.quoted ? `"${node.term.source}"` : node.term.source;
    case 'not':
      return `NOT ${render(node.child, true)}`;
    case 'and': {
      const s = node.children.map((c) => render(c, true)).join(' AND ');
      return nested ? `(${s})` : s;
    }
    case 'or': {
      const s = node.children.map((c) => render(c, true)).join(' OR ');
      return nested ? `(${s})` : s;
    }
  }
}
