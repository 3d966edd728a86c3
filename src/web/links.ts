/**
 * Every link of the public pages is built here from a SearchQuery with toSearchParams(), the
 * inverse of the URL parser, so a link means exactly what the page that produced it means, minus
 * or plus one change. Every change resets the page to 1: page N of another result set is
 * meaningless. Pure.
 */
import { toSearchParams } from '../search/params';
import { defaultSort } from '../search/result-rules';
import type { FacetFilters, FacetName, SearchQuery } from '../search/types';

export const SEARCH_PATH = '/';
/**
 * The result count's id. Links and forms that change the search land there, so that on a phone
 * the new results, not the filters, are on screen after a change.
 */
export const RESULTS_ANCHOR = 'results';

export type QueryLike = Partial<Omit<SearchQuery, 'filters'>> & { filters?: Partial<FacetFilters> };

/** The search page URL for a query. */
export function searchHref(query: QueryLike): string {
  const qs = toSearchParams(query).toString();
  return qs === '' ? SEARCH_PATH : `${SEARCH_PATH}?${qs}`;
}

/** The search page URL for a query, landing on the result count. */
export function resultsHref(query: QueryLike): string {
  return `${searchHref(query)}#${RESULTS_ANCHOR}`;
}

/** A copy of the query with `changes` applied, back on page 1. */
export function changed(query: SearchQuery, changes: Partial<SearchQuery>): SearchQuery {
  return { ...query, page: 1, ...changes };
}

/** Changes the text; an implicit sort follows the text (relevance with words, newest without). */
export function withText(query: SearchQuery, text: string): SearchQuery {
  const sort = query.sort === defaultSort(query.text) ? defaultSort(text) : query.sort;
  return changed(query, { text, sort });
}

export function withFacetValues(query: SearchQuery, facet: FacetName, values: string[]): SearchQuery {
  return changed(query, { filters: { ...query.filters, [facet]: values } });
}

export function toggleFacetHref(query: SearchQuery, facet: FacetName, value: string): string {
  const current = query.filters[facet];
  const values = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return searchHref(withFacetValues(query, facet, values));
}

export function removeFacetValueHref(query: SearchQuery, facet: FacetName, value: string): string {
  return searchHref(withFacetValues(query, facet, query.filters[facet].filter((v) => v !== value)));
}

export function resourceHref(id: string): string {
  return `/resources/${encodeURIComponent(id)}`;
}

/** The page listing every value of a facet, for the same search. */
export function facetPageHref(facet: FacetName, query: SearchQuery, extra: Record<string, string> = {}): string {
  const params = toSearchParams({ ...query, page: 1 });
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const qs = params.toString();
  return `/facets/${facet}${qs === '' ? '' : `?${qs}`}`;
}

/** Only http(s) links to originals: a harvested `javascript:` URL must never become an href. */
export function safeExternalUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
