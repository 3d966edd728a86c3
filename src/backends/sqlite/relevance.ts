/**
 * The first `limit` hits of a match set by relevance, scoring as few documents as it can. Pure
 * apart from the scorer it is given.
 *
 * A document's score is bm25 of the query's text alternatives (FTS5: negative, lower is better),
 * less a bonus for each tag of the query it carries — the same shape as Elasticsearch's score of
 * a keyword term (its idf, weighted like the tags column), so text and tags share one score. A
 * document found only through a tag has bm25 0: the bonus alone. (A query of several clauses
 * comes with no bonuses: its scorer has the tags in the MATCH already, generation-search.ts.)
 *
 * FTS5 computes bm25 for every row of a MATCH, so the cost is the text matches scored. Without
 * filters, SQLite's own top-k is asked for first (`top`), and it is enough when no document
 * outside it could still make the page: its worst bm25 less the largest possible bonus is no
 * better than the last hit chosen. Otherwise every text match is scored once (`all`).
 */
import type { Bitset } from './bitset';
import { firstByDate, orderHits } from './ordering';
import { BM25_WEIGHTS } from './schema';

/** The weight of the tags column, as SEARCH_FIELDS gives it: a tag's bonus is what its token would add there. */
const TAGS_WEIGHT = BM25_WEIGHTS[1]!;
/** bm25's k1, as FTS5 uses it. */
const K1 = 1.2;

/** What a tag that `carriers` of `documents` records carry adds to a score: weight × idf, like Elasticsearch's term score. */
export function tagBonus(carriers: number, documents: number): number {
  const idf = Math.max(1e-6, Math.log((documents - carriers + 0.5) / (carriers + 0.5)));
  return (idf * TAGS_WEIGHT * (K1 + 1)) / (TAGS_WEIGHT + K1);
}

export interface Scorer {
  /** The best `k` text matches by bm25 (with the phrase boost), best first. */
  top(k: number): [rowid: number, bm25: number][];
  /** Every text match with its bm25 (with the phrase boost). */
  all(): [rowid: number, bm25: number][];
}

export interface TagBonus {
  carriers: Bitset;
  bonus: number;
}

export interface RankInput {
  matched: Bitset;
  limit: number;
  scorer: Scorer | undefined;
  bonuses: readonly TagBonus[];
  /** 1..n by date, 0 undated: equal scores list the newer first. */
  dateRank: Uint32Array;
  /** Rowids by ascending date, the undated last (how `datedCount` of them are dated). */
  byDate: Uint32Array;
  datedCount: number;
  /** For "most of the words": how many positive clauses each document has, of how many. */
  clauseCounts?: { counts: Uint8Array; of: number };
  /** Whether SQLite's top-k may be used (no filters or minimum match narrowing the text matches). */
  topFirst: boolean;
}

/** A missing clause of a partial match weighs more than any score: most clauses first. */
const MISSING_CLAUSE = 1e6;
/** Newer first among equal scores, without moving any real difference of score. */
const DATE_TIEBREAK = 1e-10;
/** SQLite's top-k is asked for this many more than the page, for hits that the filters or the bonus move. */
const TOP_MARGIN = 2;

export interface Ranked {
  rowid: number;
  /** Higher is better: bonus − bm25. */
  score: number;
}

export function rankByRelevance(input: RankInput): Ranked[] {
  const { limit, scorer, bonuses, dateRank } = input;
  const bonusOf = (r: number): number => {
    let b = 0;
    for (const t of bonuses) if (t.carriers.has(r)) b += t.bonus;
    return b;
  };
  const missing = (r: number): number => (input.clauseCounts ? (input.clauseCounts.of - input.clauseCounts.counts[r]) * MISSING_CLAUSE : 0);
  const keyOf = (r: number, bm25: number): number => missing(r) + bm25 - bonusOf(r) - DATE_TIEBREAK * dateRank[r];
  const maxBonus = bonuses.reduce((s, t) => s + t.bonus, 0);

  if (scorer && input.topFirst) {
    const k = Math.max(limit * TOP_MARGIN, 10);
    const rows = scorer.top(k);
    const exhausted = rows.length < k;
    const picked = pick(input, rows, keyOf);
    const bound = exhausted ? Infinity : rows[rows.length - 1][1] - maxBonus;
    if (picked.length >= limit && picked[limit - 1].key <= bound) return picked.map(toRanked);
  }
  const rows = scorer ? scorer.all() : [];
  return pick(input, rows, keyOf).map(toRanked);
}

interface Keyed {
  rowid: number;
  key: number;
}

function toRanked(k: Keyed): Ranked {
  return { rowid: k.rowid, score: -(k.key - Math.round(k.key / MISSING_CLAUSE) * MISSING_CLAUSE) };
}

/**
 * The best `limit` of: the scored text matches that are in the match set, and the documents of
 * the match set that were not scored (found through a tag, or outside what was scored: bm25 0).
 * With at most one tag bonus, every unscored document has the same score but for the date, so
 * only the newest `limit` of them are candidates: a walk down the date order instead of a pass
 * over the whole match set (a region can bring in a third of the library).
 */
function pick(input: RankInput, rows: [number, number][], keyOf: (r: number, bm25: number) => number): Keyed[] {
  const { matched, limit } = input;
  const scored = new Map<number, number>();
  for (const [rowid, bm25] of rows) if (matched.has(rowid)) scored.set(rowid, bm25);
  let ids: Uint32Array;
  if (input.bonuses.length <= 1 && !input.clauseCounts) {
    const unscored = firstByDate(input, (r) => matched.has(r) && !scored.has(r), 'newest', limit);
    ids = Uint32Array.from([...scored.keys(), ...unscored]);
  } else {
    ids = matched.toArray();
  }
  const keys = (i: number): number => keyOf(ids[i], scored.get(ids[i]) ?? 0);
  return Array.from(orderHits(ids, keys, limit), (i) => ({ rowid: ids[i], key: keys(i) }));
}
