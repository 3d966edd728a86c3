/**
 * EngineSearchRequest → Elasticsearch search body. Pure.
 *
 * User text never reaches query syntax: only structured DSL is built (match-family queries whose
 * `query` is plain words, term queries on keyword fields), never query_string or
 * simple_query_string, so no input a visitor can type is an Elasticsearch parse error.
 *
 * Facet invariant (as in the embedded engine, src/backends/sqlite/facet-index.ts): OR within a
 * facet, AND across facets, and disjunctive counts. The filters go in `post_filter`, so they
 * narrow the hits but not the aggregations; each facet then has its own filter aggregation that
 * applies every OTHER facet's filter (and the year range), and the year facet applies every facet
 * filter but not the year range. A selected value is always counted (a `filters` sub-aggregation
 * per selected value), even outside the top values or absent from the index.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { AnalysedQuery, MatchUnit, QueryClause } from '../../search/analysed-query';
import { FACET_FIELDS as CORE_FACETS, SEARCH_FIELDS } from '../../search/fields';
import type { EngineSearchRequest } from '../../search/ports';
import { FACET_NAMES, type FacetName, type SearchQuery } from '../../search/types';
import { ES_MARK_END, ES_MARK_START } from './document';
import { MAX_RESULT_WINDOW, textField } from './mappings';

type Query = estypes.QueryDslQueryContainer;

/** The keyword field behind each facet. */
export const FACET_FIELDS: Record<FacetName, string> = Object.fromEntries(
  FACET_NAMES.map((f) => [f, CORE_FACETS[f].field]),
) as Record<FacetName, string>;

/** Characters of the abstract passage shown around the matches. */
export const SNIPPET_CHARS = 220;

/** Every text field with its SEARCH_FIELDS boost: "text.title^10" … */
export const BOOSTED_FIELDS: readonly string[] = SEARCH_FIELDS.map((f) => `${textField(f.name)}^${f.boost}`);
/** Fields the typed words as a phrase are looked for in, to rank such documents higher. */
const PROXIMITY_FIELDS: readonly string[] = SEARCH_FIELDS.filter((f) => f.name === 'title' || f.name === 'abstract').map(
  (f) => `${textField(f.name)}^${f.boost}`,
);
/** A tag counts like a word of the tags field. */
const TAG_BOOST = SEARCH_FIELDS.find((f) => f.name === 'tags')?.boost ?? 1;

function unitQuery(unit: MatchUnit): Query | undefined {
  if (unit.kind === 'tag') return { term: { [unit.field]: { value: unit.value, boost: TAG_BOOST } } };
  if (unit.kind === 'all') return conjunction(unit.clauses);
  const words = unit.words.filter((w) => w.trim() !== '');
  if (words.length === 0) return undefined;
  const text = words.join(' ');
  // Every word somewhere in the document (any field), like FTS5's "a" AND "b" over all columns,
  // scored as one weighted document (BM25F), as FTS5's bm25 with column weights does.
  const query: Query =
    unit.phrase && words.length > 1
      ? { multi_match: { query: text, type: 'phrase', fields: [...BOOSTED_FIELDS] } }
      : { combined_fields: { query: text, operator: 'and', fields: [...BOOSTED_FIELDS] } };
  // A demonym counts only where the record carries the place's tag ("Nepali" for Nepal).
  if (unit.onlyWith) return { bool: { must: [query], filter: [{ term: { [unit.onlyWith.field]: unit.onlyWith.value } }] } };
  return query;
}

function clauseQuery(clause: QueryClause): Query | undefined {
  const units = clause.anyOf.map(unitQuery).filter((q): q is Query => q !== undefined);
  if (units.length === 0) return undefined;
  return units.length === 1 ? units[0] : { bool: { should: units, minimum_should_match: 1 } };
}

/** Positive clauses must all hold, negated ones must not; undefined when no clause is positive. */
function conjunction(clauses: readonly QueryClause[]): Query | undefined {
  const must = clauses.filter((c) => !c.negated).map(clauseQuery).filter((q): q is Query => q !== undefined);
  if (must.length === 0) return undefined;
  const mustNot = clauses.filter((c) => c.negated).map(clauseQuery).filter((q): q is Query => q !== undefined);
  return mustNot.length === 0 && must.length === 1 ? must[0] : { bool: { must, ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } };
}

