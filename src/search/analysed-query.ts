/**
 * The engine-neutral form of a visitor's query, after parsing and vocabulary analysis.
 * Engines translate this (and only this) into native syntax, so user text never reaches an
 * engine's query language.
 */

export type TagField = 'countries' | 'regions' | 'themes';

/** One way a clause can be satisfied. */
export type MatchUnit =
  /**
   * All `words` must occur; in order and adjacent when `phrase` is true. Words are lower-cased,
   * unescaped text. `alias`: another name of a recognised country, region or theme, added by the
   * analyser (engines with their own synonym filters may leave these out).
   */
  | { kind: 'words'; words: string[]; phrase: boolean; alias?: true }
  /** The document carries this tag (ISO3 country, region id or theme id). */
  | { kind: 'tag'; field: TagField; value: string };

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
}

export function isEmptyQuery(q: AnalysedQuery): boolean {
  return !q.clauses.some((c) => !c.negated);
}
