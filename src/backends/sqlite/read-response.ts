/** Filter/count results + fetched rows → SearchResultPage. Pure. */
import { listedFacetValues, type FacetLabeller } from '../../search/facet-values';
import {
  FACET_NAMES,
  type FacetName,
  type FacetValue,
  type SearchHit,
  type SearchQuery,
  type SearchResultPage,
  type YearFacet,
} from '../../search/types';
import type { FacetIndex } from './facet-index';

/** Each facet's values with a count above 0, from the per-value counts of one filter pass. */
export function countedValues(index: FacetIndex, counts: Uint32Array): { value: string; count: number }[][] {
  const perFacet = FACET_NAMES.map(() => [] as { value: string; count: number }[]);
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v];
    if (c > 0) perFacet[index.valueFacet[v]]?.push({ value: index.valueName[v], count: c });
  }
  return perFacet;
}

/** Listed as src/search/facet-values.ts says, so both engines list the same values in the same order. */
export function readFacets(
  index: FacetIndex,
  counts: Uint32Array,
  query: SearchQuery,
  label: FacetLabeller,
): Record<FacetName, FacetValue[]> {
  const perFacet = countedValues(index, counts);
  const out = {} as Record<FacetName, FacetValue[]>;
  FACET_NAMES.forEach((facet, f) => {
    out[facet] = listedFacetValues({ facet, counted: perFacet[f], selected: query.filters[facet], label });
  });
  return out;
}

export function readYears(yearCounts: Uint32Array): YearFacet {
  const years: { year: number; count: number }[] = [];
  for (let y = 1; y < yearCounts.length; y++) if (yearCounts[y] > 0) years.push({ year: y, count: yearCounts[y] });
  return { years, undated: yearCounts[0] };
}

export function readResponse(args: {
  query: SearchQuery;
  total: number;
  hits: SearchHit[];
  facets: Record<FacetName, FacetValue[]>;
  years: YearFacet;
  tookMs: number;
}): SearchResultPage {
  return {
    total: args.total,
    page: args.query.page,
    size: args.query.size,
    hits: args.hits,
    facets: args.facets,
    years: args.years,
    tookMs: args.tookMs,
  };
}
