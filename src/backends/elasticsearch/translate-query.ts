/**
 * EngineSearchRequest → Elasticsearch search body. Pure.
 *
 * User text never reaches query syntax: only structured DSL is built (match-family queries whose
 * `query` is plain words, term queries on keyword fields), never query_string or
 * simple_query_string, so no input a visitor can type is an Elasticsearch parse error.
 *
 * Facet invariant (as in the embedded engine, src/backends/sqlite/facet-index.ts): OR within a
 * facet, AND across facets, and disjunctive counts. The filters go in `post_filter`, so they
 * narrow the hits but not the aggregations; a facet with a selection is counted under every
 * OTHER facet's filter (and the year range), the year facet with a range under every facet
 * filter but not the range, and everything else under all filters (countGroups). A selected
 * value is always counted (a `filters` sub-aggregation per selected value), even outside the top
 * values or absent from the index.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { AnalysedQuery, MatchUnit, QueryClause } from '../../search/analysed-query';
import { FACET_FIELDS as CORE_FACETS, SEARCH_FIELDS } from '../../search/fields';
import type { EngineSearchRequest } from '../../search/ports';
import { appliedOrder, resultWindow } from '../../search/result-rules';
import { FACET_NAMES, type FacetName, type SearchQuery } from '../../search/types';
import { ES_MARK_END, ES_MARK_START } from './document';
import { textField, WORDS_FIELD } from './mappings';

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
  if (unit.prefix) return prefixQuery(text);
  if (unit.wildcard) return wildcardQuery(text);
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

/**
 * A beginning typed with '*' ("migra*"): the beginning analysed as the text fields are, as a
 * prefix of their (stemmed) terms, scored per field; or any word of titles, abstracts and
 * keywords, as written, that begins so — "community" for `communit*`, whose stem ("commun") the
 * beginning is not a prefix of. The embedded engine reads it the same way (prefix-words.ts).
 */
function prefixQuery(prefix: string): Query {
  return {
    bool: {
      should: [{ multi_match: { query: prefix, type: 'bool_prefix', fields: [...BOOSTED_FIELDS] } }, { prefix: { [WORDS_FIELD]: { value: prefix } } }],
      minimum_should_match: 1,
    },
  };
}

/**
 * A word with wildcards ("wom?n"): any word of titles, abstracts and keywords, as written, of its
 * shape ("women", "woman"), or any (stemmed) word of a text field of its shape, which also finds
 * the other forms of the words ("stadiums" for `stad?um`) as the embedded engine does
 * (prefix-words.ts); scored per field.
 */