/** Each matched clause of a partial match adds this much: documents with more clauses rank first. */
const CLAUSE_WEIGHT = 1000;

export function textQuery(analysed: AnalysedQuery): { query: Query; scored: boolean } {
  const positive = analysed.clauses.filter((c) => !c.negated).map(clauseQuery).filter((q): q is Query => q !== undefined);
  const mustNot = analysed.clauses.filter((c) => c.negated).map(clauseQuery).filter((q): q is Query => q !== undefined);
  if (positive.length === 0) {
    return { query: mustNot.length === 0 ? { match_all: {} } : { bool: { must: [{ match_all: {} }], must_not: mustNot } }, scored: false };
  }
  const bool: estypes.QueryDslBoolQuery = {};
  if (analysed.minimumMatch !== undefined && analysed.minimumMatch < positive.length) {
    bool.should = positive.map((q) => ({ bool: { should: [{ constant_score: { filter: q, boost: CLAUSE_WEIGHT } }, q] } }));
    bool.minimum_should_match = analysed.minimumMatch;
  } else {
    bool.must = positive;
    if (analysed.proximityWords.length >= 2) {
      bool.should = [{ multi_match: { query: analysed.proximityWords.join(' '), type: 'phrase', fields: [...PROXIMITY_FIELDS] } }];
    }
  }
  if (mustNot.length > 0) bool.must_not = mustNot;
  return { query: { bool }, scored: true };
}

function facetFilter(query: SearchQuery, facet: FacetName): Query | undefined {
  const values = query.filters[facet];
  return values.length === 0 ? undefined : { terms: { [FACET_FIELDS[facet]]: [...values] } };
}

function yearFilter(query: SearchQuery): Query | undefined {
  const undated: Query = { bool: { must_not: [{ exists: { field: 'year' } }] } };
  if (query.undatedOnly) return undated;
  if (query.yearFrom === undefined && query.yearTo === undefined) return undefined;
  const range: estypes.QueryDslNumberRangeQuery = {};
  if (query.yearFrom !== undefined) range.gte = query.yearFrom;
  if (query.yearTo !== undefined) range.lte = query.yearTo;
  if (query.includeUndated) return { bool: { should: [{ range: { year: range } }, undated], minimum_should_match: 1 } };
  return { range: { year: range } };
}

/** All filters but the excluded one ('year' = the year range); undefined when none is set. */
export function filtersExcept(query: SearchQuery, excluded: FacetName | 'year' | undefined): Query | undefined {
  const filters: Query[] = [];
  for (const facet of FACET_NAMES) {
    if (facet === excluded) continue;
    const f = facetFilter(query, facet);
    if (f) filters.push(f);
  }
  if (excluded !== 'year') {
    const y = yearFilter(query);
    if (y) filters.push(y);
  }
  return filters.length === 0 ? undefined : { bool: { filter: filters } };
}

/** Aggregation names, shared with read-response.ts. */
export const AGG = {
  facet: (facet: FacetName) => `facet_${facet}`,
  values: 'values',
  selected: 'selected',
  years: 'years',
  yearBuckets: 'buckets',
  undated: 'undated',
} as const;

/** Anonymous filters: buckets come back in the order of `selected` (values are visitor input, never keys). */
export function selectedCounts(field: string, selected: readonly string[]): estypes.AggregationsAggregationContainer | undefined {
  if (selected.length === 0) return undefined;
  return { filters: { filters: selected.map((v) => ({ term: { [field]: v } })) } };
}

