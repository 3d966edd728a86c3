/**
 * Elasticsearch search response → SearchResultPage, with the embedded engine's semantics
 * (src/backends/sqlite/read-response.ts): facet values listed as src/search/facet-values.ts says
 * (by count, equal counts by label), every selected value listed (count 0 when no document has it), years ascending with an
 * undated count, hits with the title always present and marked snippets of the abstract. Pure.
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  FACET_NAMES,
  type FacetName,
  type FacetValue,
  type ResourceDocument,
  type SearchHit,
  type SearchQuery,
  type SearchResultPage,
  type YearFacet,
} from '../../search/types';
import { fromStored } from '../../search/stored-document';
import { restoreMarked } from './document';
import { textField } from './mappings';
import { AGG } from './translate-query';
import { listedFacetValues, type FacetLabeller } from '../../search/facet-values';

export type EsHitSource = { doc: ResourceDocument; hash?: string; changed?: string };
export type EsSearchResponse = estypes.SearchResponse<EsHitSource>;

/** Shown when nothing in the abstract matched (as the embedded engine does). */
const PLAIN_SNIPPET_CHARS = 280;
const ELLIPSIS = '…';

interface Bucket {
  key: string | number;
  doc_count: number;
}
export interface FacetAgg {
  [AGG.values]?: { buckets?: Bucket[] };
  [AGG.selected]?: { buckets?: { doc_count: number }[] };
}
interface YearsAgg {
  [AGG.yearBuckets]?: { buckets?: Bucket[] };
  [AGG.undated]?: { doc_count?: number };
}

function plainSnippet(text: string): string {
  if (text.length <= PLAIN_SNIPPET_CHARS) return text;
  const cut = text.lastIndexOf(' ', PLAIN_SNIPPET_CHARS);
  return `${text.slice(0, cut > 0 ? cut : PLAIN_SNIPPET_CHARS)}${ELLIPSIS}`;
}

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
  const title = (markedTitle && restoreMarked(markedTitle, document.title)?.text) || document.title;
  const abstract = document.abstract ?? '';
  let snippets: string[] = abstract ? [plainSnippet(abstract)] : [];
  const marked = hit.highlight?.[textField('abstract')] ?? [];
  const restored = marked.map((m) => snippetOf(m, abstract)).filter((s): s is string => s !== undefined);
  if (abstract && restored.length > 0) snippets = restored;
  return { id: document.id, score: hit._score ?? 0, document, title, snippets };
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

export function readYears(agg: YearsAgg | undefined): YearFacet {
  const years = (agg?.[AGG.yearBuckets]?.buckets ?? [])
    .filter((b) => b.doc_count > 0)
    .map((b) => ({ year: Math.round(Number(b.key)), count: b.doc_count }))
    .sort((a, b) => a.year - b.year);
  return { years, undated: agg?.[AGG.undated]?.doc_count ?? 0 };
}

function totalOf(total: number | estypes.SearchTotalHits | undefined): number {
  if (total === undefined) return 0;
  return typeof total === 'number' ? total : total.value;
}

/** `response` undefined: there is no live index yet (an empty page, selected values still listed). */
export function readResponse(query: SearchQuery, response: EsSearchResponse | undefined, label: FacetLabeller): SearchResultPage {
  // The aggregation results are loosely typed by the client; their shape is fixed by translate-query.ts.
  const aggs = (response?.aggregations ?? {}) as Record<string, unknown>;
  const facets = {} as Record<FacetName, FacetValue[]>;
  for (const facet of FACET_NAMES) {
    facets[facet] = readFacet(facet, aggs[AGG.facet(facet)] as FacetAgg | undefined, query.filters[facet], label);
  }
  return {
    total: totalOf(response?.hits.total),
    page: query.page,
    size: query.size,
    hits: (response?.hits.hits ?? []).map(readHit).filter((h): h is SearchHit => h !== undefined),
    facets,
    years: readYears(aggs[AGG.years] as YearsAgg | undefined),
    tookMs: response?.took ?? 0,
  };
}
