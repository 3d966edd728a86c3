/**
 * AnalysedQuery → FTS5 MATCH expressions. Pure. Every word is emitted as a double-quoted FTS5
 * string (embedded quotes doubled), so nothing a visitor types can become FTS5 syntax.
 */
import type { AnalysedQuery, MatchUnit, QueryClause } from '../../search/analysed-query';
import { tagToken } from '../../search/fields';

export interface FtsQuery {
  /** Documents must match this; undefined when there is no positive clause (browse, maybe with exclusions). */
  match?: string;
  /** Documents matching this are removed; used only when there is no positive clause. */
  exclude?: string;
  /**
   * With a minimum match ("most of the words"): each positive clause on its own (exclusions
   * applied), so the engine can count how many of them a document of `match` has.
   */
  clauses?: string[];
  minimumMatch?: number;
  /** Title/abstract phrase of the typed words: matches rank higher. */
  proximity?: string;
  /** Positive text units only (aliases included), for highlight() and snippet(). */
  highlight?: string;
}

function quote(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

function tagExpression(field: Parameters<typeof tagToken>[0], value: string): string {
  return `tags : ${quote(tagToken(field, value))}`;
}

function unitExpression(unit: MatchUnit, textOnly: boolean): string | undefined {
  if (unit.kind === 'tag') return textOnly ? undefined : tagExpression(unit.field, unit.value);
  if (unit.kind === 'all') return textOnly ? undefined : conjunction(unit.clauses);
  const words = unit.words.filter((w) => w.trim() !== '');
  if (words.length === 0) return undefined;
  const text = unit.phrase ? quote(words.join(' ')) : words.length === 1 ? quote(words[0]) : `(${words.map(quote).join(' AND ')})`;
  // A demonym counts only where the record carries the place's tag ("Nepali" for Nepal).
  if (unit.onlyWith && !textOnly) return `(${text} AND ${tagExpression(unit.onlyWith.field, unit.onlyWith.value)})`;
  return text;
}

function clauseExpression(clause: QueryClause, textOnly = false): string | undefined {
  const parts = clause.anyOf.map((u) => unitExpression(u, textOnly)).filter((p): p is string => p !== undefined);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** Positive clauses ANDed, then the negated ones removed: "(a AND b) NOT (c OR d)". */
function conjunction(clauses: readonly QueryClause[]): string | undefined {
  const pos = joinAnd(clauses.filter((c) => !c.negated).map((c) => clauseExpression(c)).filter(defined));
  if (!pos) return undefined;
  const neg = joinOr(clauses.filter((c) => c.negated).map((c) => clauseExpression(c)).filter(defined));
  return neg ? `(${pos} NOT ${neg})` : `(${pos})`;
}

const defined = (e: string | undefined): e is string => e !== undefined;

function joinAnd(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.join(' AND ');
}

function joinOr(parts: string[]): string | undefined {
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

/** The text units of a clause and of the groups inside it, for highlighting. */
function textUnits(clause: QueryClause): string[] {
  const own = clauseExpression(clause, true);
  const nested = clause.anyOf.flatMap((u) => (u.kind === 'all' ? u.clauses.filter((c) => !c.negated).flatMap(textUnits) : []));
  return own ? [own, ...nested] : nested;
}

export function translateQuery(query: AnalysedQuery): FtsQuery {
  const positive = query.clauses.filter((c) => !c.negated);
  const negative = query.clauses.filter((c) => c.negated);
  const positiveExpressions = positive.map((c) => clauseExpression(c)).filter(defined);
  const neg = joinOr(negative.map((c) => clauseExpression(c)).filter(defined));
  const without = (e: string): string => (neg ? `(${e}) NOT ${neg}` : e);

  const result: FtsQuery = {};
  if (positiveExpressions.length > 0) {
    const partial = query.minimumMatch !== undefined && query.minimumMatch < positiveExpressions.length;
    result.match = without(partial ? (joinOr(positiveExpressions) as string) : (joinAnd(positiveExpressions) as string));
    if (partial) {
      result.clauses = positiveExpressions.map(without);
      result.minimumMatch = query.minimumMatch;
    }
    result.highlight = joinOr(positive.flatMap(textUnits));
  } else if (neg) {
    result.exclude = neg;
  }
  if (query.proximityWords.length >= 2) {
    result.proximity = `{title abstract} : ${quote(query.proximityWords.join(' '))}`;
  }
  return result;
}
