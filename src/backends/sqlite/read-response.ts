/** Filter/count results + fetched rows → SearchResultPage. Pure. */
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

/** Facet values listed per facet (selected values are always added on top). */
export const FACET_LIMIT = 50;

export function readFacets(index: FacetIndex, counts: Uint32Array, query: SearchQuery): Record<FacetName, FacetValue[]> {
  const perFacet = FACET_NAMES.map(() => [] as { value: string; count: number }[]);
  for (let v = 0; v < counts.length; v++) {
    const c = counts[v];
    if (c > 0) perFacet[index.valueFacet[v]]?.push({ value: index.valueName[v], count: c });
  }
  const out = {} as Record<FacetName, FacetValue[]>;
  FACET_NAMES.forEach((facet, f) => {
    const selected = new Set(query.filters[facet]);
    const values = perFacet[f].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    const listed: FacetValue[] = values.slice(0, FACET_LIMIT).map((v) => ({ ...v, selected: selected.has(v.value) }));
    for (const value of selected) {
      if (listed.some((l) => l.value === value)) continue;
      const found = values.find((v) => v.value === value);
      listed.push({ value, count: found?.count ?? 0, selected: true });
    }
    out[facet] = listed;
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
