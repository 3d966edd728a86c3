/**
 * One search over one open generation: which documents match (match-eval.ts), which pass the
 * filters and how every facet counts (filter-count.ts), and which come first (relevance.ts or the
 * date order). The SQLite statements and the in-memory arrays it reads are the generation's.
 */
import type Database from 'better-sqlite3';
import type { AnalysedQuery, TagField } from '../../search/analysed-query';
import { positiveTags } from '../../search/query-analyser';
import { TAG_FACETS } from '../../search/fields';
import type { FacetName, SearchQuery } from '../../search/types';
import { Bitset } from './bitset';
import { countsOf, filterAndCount, hasSelection, passing, type Counts, type FilterResult } from './filter-count';
import { facetKey, type FacetIndex } from './facet-index';
import { anyClauseExpression, booleanExpression, joinOr, proximityExpression, scoringExpression, tagExpression } from './fts-query';
import { evaluate, type Evaluation, type MatchSources } from './match-eval';
import { firstByDate } from './ordering';
import { postingSet, type Postings } from './postings';
import { rankByRelevance, tagBonus, type Scorer, type TagBonus } from './relevance';
import { BM25_WEIGHTS } from './schema';

/** Weight applied to bm25 (negative: lower is better) when the typed words occur as a phrase. */
export const PHRASE_FACTOR = 2;
/** Tag sets kept per generation: the countries and regions people search for again and again. */
const TAG_CACHE = 64;

interface TagSet {
  set: Bitset;
  count: number;
}

export interface GenerationData {
  db: Database.Database;
  facets: FacetIndex;
  postings: Postings;
  present: Bitset;
}

export interface Matched {
  evaluation: Evaluation;
  filtered: FilterResult;
}

/** Tags of the query, as the facets that hold them (a region in a query is a region or a grouping). */
function facetsOfTag(field: TagField): readonly FacetName[] {
  return TAG_FACETS[field];
}

export class GenerationSearch {
  private readonly stmt;
  private global?: Counts;
  private readonly tagCache = new Map<string, TagSet>();

  constructor(private readonly data: GenerationData) {
    const { db } = data;
    const weights = BM25_WEIGHTS.join(', ');
    this.stmt = {
      ids: db.prepare('SELECT rowid FROM fts WHERE fts MATCH ?').pluck(),
      scored: db.prepare(`SELECT rowid, bm25(fts, ${weights}) FROM fts WHERE fts MATCH ?`).raw(),
      top: db.prepare(`SELECT rowid, bm25(fts, ${weights}) AS score FROM fts WHERE fts MATCH ? ORDER BY score, rowid LIMIT ?`).raw(),
      // The phrase subquery is uncorrelated, so SQLite evaluates it once per statement.
      topWithPhrase: db
        .prepare(
          `SELECT rowid, bm25(fts, ${weights}) * (CASE WHEN rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)
                  THEN ${PHRASE_FACTOR}.0 ELSE 1.0 END) AS score
           FROM fts WHERE fts MATCH ? ORDER BY score, rowid LIMIT ?`,
        )
        .raw(),
    };
  }

  /** Counts of the whole library: the landing page's, computed once per generation. */
  globalCounts(): Counts {
    this.global ??= countsOf(this.data.facets, this.data.present);
    return this.global;
  }

  private sources(): MatchSources {
    return {
      size: this.data.present.size,
      present: this.data.present,
      text: (expression) => Uint32Array.from(this.stmt.ids.all(expression) as number[]),
      tag: (field, value) => this.tagSet(field, value).set,
    };
  }

  /**
   * The documents carrying a tag, from the postings, and how many they are. Cached, and shared:
   * callers only read the set (MatchSources.tag, the bonuses), never change it.
   */
  private tagSet(field: TagField, value: string): TagSet {
    const key = `${field}\u0000${value}`;
    let tag = this.tagCache.get(key);
    if (!tag) {
      const ids = facetsOfTag(field)
        .map((facet) => this.data.facets.valueId.get(facetKey(facet, value)))
        .filter((id): id is number => id !== undefined);
      const set = postingSet(this.data.postings, ids, this.data.present.size);
      tag = { set, count: set.count() };
      if (this.tagCache.size >= TAG_CACHE) this.tagCache.delete(this.tagCache.keys().next().value as string);
      this.tagCache.set(key, tag);
    }
    return tag;
  }

  /** The documents that match the words and pass the filters, with the disjunctive facet counts. */
  match(query: SearchQuery, analysed: AnalysedQuery): Matched {
    const evaluation = evaluate(analysed, this.sources());
    const filtering = hasSelection(query);
    if (evaluation.everything && !filtering) {
      const global = this.globalCounts();
      return { evaluation, filtered: { matched: evaluation.matched, valueCounts: global.valueCounts, yearCounts: global.yearCounts } };
    }
    const filtered = filterAndCount(
      {
        index: this.data.facets,
        postings: this.data.postings,
        candidates: evaluation.matched,
        everything: evaluation.everything,
        global: evaluation.everything ? this.globalCounts() : undefined,
      },
      query,
    );
    return { evaluation, filtered };
  }

