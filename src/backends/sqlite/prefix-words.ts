/**
 * Truncation ("migra*") and wildcards ("wom?n") on the embedded engine. FTS5 matches a prefix
 * against its stemmed tokens, which finds "migrant" and "migration" for `migra*` but not
 * "community" for `communit*` (stemmed "commun"), and has no wildcards at all. So each typed
 * beginning also brings the indexed words that begin with it, and each wildcard pattern is
 * replaced by the indexed words of its shape, as they were written (the generation's word list:
 * titles, abstracts and keywords, as Elasticsearch's `spell` field), each then matched in all its
 * forms. Pure apart from the lookups it is given.
 */
import type { AnalysedQuery, MatchUnit, QueryClause } from '../../search/analysed-query';

/** Words a beginning brings at the most: the most frequent ones (the FTS5 prefix covers the rest it can). */
export const MAX_PREFIX_WORDS = 50;
/** Words a wildcard pattern stands for at the most: the most frequent ones (nothing else covers the rest). */
export const MAX_WILDCARD_WORDS = 100;

/** The generation's word list, most frequent words first. */
export interface IndexedWords {
  /** Words that begin with `prefix`. */
  beginning(prefix: string): readonly string[];
  /** Words of a wildcard pattern's shape ('?': one letter, '*': any letters; see MatchUnit). */
  shaped(pattern: string): readonly string[];
}

export function withIndexedWords(analysed: AnalysedQuery, indexed: IndexedWords): AnalysedQuery {
  if (!hasExpandable(analysed.clauses)) return analysed;
  const clause = (c: QueryClause): QueryClause => ({ ...c, anyOf: c.anyOf.flatMap(unit) });
  const plain = (w: string): MatchUnit => ({ kind: 'words', words: [w], phrase: false });
  const unit = (u: MatchUnit): MatchUnit[] => {
    if (u.kind === 'all') return [{ ...u, clauses: u.clauses.map(clause) }];
    if (u.kind !== 'words') return [u];
    if (u.prefix) return [u, ...indexed.beginning(u.words[0]).filter((w) => w !== u.words[0]).map(plain)];
    if (u.wildcard) {
      // No indexed word has the shape: the unit stays, and matches nothing (fts-query.ts).
      const words = indexed.shaped(u.words[0]);
      return words.length === 0 ? [u] : words.map(plain);
    }
    return [u];
  };
  return { ...analysed, clauses: analysed.clauses.map(clause) };
}

function hasExpandable(clauses: readonly QueryClause[]): boolean {
  return clauses.some((c) => c.anyOf.some((u) => (u.kind === 'words' && (u.prefix === true || u.wildcard === true)) || (u.kind === 'all' && hasExpandable(u.clauses))));
}

/** The letters a wildcard pattern begins with (its words all do): what narrows the word list to scan. */
export function literalStart(pattern: string): string {
  const wildcard = pattern.search(/[?*]/);
  return wildcard < 0 ? pattern : pattern.slice(0, wildcard);
}