function aggregations(query: SearchQuery): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const facet of FACET_NAMES) {
    const field = FACET_FIELDS[facet];
    const sub: Record<string, estypes.AggregationsAggregationContainer> = {
      // Equal counts at the cut are decided by value, as src/search/facet-values.ts listedFacetValues says.
      [AGG.values]: { terms: { field, size: CORE_FACETS[facet].listLimit, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
    };
    const selected = selectedCounts(field, query.filters[facet]);
    if (selected) sub[AGG.selected] = selected;
    aggs[AGG.facet(facet)] = { filter: filtersExcept(query, facet) ?? { match_all: {} }, aggs: sub };
  }
  aggs[AGG.years] = {
    filter: filtersExcept(query, 'year') ?? { match_all: {} },
    aggs: {
      [AGG.yearBuckets]: { histogram: { field: 'year', interval: 1, min_doc_count: 1 } },
      [AGG.undated]: { missing: { field: 'year' } },
    },
  };
  return aggs;
}

function sortOf(query: SearchQuery, scored: boolean): estypes.SortCombinations[] {
  const byId: estypes.SortCombinations = { id: { order: 'asc' } };
  // Without words to rank by, "relevance" is newest first (as in the embedded engine).
  if (query.sort === 'relevance' && scored) return [{ _score: { order: 'desc' } }, byId];
  // Undated documents last in both directions.
  const order = query.sort === 'oldest' ? 'asc' : 'desc';
  return [{ date: { order, missing: '_last', unmapped_type: 'date' } }, byId];
}

/** from/size within max_result_window: a page beyond it has no hits (totals and facets still come back). */
export function pageWindow(query: SearchQuery): { from: number; size: number } {
  const from = (query.page - 1) * query.size;
  if (from >= MAX_RESULT_WINDOW) return { from: 0, size: 0 };
  return { from, size: Math.min(query.size, MAX_RESULT_WINDOW - from) };
}

export type EsSearchBody = Omit<estypes.SearchRequest, 'index'>;

const HIGHLIGHT_FIELDS = [textField('title'), textField('abstract')];

/**
 * What the highlighter marks: every text alternative of the positive clauses (and of the groups
 * in them), other names included — for "Nepal" also "Nepali" and "Nepalese" — as the embedded
 * engine marks them.
 */
function highlightQuery(analysed: AnalysedQuery): Query | undefined {
  const should: Query[] = [];
  const visit = (clauses: readonly QueryClause[]): void => {
    for (const clause of clauses) {
      if (clause.negated) continue;
      for (const unit of clause.anyOf) {
        if (unit.kind === 'all') visit(unit.clauses);
        if (unit.kind !== 'words') continue;
        const words = unit.words.filter((w) => w.trim() !== '');
        if (words.length === 0) continue;
        const phrase = unit.phrase && words.length > 1;
        should.push({ multi_match: { query: words.join(' '), fields: HIGHLIGHT_FIELDS, ...(phrase ? { type: 'phrase' as const } : {}) } });
      }
    }
  };
  visit(analysed.clauses);
  return should.length === 0 ? undefined : { bool: { should } };
}

export function translateQuery(request: EngineSearchRequest): EsSearchBody {
  const { query, analysed } = request;
  const text = textQuery(analysed);
  const postFilter = filtersExcept(query, undefined);
  const body: EsSearchBody = {
    query: text.query,
    ...pageWindow(query),
    sort: sortOf(query, text.scored),
    track_total_hits: true,
    _source: ['doc', 'changed'],
    aggs: aggregations(query),
  };
  if (postFilter) body.post_filter = postFilter;
  if (text.scored) {
    // No encoder: record text comes back raw, marked with tags that read-response.ts turns into
    // the core's sentinels; the web layer escapes the text first and only then turns the
    // sentinels into <mark> (src/web/highlight.ts). See document.ts for why not \u0001/\u0002.
    body.highlight = {
      pre_tags: [ES_MARK_START],
      post_tags: [ES_MARK_END],
      type: 'unified',
      highlight_query: highlightQuery(analysed),
      fields: {
        [textField('title')]: { number_of_fragments: 0 },
        [textField('abstract')]: { number_of_fragments: 1, fragment_size: SNIPPET_CHARS },
      },
    };
  }
  return body;
}

/**
 * The body as two searches for one `_msearch`: the hits (no aggregations) and the facet counts
 * (size 0, no post_filter). Elasticsearch caches a size-0 search in its shard request cache
 * until the index changes, and generations never change after commit: the counts of the home page
 * and of popular searches, the costliest part (they cover every match, not one page), are then
 * computed once per generation. Pure.
 */
export function splitForCache(body: EsSearchBody): { hits: EsSearchBody; facets: EsSearchBody } {
  const { aggs, ...hits } = body;
  return {
    hits,
    // (The request cache is asked for in the _msearch header: the body has no such key.)
    facets: { query: body.query, size: 0, track_total_hits: false, aggs },
  };
}
