/**
 * Which documents an AnalysedQuery matches, as a set: text alternatives through FTS5 (one MATCH
 * per clause at most, and one for all the clauses that are text only), tags through the
 * in-memory facet postings, combined with set operations. A country, region or theme named in a
 * query is then as cheap as its slice of the postings, however many documents carry it. Pure
 * apart from the sources it is given.
 */
import type { AnalysedQuery, QueryClause, TagField } from '../../search/analysed-query';
import { Bitset } from './bitset';
import { clauseText, joinAnd } from './fts-query';

export interface MatchSources {
  /** Highest rowid + 1. */
  size: number;
  /** Every document. */
  present: Bitset;
  /** The rowids an FTS5 MATCH expression matches. */
  text(expression: string): Uint32Array;
  /** The documents carrying a tag (a country, a region or grouping, a theme): shared, read it, never change it. */
  tag(field: TagField, value: string): Bitset;
}

export interface Evaluation {
  matched: Bitset;
  /** No clause narrowed anything: every document is a candidate (browsing). */
  everything: boolean;
  /**
   * With a minimum match: how many positive clauses each document has (documents below the
   * minimum are not in `matched`), to rank those with more first.
   */
  clauseCounts?: Uint8Array;
  /** How many positive clauses the query has. */
  positiveClauses: number;
}

/** A clause that only text can satisfy: it can join the other such clauses in one MATCH. */
function textOnly(clause: QueryClause): boolean {
  return clause.anyOf.every((u) => u.kind === 'words');
}

function clauseSet(clause: QueryClause, sources: MatchSources): Bitset {
  const set = new Bitset(sources.size);
  const text = clauseText(clause);
  if (text !== undefined) set.addAll(sources.text(text));
  for (const unit of clause.anyOf) {
    if (unit.kind === 'tag') set.or(sources.tag(unit.field, unit.value));
    else if (unit.kind === 'all') {
      const group = conjunction(unit.clauses, sources);
      if (group) set.or(group);
    }
  }
  return set;
}

/** Positive clauses ANDed, negated ones removed; undefined when no clause is positive. */
function conjunction(clauses: readonly QueryClause[], sources: MatchSources): Bitset | undefined {
  const positive = clauses.filter((c) => !c.negated);
  if (positive.length === 0) return undefined;
  const plain = positive.filter(textOnly);
  const others = positive.filter((c) => !textOnly(c));
  let set: Bitset | undefined;
  const plainText = joinAnd(plain.map((c) => clauseText(c)).filter((e): e is string => e !== undefined));
  if (plainText !== undefined) set = Bitset.of(sources.size, sources.text(plainText));
  // The smallest sets first would be cheaper still; intersections are cheap next to the MATCHes.
  for (const clause of others) {
    const s = clauseSet(clause, sources);
    set = set ? set.and(s) : s;
  }
  for (const clause of clauses.filter((c) => c.negated)) set?.andNot(clauseSet(clause, sources));
  return set ?? new Bitset(sources.size);
}

export function evaluate(query: AnalysedQuery, sources: MatchSources): Evaluation {
  const positive = query.clauses.filter((c) => !c.negated);
  const negative = query.clauses.filter((c) => c.negated);
  if (positive.length === 0) {
    const matched = sources.present.clone();
    for (const clause of negative) matched.andNot(clauseSet(clause, sources));
    return { matched, everything: negative.length === 0, positiveClauses: 0 };
  }
  if (query.minimumMatch !== undefined && query.minimumMatch < positive.length) {
    const counts = new Uint8Array(sources.size);
    for (const clause of positive) clauseSet(clause, sources).forEach((r) => counts[r]++);
    const matched = new Bitset(sources.size);
    for (let r = 0; r < counts.length; r++) if (counts[r] >= query.minimumMatch) matched.add(r);
    for (const clause of negative) matched.andNot(clauseSet(clause, sources));
    return { matched, everything: false, clauseCounts: counts, positiveClauses: positive.length };
  }
  return { matched: conjunction(query.clauses, sources) as Bitset, everything: false, positiveClauses: positive.length };
}