function wildcardQuery(pattern: string): Query {
  return {
    bool: {
      should: [
        ...SEARCH_FIELDS.map((f): Query => ({ wildcard: { [textField(f.name)]: { value: pattern, boost: f.boost } } })),
        { wildcard: { [WORDS_FIELD]: { value: pattern } } },
      ],
      minimum_should_match: 1,
    },
  };
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

/** Aggregation names, shared with read-response.ts and facet-values-query.ts. */
export const AGG = {
  /** facetValues(): the facet's values and the counts of its selected values. */
  values: 'values',
  selected: 'selected',
  /** search(): each facet's values and selected values, within its group (countGroups). */
  facetValues: (facet: FacetName) => `${facet}_values`,
  facetSelected: (facet: FacetName) => `${facet}_selected`,
  yearBuckets: 'year_buckets',
  undated: 'year_undated',
  /** The group that applies every filter: its doc_count is the total. */
  all: 'all',
  except: (excluded: FacetName | 'year') => `except_${excluded}`,
} as const;

/** Anonymous filters: buckets come back in the order of `selected` (values are visitor input, never keys). */
export function selectedCounts(field: string, selected: readonly string[]): estypes.AggregationsAggregationContainer | undefined {
  if (selected.length === 0) return undefined;
  return { filters: { filters: selected.map((v) => ({ term: { [field]: v } })) } };
}

/** Counts computed under one set of filters (see countGroups). */
export interface CountGroup {
  /** The filter aggregation holding them; undefined: at the top level (no filter applies). */
  name?: string;
  filter?: Query;
  facets: FacetName[];
  years: boolean;
}

/**
 * How the counts are grouped. Disjunctive counts: a facet with a selection applies every filter
 * but its own, and so do the years with a year range; every other facet, and the years without a
 * range, apply every filter — those share one `filter` aggregation (named AGG.all, whose document
 * count is the search's total) instead of each evaluating the same filters again. A group to
 * which no filter applies sits at the top level, with no wrapper at all: Elasticsearch counts
 * fastest there (the home page's counts, for one). Pure.
 */
export function countGroups(query: SearchQuery): CountGroup[] {
  const all = filtersExcept(query, undefined);
  const yearRange = yearFilter(query) !== undefined;
  const unselected = FACET_NAMES.filter((f) => query.filters[f].length === 0);
  const groups: CountGroup[] = [{ name: all && AGG.all, filter: all, facets: unselected, years: !yearRange }];
  for (const facet of FACET_NAMES) {
    if (query.filters[facet].length === 0) continue;
    const filter = filtersExcept(query, facet);
    groups.push({ name: filter && AGG.except(facet), filter, facets: [facet], years: false });
  }
  if (yearRange) {
    const filter = filtersExcept(query, 'year');
    groups.push({ name: filter && AGG.except('year'), filter, facets: [], years: true });
  }
  return groups;
}

function groupAggregations(query: SearchQuery, group: CountGroup): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const facet of group.facets) {
    const field = FACET_FIELDS[facet];
    // Equal counts at the cut are decided by value, as src/search/facet-values.ts listedFacetValues says.
    aggs[AGG.facetValues(facet)] = { terms: { field, size: CORE_FACETS[facet].listLimit, order: [{ _count: 'desc' }, { _key: 'asc' }] } };
    const selected = selectedCounts(field, query.filters[facet]);
    if (selected) aggs[AGG.facetSelected(facet)] = selected;
  }
  if (group.years) {
    aggs[AGG.yearBuckets] = { histogram: { field: 'year', interval: 1, min_doc_count: 1 } };
    aggs[AGG.undated] = { missing: { field: 'year' } };
  }
  return aggs;
}

function aggregations(query: SearchQuery): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const group of countGroups(query)) {
    const sub = groupAggregations(query, group);
    if (group.name === undefined) Object.assign(aggs, sub);
    else aggs[group.name] = { filter: group.filter ?? { match_all: {} }, ...(Object.keys(sub).length > 0 ? { aggs: sub } : {}) };
  }
  return aggs;
}

function sortOf(query: SearchQuery, scored: boolean): estypes.SortCombinations[] {
  const byId: estypes.SortCombinations = { id: { order: 'asc' } };
  const order = appliedOrder(query.sort, scored);
  if (order === 'relevance') return [{ _score: { order: 'desc' } }, byId];
  // Undated documents last in both directions.
  return [{ date: { order: order === 'oldest' ? 'asc' : 'desc', missing: '_last', unmapped_type: 'date' } }, byId];
}

/** from/size within the result window (max_result_window is set to it): beyond it no hits, totals and facets still. */
export function pageWindow(query: SearchQuery): { from: number; size: number } {
  const { offset, size } = resultWindow(query);
  return { from: offset, size };
}

export type EsSearchBody = Omit<estypes.SearchRequest, 'index'>;

/**
 * What the highlighter marks in one field: every text alternative of the positive clauses (and of
 * the groups in them), other names included — for "Nepal" also "Nepali" and "Nepalese" — as the
 * embedded engine marks them. One query per field: a query over both fields would be taken apart
 * again for each field of each hit, which costs more than the marking itself with the many
 * alternatives a place name has.
 */
function highlightQuery(analysed: AnalysedQuery, field: string): Query | undefined {
  const should: Query[] = [];
  const visit = (clauses: readonly QueryClause[]): void => {
    for (const clause of clauses) {
      if (clause.negated) continue;
      for (const unit of clause.anyOf) {
        if (unit.kind === 'all') visit(unit.clauses);
        if (unit.kind !== 'words') continue;
        const words = unit.words.filter((w) => w.trim() !== '');
        if (words.length === 0) continue;
        const text = words.join(' ');
        if (unit.prefix) should.push({ match_bool_prefix: { [field]: text } });
        else if (unit.wildcard) should.push({ wildcard: { [field]: { value: text } } });
        else should.push(unit.phrase && words.length > 1 ? { match_phrase: { [field]: text } } : { match: { [field]: text } });
      }
    }
  };
  visit(analysed.clauses);
  if (should.length === 0) return undefined;
  return should.length === 1 ? should[0] : { bool: { should } };
}

