/**
 * Truncation ("migra*") on the embedded engine. FTS5 matches a prefix against its stemmed
 * tokens, which finds "migrant" and "migration" for `migra*` but not "community" for `communit*`
 * (stemmed "commun"). So each typed beginning also brings the indexed words that begin with it, as
 * they were written (the generation's word list: titles, abstracts and keywords, as Elasticsearch's
 * `spell` field), each then matched in all its forms. Pure apart from the lookup it is given.
 */
import type { AnalysedQuery, MatchUnit, QueryClause } from '../../search/analysed-query';

/** Words a beginning brings at the most: the most frequent ones (the FTS5 prefix covers the rest it can). */
export const MAX_PREFIX_WORDS = 50;

export function withPrefixWords(analysed: AnalysedQuery, wordsBeginning: (prefix: string) => readonly string[]): AnalysedQuery {
  if (!hasPrefix(analysed.clauses)) return analysed;
  const clause = (c: QueryClause): QueryClause => ({ ...c, anyOf: c.anyOf.flatMap(unit) });
  const unit = (u: MatchUnit): MatchUnit[] => {
    if (u.kind === 'all') return [{ ...u, clauses: u.clauses.map(clause) }];
    if (u.kind !== 'words' || !u.prefix) return [u];
    const words = wordsBeginning(u.words[0]).filter((w) => w !== u.words[0]);
    return [u, ...words.map((w): MatchUnit => ({ kind: 'words', words: [w], phrase: false }))];
  };
  return { ...analysed, clauses: analysed.clauses.map(clause) };
}

function hasPrefix(clauses: readonly QueryClause[]): boolean {
  return clauses.some((c) => c.anyOf.some((u) => (u.kind === 'words' && u.prefix === true) || (u.kind === 'all' && hasPrefix(u.clauses))));
}
