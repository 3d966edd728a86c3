/**
 * The rules of a search result that every engine guarantees, written once. Both engines' response
 * readers (src/backends/*) build their pages with these functions, the engine contract suite
 * (test/contract/engine-contract.ts) proves them on each engine, and the web layer relies on them
 * instead of re-implementing them. Pure.
 *
 * The fourth rule, "a selected facet value is always listed" (with its count, 0 when no document
 * has it), lives with the other facet listing rules in facet-values.ts (listedFacetValues,
 * facetValuesPage); both engines list facet values only through it.
 */
import { FACET_NAMES, HIGHLIGHT_END, HIGHLIGHT_START, type FacetName, type FacetValue, type MarkedText, type SearchQuery, type SortOrder, type YearFacet } from './types';

/**
 * How deep a visitor can page: hits are given only for positions 1 to MAX_RESULT_WINDOW. Deep
 * pages cost O(offset) in every engine and nobody reads them; Elasticsearch's index setting
 * max_result_window is set to the same number.
 */
export const MAX_RESULT_WINDOW = 10_000;

/**
 * The slice of the ordered result a query's page shows: `offset` hits skipped, at most `size`
 * given. A page that starts beyond the result window has no hits (size 0); its total, facets and
 * years are still those of the whole result.
 */
export function resultWindow(query: Pick<SearchQuery, 'page' | 'size'>): { offset: number; size: number } {
  const offset = (query.page - 1) * query.size;
  if (offset >= MAX_RESULT_WINDOW) return { offset: 0, size: 0 };
  return { offset, size: Math.min(query.size, MAX_RESULT_WINDOW - offset) };
}

/** The order of a search that names none: best matches first with words, newest first without. */
export function defaultSort(text: string): SortOrder {
  return text.trim() === '' ? 'newest' : 'relevance';
}

/**
 * The order an engine applies. Relevance needs something to rank by: a query without positive
 * words or tags (browsing, or only exclusions) asked for relevance is newest first. Dated records
 * come first in both date orders, undated ones last.
 */
export function appliedOrder(sort: SortOrder, ranked: boolean): SortOrder {
  return sort === 'relevance' && !ranked ? 'newest' : sort;
}

/** Characters of the abstract shown for a hit when nothing in it was marked. */
export const PLAIN_SNIPPET_CHARS = 280;
const ELLIPSIS = '…';

/**
 * A hit's snippets when no passage of its abstract is marked: its beginning, cut at a word
 * boundary with an ellipsis; none when the record has no abstract (or only blanks).
 */
export function plainSnippets(abstract: string | undefined): MarkedText[] {
  if (!abstract || abstract.trim() === '') return [];
  if (abstract.length <= PLAIN_SNIPPET_CHARS) return [abstract];
  const cut = abstract.lastIndexOf(' ', PLAIN_SNIPPET_CHARS);
  return [`${abstract.slice(0, cut > 0 ? cut : PLAIN_SNIPPET_CHARS)}${ELLIPSIS}`];
}

/**
 * A hit's snippets: the passages of its abstract where the query matched, or the plain snippet
 * when no passage has a match marked in it.
 */
export function hitSnippets(passages: readonly MarkedText[], abstract: string | undefined): MarkedText[] {
  const marked = passages.filter((s) => s.includes(HIGHLIGHT_START));
  return marked.length > 0 ? marked : plainSnippets(abstract);
}

/** The text without its marks. */
export function unmarked(text: MarkedText): string {
  return text.split(HIGHLIGHT_START).join('').split(HIGHLIGHT_END).join('');
}

/**
 * A hit's title: always the record's own title, marked where the query matched. A marked text
 * that is not exactly the title with marks added (an engine could not align it) gives way to
 * the plain title, so no visitor ever sees a title that is not the record's.
 */
export function hitTitle(marked: MarkedText | undefined, title: string): MarkedText {
  return marked !== undefined && unmarked(marked) === title ? marked : title;
}

/** The counts of a search asked without them (EngineSearchRequest.facets false): every facet and the years empty. */
export function noCounts(): { facets: Record<FacetName, FacetValue[]>; years: YearFacet } {
  return { facets: Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as Record<FacetName, FacetValue[]>, years: { years: [], undated: 0 } };
}