  /** The documents that match the words and pass the filters, without counting any facet (`valueCounts` and `yearCounts` empty). */
  matchOnly(query: SearchQuery, analysed: AnalysedQuery): Matched {
    const evaluation = evaluate(analysed, this.sources());
    const matched = hasSelection(query) ? this.passingFilters(query, evaluation) : evaluation.matched;
    return { evaluation, filtered: { matched, valueCounts: new Uint32Array(0), yearCounts: new Uint32Array(0) } };
  }

  /** How many documents match the words and pass the filters, without counting any facet. */
  count(query: SearchQuery, analysed: AnalysedQuery): number {
    const evaluation = evaluate(analysed, this.sources());
    return hasSelection(query) ? this.passingFilters(query, evaluation).count() : evaluation.matched.count();
  }

  private passingFilters(query: SearchQuery, evaluation: Evaluation): Bitset {
    const { facets: index, postings } = this.data;
    return passing({ index, postings, candidates: evaluation.matched, everything: evaluation.everything }, query);
  }

  /** The first `limit` rowids of a match in the requested order, each with its score (0 by date). */
  order(query: SearchQuery, analysed: AnalysedQuery, matched: Matched, limit: number): [rowid: number, score: number][] {
    const { evaluation, filtered } = matched;
    const byRelevance = query.sort === 'relevance' && evaluation.positiveClauses > 0;
    if (!byRelevance) {
      const passes = filtered.matched;
      return firstByDate(this.data.facets, (r) => passes.has(r), query.sort === 'oldest' ? 'oldest' : 'newest', limit).map((r) => [r, 0]);
    }
    const single = singleClause(analysed);
    const ranked = rankByRelevance({
      matched: filtered.matched,
      limit,
      scorer: this.scorer(query, analysed, single),
      // A query of several clauses is scored with its tags as tokens (booleanExpression): no bonus on top.
      bonuses: single ? this.bonuses(analysed) : [],
      dateRank: this.data.facets.dateRank,
      byDate: this.data.facets.byDate,
      datedCount: this.data.facets.datedCount,
      clauseCounts: evaluation.clauseCounts ? { counts: evaluation.clauseCounts, of: evaluation.positiveClauses } : undefined,
      // SQLite's own top-k serves only when nothing but the words decides what is in the result.
      topFirst: !hasSelection(query) && evaluation.clauseCounts === undefined,
    });
    return ranked.map((r) => [r.rowid, r.score]);
  }

  /**
   * bm25 of the query. One clause ("Burma", "ASEAN"): its text alternatives only, the tags
   * adding their bonus — a tag that half the library carries is never walked in FTS5. Several
   * clauses: the whole boolean query with tags as tokens, so FTS5 intersects the posting lists and
   * scores only the documents that have every clause. Selected countries, regions and themes go
   * into the MATCH as their tokens, so FTS5 scores only the documents that pass them (a narrow
   * filter on a broad word costs what the filter leaves).
   */
  private scorer(query: SearchQuery, analysed: AnalysedQuery, single: boolean): Scorer | undefined {
    const text = single
      ? scoringExpression(analysed)
      : analysed.minimumMatch !== undefined
        ? anyClauseExpression(analysed)
        : booleanExpression(analysed);
    if (text === undefined) return undefined;
    const filters = tagFilterExpression(query);
    const scored = filters ? `(${text}) AND ${filters}` : text;
    const proximity = proximityExpression(analysed);
    const phraseSet = (): Bitset | undefined => (proximity ? Bitset.of(this.data.present.size, this.stmt.ids.all(proximity) as number[]) : undefined);
    return {
      top: (k) => (proximity ? this.stmt.topWithPhrase.all(proximity, text, k) : this.stmt.top.all(text, k)) as [number, number][],
      all: () => {
        const phrase = phraseSet();
        const rows = this.stmt.scored.all(scored) as [number, number][];
        if (phrase) for (const row of rows) if (phrase.has(row[0])) row[1] *= PHRASE_FACTOR;
        return rows;
      },
    };
  }

  /** Each tag the query names adds what its token would add to bm25: weight × idf, like Elasticsearch's term score. */
  private bonuses(analysed: AnalysedQuery): TagBonus[] {
    const documents = this.data.facets.documents;
    return positiveTags(analysed).map((t) => {
      const { set: carriers, count: n } = this.tagSet(t.field, t.value);
      return { carriers, bonus: tagBonus(n, documents) };
    });
  }
}

/** One positive clause, no groups, no minimum match: scored as text with tag bonuses. */
function singleClause(analysed: AnalysedQuery): boolean {
  const positive = analysed.clauses.filter((c) => !c.negated);
  return positive.length === 1 && analysed.minimumMatch === undefined && positive[0].anyOf.every((u) => u.kind !== 'all');
}

/** The selected countries, regions, groupings and themes as required tag tokens, OR within a facet. */
function tagFilterExpression(query: SearchQuery): string | undefined {
  const parts: string[] = [];
  for (const [field, facets] of Object.entries(TAG_FACETS) as [TagField, readonly FacetName[]][]) {
    for (const facet of facets) {
      const values = query.filters[facet];
      if (values.length === 0) continue;
      const tokens = values.map((v) => tagExpression(field, v));
      parts.push(joinOr(tokens) as string);
    }
  }
  return parts.length === 0 ? undefined : parts.join(' AND ');
}

