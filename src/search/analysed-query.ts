/**
 * The engine-neutral form of a visitor's query, after parsing and vocabulary analysis.
 * Engines translate this (and only this) into native syntax, so user text never reaches an
 * engine's query language, and both engines match, score and highlight the same alternatives.
 */

export type TagField = 'countries' | 'regions' | 'themes';

/** One way a clause can be satisfied. */
export type MatchUnit =
  /**
   * All `words` must occur; in order and adjacent when `phrase` is true. Words are lower-cased,
   * unescaped text. `alias`: another name of a recognised country, region or theme, added by the
   * analyser. `onlyWith`: the words count only in documents that carry this tag — a demonym or an
   * ambiguous name ("Nepali", "Jordan") that is the place only where the record is about it; it
   * changes scores and highlights, never which documents match (the tag itself is a unit too).
   * `prefix`: one word, typed with '*': any word that begins with it matches. `wildcard`: one
   * pattern of letters with '?' (any one letter) and '*' (any letters) in it ("wom?n"): any word,
   * as written in titles, abstracts and keywords, of that shape matches (ParsedTerm.wildcard).
   */
  | { kind: 'words'; words: string[]; phrase: boolean; alias?: true; onlyWith?: { field: TagField; value: string }; prefix?: true; wildcard?: true }
  /** The document carries this tag (ISO3 country, region id or theme id). */
  | { kind: 'tag'; field: TagField; value: string }
  /** Every clause of a group must hold: "(nepali workers) OR qatar" is one clause with a group and a word. */
  | { kind: 'all'; clauses: QueryClause[] };

/** A clause matches when any of its units matches. Clauses combine with AND; negated ones exclude. */
export interface QueryClause {
  anyOf: MatchUnit[];
  negated: boolean;
  /** The text the visitor typed for this clause, for messages and spelling suggestions. */
  source: string;
}

export interface AnalysedQuery {
  clauses: QueryClause[];
  /** Positive, unquoted words in typed order (two or more): documents with them as a phrase rank higher. */
  proximityWords: string[];
  /**
   * When set, a document must match at least this many of the positive clauses instead of all of
   * them, and documents matching more rank first (the "most of the words" fallback).
   */
  minimumMatch?: number;
  /** How the query was read, when the visitor used operators (AND, OR, NOT, parentheses). */
  reading?: string;
  /** The visitor used no operators and typed two or more positive clauses: a partial match may stand in for none. */
  relaxable?: boolean;
}

export function isEmptyQuery(q: AnalysedQuery): boolean {
  return !q.clauses.some((c) => !c.negated);
}

/** The query matching documents that have at least `count` of its positive clauses. */
export function withMinimumMatch(q: AnalysedQuery, count: number): AnalysedQuery {
  return { ...q, minimumMatch: count };
}

/** Positive clauses, in order. */
export function positiveClauses(q: AnalysedQuery): QueryClause[] {
  return q.clauses.filter((c) => !c.negated);
}
