/**
 * The JSON API's shapes. Kept apart from the page view models because the API is a contract
 * with other programs: fields are added, never renamed. Highlights are the same escaped HTML
 * the page shows, so a client can insert them as markup safely; every other string is plain text.
 */
import type { FilterRelaxation, SearchOutcome } from '../search/search-service';
import { FACET_NAMES, type FacetName, type ResourceDocument, type SearchHit, type SearchQuery, type TagProvenance } from '../search/types';
import { renderHighlight, stripHighlight } from './highlight';
import { facetValueLabel, languageLabel, resourceHref, searchHref, type LabelLookup } from './view-models';

export interface ApiFacetValue {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

export interface ApiHit {
  id: string;
  title: string;
  /** The original publication's address, as the source gave it. */
  url: string | null;
  /** This portal's page for the resource. */
  href: string;
  highlights: { title: string; snippets: string[] };
  countries: { code: string; label: string }[];
  themes: { id: string; label: string }[];
  type: string | null;
  /** As the source wrote it ("ILO and UN Women"). */
  publisher: string | null;
  /** Each publisher it names: the publisher facet's values. */
  publishers: string[];
  year: number | null;
  languages: string[];
  doi: string | null;
}

/** The request as understood, in URL parameter names (so it can be sent back as is). */
export interface ApiQuery {
  q: string;
  country: string[];
  region: string[];
  theme: string[];
  type: string[];
  publisher: string[];
  language: string[];
  from: number | null;
  to: number | null;
  undated: boolean;
  sort: SearchQuery['sort'];
  page: number;
  size: number;
}

export interface ApiSearchResponse {
  total: number;
  page: number;
  size: number;
  query: ApiQuery;
  hits: ApiHit[];
  facets: Record<FacetName, ApiFacetValue[]> & { year: { years: { year: number; count: number }[]; undated: number } };
  /** Present when nothing matched and another spelling finds results. */
  suggestion?: { text: string; total: number; href: string };
  /** Present when nothing matched with filters selected: the total without each one. */
  relaxations?: (FilterRelaxation & { label: string })[];
}

export interface ApiTag {
  label: string;
  given: boolean;
  found: boolean;
}

/** Regions also say whether they follow from the record's countries. */
export type ApiRegionTag = ApiTag & { id: string; derived: boolean };

export interface ApiResource {
  id: string;
  title: string;
  abstract: string | null;
  url: string | null;
  doi: string | null;
  href: string;
  publisher: string | null;
  publishers: string[];
  authors: string[];
  published: string | null;
  year: number | null;
  type: string | null;
  /** The first of `languages` (kept for clients written before records had several). */
  language: { code: string; label: string } | null;
  languages: { code: string; label: string }[];
  countries: (ApiTag & { code: string })[];
  regions: ApiRegionTag[];
  themes: (ApiTag & { id: string })[];
  keywords: string[];
  source: string | null;
}

function apiQuery(query: SearchQuery): ApiQuery {
  return {
    q: query.text,
    ...query.filters,
    from: query.yearFrom ?? null,
    to: query.yearTo ?? null,
    undated: query.undatedOnly === true,
    sort: query.sort,
    page: query.page,
    size: query.size,
  };
}

function apiHit(hit: SearchHit, labels: LabelLookup): ApiHit {
  const doc = hit.document;
  const marked = stripHighlight(hit.title).trim() === '' ? doc.title : hit.title;
  return {
    id: hit.id,
    title: doc.title,
    url: doc.url ?? null,
    href: resourceHref(hit.id),
    highlights: { title: renderHighlight(marked), snippets: hit.snippets.map(renderHighlight) },
    countries: doc.countries.map((code) => ({ code, label: labels.countryLabel(code) ?? code })),
    themes: doc.themes.map((id) => ({ id, label: labels.themeLabel(id) ?? id })),
    type: doc.type ?? null,
    publisher: doc.publisher ?? null,
    publishers: doc.publishers,
    year: doc.year ?? null,
    languages: doc.languages,
    doi: doc.doi ?? null,
  };
}

export function apiSearchResponse(outcome: SearchOutcome, labels: LabelLookup): ApiSearchResponse {
  const { query, result } = outcome;
  const facets = {} as ApiSearchResponse['facets'];
  for (const facet of FACET_NAMES) {
    const values: ApiFacetValue[] = (result.facets[facet] ?? []).map((v) => ({
      value: v.value,
      label: facetValueLabel(facet, v.value, labels),
      count: v.count,
      selected: v.selected || query.filters[facet].includes(v.value),
    }));
    // Same rule as the page: a selected value is always listed.
    for (const value of query.filters[facet]) {
      if (!values.some((v) => v.value === value)) {
        values.push({ value, label: facetValueLabel(facet, value, labels), count: 0, selected: true });
      }
    }
    facets[facet] = values;
  }
  facets.year = { years: result.years.years, undated: result.years.undated };

  const response: ApiSearchResponse = {
    total: result.total,
    page: result.page,
    size: result.size,
    query: apiQuery(query),
    hits: result.hits.map((hit) => apiHit(hit, labels)),
    facets,
  };
  if (outcome.suggestion) {
    response.suggestion = {
      ...outcome.suggestion,
      href: searchHref({ ...query, text: outcome.suggestion.text, page: 1 }),
    };
  }
  if (outcome.relaxations.length > 0) {
    response.relaxations = outcome.relaxations.map((r) => ({
      ...r,
      label: r.facet === 'year' ? `Years: ${r.value}` : facetValueLabel(r.facet, r.value, labels),
    }));
  }
  return response;
}

function apiTags(values: string[], tagging: TagProvenance, label: (v: string) => string): (ApiTag & { value: string })[] {
  return values.map((value) => ({
    value,
    label: label(value),
    given: tagging.given.includes(value),
    found: tagging.found.includes(value),
  }));
}

export function apiResource(doc: ResourceDocument, labels: LabelLookup): ApiResource {
  return {
    id: doc.id,
    title: doc.title,
    abstract: doc.abstract ?? null,
    url: doc.url ?? null,
    doi: doc.doi ?? null,
    href: resourceHref(doc.id),
    publisher: doc.publisher ?? null,
    publishers: doc.publishers,
    authors: doc.authors,
    published: doc.published ?? null,
    year: doc.year ?? null,
    type: doc.type ?? null,
    language: doc.languages[0] ? { code: doc.languages[0], label: languageLabel(doc.languages[0]) } : null,
    languages: doc.languages.map((code) => ({ code, label: languageLabel(code) })),
    countries: apiTags(doc.countries, doc.tagging.countries, (c) => labels.countryLabel(c) ?? c).map(({ value, ...t }) => ({ code: value, ...t })),
    regions: apiTags(doc.regions, doc.tagging.regions, (r) => labels.regionLabel(r) ?? r).map(({ value, ...t }) => ({
      id: value,
      ...t,
      derived: doc.tagging.regions.derived?.includes(value) ?? false,
    })),
    themes: apiTags(doc.themes, doc.tagging.themes, (t) => labels.themeLabel(t) ?? t).map(({ value, ...t }) => ({ id: value, ...t })),
    keywords: doc.keywords,
    source: doc.source ?? null,
  };
}