/** The title whole, and one passage of the abstract around the matches. */
function highlightOf(analysed: AnalysedQuery): estypes.SearchHighlight | undefined {
  const title = textField('title');
  const abstract = textField('abstract');
  const titleQuery = highlightQuery(analysed, title);
  const abstractQuery = highlightQuery(analysed, abstract);
  if (!titleQuery || !abstractQuery) return undefined;
  // No encoder: record text comes back raw, marked with tags that read-response.ts turns into
  // the core's sentinels; the web layer escapes the text first and only then turns the
  // sentinels into <mark> (src/web/highlight.ts). See document.ts for why not \u0001/\u0002.
  return {
    pre_tags: [ES_MARK_START],
    post_tags: [ES_MARK_END],
    type: 'unified',
    fields: {
      [title]: { number_of_fragments: 0, highlight_query: titleQuery },
      [abstract]: { number_of_fragments: 1, fragment_size: SNIPPET_CHARS, highlight_query: abstractQuery },
    },
  };
}

/**
 * The whole search as one body: the page of hits (query, post_filter, sort, highlight) and the
 * facet counts (aggs). The engine sends it as two searches (splitForCache).
 */
export function translateQuery(request: EngineSearchRequest): EsSearchBody {
  const { query, analysed } = request;
  const text = textQuery(analysed);
  const postFilter = filtersExcept(query, undefined);
  const body: EsSearchBody = {
    query: text.query,
    ...pageWindow(query),
    sort: sortOf(query, text.scored),
    _source: ['doc', 'changed'],
    aggs: aggregations(query),
  };
  if (postFilter) body.post_filter = postFilter;
  const highlight = text.scored ? highlightOf(analysed) : undefined;
  if (highlight) body.highlight = highlight;
  return body;
}

/**
 * The body as two searches for one `_msearch`:
 * - the counts (size 0, no post_filter): every facet's counts, the years, and the total (see
 *   countGroups). Elasticsearch keeps a size-0 search in its shard request cache until the index
 *   changes, and generations never change after commit: the counts of the home page and of
 *   popular searches, the costliest part (they cover every match, not one page), are computed
 *   once per generation.
 * - the page of hits, without counting them (track_total_hits false: the total comes from the
 *   counts), so the top hits can be found without visiting every match. A page beyond the
 *   result window has no hits to ask for: undefined.
 * Pure.
 */
export function splitForCache(body: EsSearchBody): { hits?: EsSearchBody; counts: EsSearchBody } {
  const { aggs, ...hits } = body;
  return {
    hits: body.size === 0 ? undefined : { ...hits, track_total_hits: false },
    // (The request cache is asked for in the _msearch header: the body has no such key.)
    // With filters, the total is the document count of the AGG.all group; without, the hits'
    // total (counting them costs nothing more: the aggregations visit every match anyway).
    counts: { query: body.query, size: 0, track_total_hits: true, aggs },
  };
}

/**
 * The searches of one _msearch for a SearchEngine.search request on `index`: the page of hits
 * (unless beyond the result window) and the counts, the counts asked to be cached. Everything
 * that wants a search's answer from the request cache (the engine, the warm-up) sends these.
 * Pure.
 */
export function searchItems(index: string, request: EngineSearchRequest): { searches: estypes.MsearchRequestItem[]; hasHits: boolean } {
  if (request.facets === false) {
    // The page alone, counting its matches exactly (no aggregations: nothing worth caching).
    const { aggs: _counts, ...page } = translateQuery(request);
    void _counts;
    return { searches: [{ index }, { ...page, track_total_hits: true }], hasHits: true };
  }
  const { hits, counts } = splitForCache(translateQuery(request));
  const countsItem: estypes.MsearchRequestItem[] = [{ index, request_cache: true }, counts];
  return { searches: hits ? [{ index }, hits, ...countsItem] : countsItem, hasHits: hits !== undefined };
}

/**
 * The number of matches alone (SearchEngine.count): the query and the filters in filter context
 * (nothing is scored), size 0 so that the shard request cache keeps it. Pure.
 */
export function countBody(request: EngineSearchRequest): EsSearchBody {
  const filter = [textQuery(request.analysed).query];
  const filters = filtersExcept(request.query, undefined);
  if (filters) filter.push(filters);
  return { query: { bool: { filter } }, size: 0, track_total_hits: true };
}
