/**
 * Elasticsearch search response → SearchResultPage, with the rules every engine keeps: facet
 * values listed as src/search/facet-values.ts says (by count, equal counts by label, every
 * selected value listed, count 0 when no document has it), hits as src/search/result-rules.ts
 * says (the record's title, marked; marked passages of the abstract, or its plain beginning),
 * years ascending with an undated count. Pure.
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  type FacetName,
  type FacetValue,
  type ResourceDocument,
  type SearchHit,
  type SearchQuery,
  type SearchResultPage,
  type YearFacet,
} from '../../search/types';
import { fromStored } from '../../search/stored-document';
import { hitSnippets, hitTitle, noCounts } from '../../search/result-rules';
import { restoreMarked } from './document';
import { textField } from './mappings';
import { AGG, countGroups, type CountGroup } from './translate-query';
import { listedFacetValues, type FacetLabeller } from '../../search/facet-values';

export type EsHitSource = { doc: ResourceDocument; hash?: string; changed?: string };
export type EsSearchResponse = estypes.SearchResponse<EsHitSource>;

const ELLIPSIS = '…';

interface Bucket {
  key: string | number;
  doc_count: number;
}
export interface FacetAgg {
  [AGG.values]?: { buckets?: Bucket[] };
  [AGG.selected]?: { buckets?: { doc_count: number }[] };
}
/** A group of counts (translate-query.ts countGroups): a filter aggregation's result, or the top level. */
type GroupAgg = Record<string, unknown> & { doc_count?: number };

const HAS_WORD = /[\p{L}\p{N}]/u;

/**
 * A marked passage of the abstract, in the original text, with … where words were cut off. The
 * highlighter drops the blanked punctuation at a passage's ends ("views." ends at "views"), so
 * an end with nothing but punctuation after it gets that punctuation back instead of "…".
 */
function snippetOf(marked: string, abstract: string): string | undefined {
  const restored = restoreMarked(marked, abstract);
  if (!restored) return undefined;
  const head = abstract.slice(0, restored.start);
  const tail = abstract.slice(restored.end);
  return `${HAS_WORD.test(head) ? ELLIPSIS : head}${restored.text}${HAS_WORD.test(tail) ? ELLIPSIS : tail}`;
}

export function readHit(hit: estypes.SearchHit<EsHitSource>): SearchHit | undefined {
  if (!hit._source?.doc) return undefined;
  const stored = fromStored(hit._source.doc);
  // Absent for a document changed in the live generation's own build (its datestamp is the commit time).
  const document = hit._source.changed ? { ...stored, changed: hit._source.changed } : stored;
  const markedTitle = hit.highlight?.[textField('title')]?.[0];
  const title = hitTitle(markedTitle === undefined ? undefined : restoreMarked(markedTitle, document.title)?.text, document.title);
  const abstract = document.abstract ?? '';
  const marked = hit.highlight?.[textField('abstract')] ?? [];
  const passages = marked.map((m) => snippetOf(m, abstract)).filter((s): s is string => s !== undefined);
  return { id: document.id, score: hit._score ?? 0, document, title, snippets: hitSnippets(passages, document.abstract) };
}

/**
 * The values an aggregation counted, with the counts of selected values the terms listing left
 * out (they come from the `selected` filters, in the order of `selected`).
 */
export function countedOf(agg: FacetAgg | undefined, selected: readonly string[]): { value: string; count: number }[] {
  const counted = (agg?.[AGG.values]?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  const seen = new Set(counted.map((c) => c.value));
  const selectedBuckets = agg?.[AGG.selected]?.buckets ?? [];
  selected.forEach((value, i) => {
    const count = selectedBuckets[i]?.doc_count ?? 0;
    if (!seen.has(value) && count > 0) counted.push({ value, count });
  });
  return counted;
}

export function readFacet(facet: FacetName, agg: FacetAgg | undefined, selected: readonly string[], label: FacetLabeller): FacetValue[] {
  return listedFacetValues({ facet, counted: countedOf(agg, selected), selected, label });
}

function readYears(group: GroupAgg): YearFacet {
  const buckets = (group[AGG.yearBuckets] as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
  const years = buckets
    .filter((b) => b.doc_count > 0)
    .map((b) => ({ year: Math.round(Number(b.key)), count: b.doc_count }))
    .sort((a, b) => a.year - b.year);
  return { years, undated: (group[AGG.undated] as { doc_count?: number } | undefined)?.doc_count ?? 0 };
}

export function totalOf(total: number | estypes.SearchTotalHits | undefined): number {
  if (total === undefined) return 0;
  return typeof total === 'number' ? total : total.value;
}

/** Where each group of counts is in the aggregations. */
function groupsOf(query: SearchQuery, aggregations: Record<string, unknown>): { group: CountGroup; agg: GroupAgg }[] {
  return countGroups(query).map((group) => ({
    group,
    agg: group.name === undefined ? aggregations : ((aggregations[group.name] as GroupAgg | undefined) ?? {}),
  }));
}

function facetAgg(group: GroupAgg, facet: FacetName): FacetAgg {
  return {
    [AGG.values]: group[AGG.facetValues(facet)] as FacetAgg[typeof AGG.values],
    [AGG.selected]: group[AGG.facetSelected(facet)] as FacetAgg[typeof AGG.selected],
  };
}

/** One facet's counted values in a search's counts, by count (the order of the terms aggregation). */
export function facetCounts(query: SearchQuery, aggregations: Record<string, unknown>, facet: FacetName): { value: string; count: number }[] {
  const found = groupsOf(query, aggregations).find(({ group }) => group.facets.includes(facet));
  return found ? countedOf(facetAgg(found.agg, facet), query.filters[facet]) : [];
}

/**
 * `response`: the page of hits with the counts' aggregations and total (es-engine.ts); undefined:
 * there is no live index yet (an empty page, selected values still listed).
 */
/** A search asked without counts (EngineSearchRequest.facets false): its hits and exact total. */
export function readHitsOnly(query: SearchQuery, response: EsSearchResponse | undefined): SearchResultPage {
  return {
    total: totalOf(response?.hits.total),
    page: query.page,
    size: query.size,
    hits: (response?.hits.hits ?? []).map(readHit).filter((h): h is SearchHit => h !== undefined),
    ...noCounts(),
    tookMs: response?.took ?? 0,
  };
}

export function readResponse(query: SearchQuery, response: EsSearchResponse | undefined, label: FacetLabeller): SearchResultPage {
  // The aggregation results are loosely typed by the client; their shape is fixed by translate-query.ts.
  const aggregations = (response?.aggregations ?? {}) as Record<string, unknown>;
  const facets = {} as Record<FacetName, FacetValue[]>;
  let years: YearFacet = { years: [], undated: 0 };
  let total = totalOf(response?.hits.total);
  for (const { group, agg } of groupsOf(query, aggregations)) {
    // With filters, the total is the number of matches that pass them all.
    if (group.name === AGG.all) total = agg.doc_count ?? 0;
    for (const facet of group.facets) facets[facet] = readFacet(facet, facetAgg(agg, facet), query.filters[facet], label);
    if (group.years) years = readYears(agg);
  }
  return {
    total,
    page: query.page,
    size: query.size,
    hits: (response?.hits.hits ?? []).map(readHit).filter((h): h is SearchHit => h !== undefined),
    facets,
    years,
    tookMs: response?.took ?? 0,
  };
}
