/**
 * The text parts of an AnalysedQuery → FTS5 MATCH expressions. Pure. Every word is emitted as a
 * double-quoted FTS5 string (embedded quotes doubled), so nothing a visitor types can become FTS5
 * syntax. What a query matches takes its tags from the in-memory facet postings (match-eval.ts),
 * which keeps a tag that half the library carries cheap; the boolean forms (booleanExpression,
 * anyClauseExpression) and filters write tags as tokens of the tags column, for FTS5 to score a
 * query of several clauses over what it matches.
 */
import type { AnalysedQuery, MatchUnit, QueryClause } from '../../search/analysed-query';
import { tagToken } from '../../search/fields';
import { literalStart } from './prefix-words';

export function quote(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

type WordsUnit = Extract<MatchUnit, { kind: 'words' }>;

/** One token of FTS5's tokenizer: letters and digits only (anything else could split it). */
const SINGLE_TOKEN = /^[\p{L}\p{N}]+$/u;

/** Whether `inner`'s words occur in `outer`'s in a row: then every document `outer` matches, `inner` matches too. */
function subsumes(inner: WordsUnit, outer: WordsUnit): boolean {
  const a = inner.words;
  const b = outer.words;
  if (inner.prefix || outer.prefix || inner.wildcard || outer.wildcard) return false;
  if (a.length === 0 || a.length >= b.length || !a.every((w) => SINGLE_TOKEN.test(w)) || !b.every((w) => SINGLE_TOKEN.test(w))) return false;
  // Several words not in a phrase match anywhere in the document: only a single word is surely in `outer`.
  if (a.length === 1) return b.includes(a[0]);
  if (!inner.phrase || !outer.phrase) return false;
  for (let i = 0; i + a.length <= b.length; i++) if (a.every((w, j) => b[i + j] === w)) return true;
  return false;
}

/**
 * The alternatives of an OR that another one already covers ("republic of the philippines" when
 * "philippines" is there) dropped: they add nothing to what matches, and FTS5 walks the position
 * lists of every word of a phrase ("of", "the": most of the library) to find them. Only where
 * matching is all that counts: bm25 gives a document that names the long form more.
 */
function withoutSubsumed(units: readonly WordsUnit[]): WordsUnit[] {
  return units.filter((u) => !units.some((other) => other !== u && subsumes(other, u)));
}

function wordsExpression(unit: WordsUnit): string | undefined {
  const words = unit.words.filter((w) => w.trim() !== '');
  if (words.length === 0) return undefined;
  // FTS5's prefix query: "migra" * (the beginning stemmed as the tokens are; see prefix-words.ts).
  if (unit.prefix) return `${quote(words.join(' '))} *`;
  // A wildcard no indexed word has the shape of (prefix-words.ts replaces the others by their
  // words): FTS5 has no false, and a word without itself is one.
  if (unit.wildcard) {
    const start = quote(literalStart(words[0]));
    return `(${start} NOT ${start})`;
  }
  if (unit.phrase) return quote(words.join(' '));
  return words.length === 1 ? quote(words[0]) : `(${words.map(quote).join(' AND ')})`;
}

/**
 * The clause's text alternatives ORed: what it matches as text. A demonym or ambiguous name that
 * counts only with its tag (`onlyWith`) adds nothing to what the clause matches — the tag is an
 * alternative of the same clause — so it is left out unless `withConditional` (scoring, highlights).
 */
export function clauseText(clause: QueryClause, withConditional = false): string | undefined {
  const parts: string[] = [];
  const units = clause.anyOf.filter((u): u is WordsUnit => u.kind === 'words' && (!u.onlyWith || withConditional));
  // For what matches only: in a score each alternative counts (Elasticsearch scores them all too).
  for (const unit of withConditional ? units : withoutSubsumed(units)) {
    const e = wordsExpression(unit);
    if (e !== undefined && !parts.includes(e)) parts.push(e);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

export function joinAnd(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.join(' AND ');
}

export function joinOr(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** Every positive text alternative of the query, nested groups included: what bm25 scores and highlight() marks. */
export function scoringExpression(query: AnalysedQuery): string | undefined {
  const parts: string[] = [];
  const visit = (clauses: readonly QueryClause[]): void => {
    for (const clause of clauses) {
      if (clause.negated) continue;
      const text = clauseText(clause, true);
      if (text !== undefined && !parts.includes(text)) parts.push(text);
      for (const unit of clause.anyOf) if (unit.kind === 'all') visit(unit.clauses);
    }
  };
  visit(query.clauses);
  return joinOr(parts);
}

export function tagExpression(field: Parameters<typeof tagToken>[0], value: string): string {
  return `tags : ${quote(tagToken(field, value))}`;
}

/** A unit with its tags as tokens of the tags column (the FTS5 form of the whole boolean query). */
function unitExpression(unit: MatchUnit): string | undefined {
  if (unit.kind === 'tag') return tagExpression(unit.field, unit.value);
  if (unit.kind === 'all') return booleanConjunction(unit.clauses);
  const text = wordsExpression(unit);
  if (text === undefined || !unit.onlyWith) return text;
  return `(${text} AND ${tagExpression(unit.onlyWith.field, unit.onlyWith.value)})`;
}

function booleanClause(clause: QueryClause): string | undefined {
  const parts = clause.anyOf.map(unitExpression).filter((p): p is string => p !== undefined);
  return joinOr([...new Set(parts)]);
}

function booleanConjunction(clauses: readonly QueryClause[]): string | undefined {
  const pos = joinAnd(clauses.filter((c) => !c.negated).map(booleanClause).filter((e): e is string => e !== undefined));
  if (!pos) return undefined;
  const neg = joinOr(clauses.filter((c) => c.negated).map(booleanClause).filter((e): e is string => e !== undefined));
  return neg ? `(${pos} NOT ${neg})` : `(${pos})`;
}

/**
 * The whole query in FTS5, tags as tokens of the tags column: what matches is what the query
 * matches, and bm25 scores text and tags alike. Used to score a query of several clauses, where
 * FTS5 intersects the posting lists itself and scores only the documents that have them all.
 */
export function booleanExpression(query: AnalysedQuery): string | undefined {
  return booleanConjunction(query.clauses);
}

/** Any positive clause, the negated ones removed: the documents a "most of the words" match scores. */
export function anyClauseExpression(query: AnalysedQuery): string | undefined {
  const pos = joinOr(query.clauses.filter((c) => !c.negated).map(booleanClause).filter((e): e is string => e !== undefined));
  if (!pos) return undefined;
  const neg = joinOr(query.clauses.filter((c) => c.negated).map(booleanClause).filter((e): e is string => e !== undefined));
  return neg ? `(${pos} NOT ${neg})` : pos;
}

/** Title/abstract phrase of the typed words: documents with it rank higher. */
export function proximityExpression(query: AnalysedQuery): string | undefined {
  return query.proximityWords.length >= 2 ? `{title abstract} : ${quote(query.proximityWords.join(' '))}` : undefined;
}
