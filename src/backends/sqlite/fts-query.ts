/**
 * AnalysedQuery → FTS5 MATCH expressions. Pure. Every word is emitted as a double-quoted FTS5
 * string (embedded quotes doubled), so nothing a visitor types can become FTS5 syntax.
 */
import type { AnalysedQuery, MatchUnit, QueryClause } from '../../search/analysed-query';
import { tagToken } from '../../search/fields';

export interface FtsQuery {
  /** Documents must match this; undefined when there is no positive clause (browse, maybe with exclusions). */
  match?: string;
  /**
   * `match` without its tag units, when tags widen it: documents whose text matches rank by bm25,
   * those found only through a tag come after them. Scoring a tag token that half the library
   * carries would cost more than the rest of the query and say little about relevance.
   */
  textMatch?: string;
  /** Documents matching this are removed; used only when there is no positive clause. */
  exclude?: string;
  /** Title/abstract phrase of the typed words: matches rank higher. */
  proximity?: string;
  /** Positive text units only, for highlight() and snippet(). */
  highlight?: string;
}

function quote(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

function unitExpression(unit: MatchUnit): string | undefined {
  if (unit.kind === 'tag') return `tags : ${quote(tagToken(unit.field, unit.value))}`;
  const words = unit.words.filter((w) => w.trim() !== '');
  if (words.length === 0) return undefined;
  if (unit.phrase) return quote(words.join(' '));
  return words.length === 1 ? quote(words[0]) : `(${words.map(quote).join(' AND ')})`;
}

function clauseExpression(clause: QueryClause, units = clause.anyOf): string | undefined {
  const parts = units.map(unitExpression).filter((p): p is string => p !== undefined);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

function joinAnd(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.join(' AND ');
}

function joinOr(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

export function translateQuery(query: AnalysedQuery): FtsQuery {
  const positive = query.clauses.filter((c) => !c.negated);
  const negative = query.clauses.filter((c) => c.negated);
  const pos = joinAnd(positive.map((c) => clauseExpression(c)).filter((e): e is string => e !== undefined));
  const neg = joinOr(negative.map((c) => clauseExpression(c)).filter((e): e is string => e !== undefined));

  const highlightParts = positive
    .map((c) => clauseExpression(c, c.anyOf.filter((u) => u.kind === 'words')))
    .filter((e): e is string => e !== undefined);

  const result: FtsQuery = {};
  if (pos) {
    result.match = neg ? `(${pos}) NOT ${neg}` : pos;
    result.highlight = joinOr(highlightParts);
    const widenedByTags = positive.some((c) => c.anyOf.some((u) => u.kind === 'tag'));
    const textParts = positive.map((c) => clauseExpression(c, c.anyOf.filter((u) => u.kind === 'words')));
    if (widenedByTags && textParts.every((e) => e !== undefined)) {
      const text = joinAnd(textParts as string[]) as string;
      result.textMatch = neg ? `(${text}) NOT ${neg}` : text;
    }
  } else if (neg) {
    result.exclude = neg;
  }
  if (query.proximityWords.length >= 2) {
    result.proximity = `{title abstract} : ${quote(query.proximityWords.join(' '))}`;
  }
  return result;
}
