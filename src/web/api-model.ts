/**
 * The JSON API's shapes. Kept apart from the page view models because the API is a contract
 * with other programs: fields are added, never renamed. Highlights are the same escaped HTML
 * the page shows, so a client can insert them as markup safely; every other string is plain text.
 *
 * Each shape is declared once, as a zod schema: the TypeScript types are inferred from it, and
 * the OpenAPI description (src/web/openapi.ts) is generated from it, so the two cannot disagree.
 */
import { z } from 'zod';
import type { SearchOutcome } from '../search/search-service';
import { SUGGESTION_KINDS, suggestionFacet, type Suggestion } from '../search/suggest';
import type { TagMatch } from '../search/tag-explanation';
import {
  FACET_NAMES,
  SORT_ORDERS,
  type SortOrder,
  type FacetName,
  type FacetValue,
  type FacetValueOrder,
  type FacetValuesPage,
  type ResourceDocument,
  type SearchHit,
  type SearchQuery,
  type TagProvenance,
} from '../search/types';
import { renderHighlight } from './highlight';
import { corridorLabel, FACET_LABELS, facetValueLabel, languageLabel, resourceHref, searchHref, type LabelLookup } from './view-models';

const nullableString = z.string().nullable();

/** One value of a facet, as the search page lists it. */
export const ApiFacetValueSchema = z.object({
  value: z.string(),
  label: z.string(),
  count: z.number().int().min(0),
  selected: z.boolean(),
});
export type ApiFacetValue = z.infer<typeof ApiFacetValueSchema>;

export const ApiTagMatchSchema = z.object({
  field: z.enum(['countries', 'regions', 'themes']),
  value: z.string(),
  label: z.string(),
  via: z.object({ field: z.literal('regions'), value: z.string(), label: z.string() }).optional(),
});
export type ApiTagMatch = z.infer<typeof ApiTagMatchSchema>;

/** A migration corridor: origin and destination country ("NPL-QAT", "Nepal → Qatar"). */
export const ApiCorridorSchema = z.object({
  code: z.string().describe('ORIGIN-DESTINATION ISO 3166-1 alpha-3 codes: the `corridor` parameter\'s value.'),
  label: z.string(),
  origin: z.object({ code: z.string(), label: z.string() }),
  destination: z.object({ code: z.string(), label: z.string() }),
});
export type ApiCorridor = z.infer<typeof ApiCorridorSchema>;

export const ApiHitSchema = z.object({
  id: z.string(),
  title: z.string(),
  url: nullableString.describe("The original publication's address, as the source gave it."),
  href: z.string().describe("This portal's page for the resource."),
  highlights: z
    .object({ title: z.string(), snippets: z.array(z.string()) })
    .describe('Escaped HTML in which matches are wrapped in <mark>: safe to insert as markup.'),
  countries: z.array(z.object({ code: z.string(), label: z.string() })),
  themes: z.array(z.object({ id: z.string(), label: z.string() })),
  corridors: z.array(ApiCorridorSchema).describe('Origin → destination pairs its text states (see the README, "Corridors").'),
  type: nullableString,
  publisher: nullableString.describe('As the source wrote it ("ILO and UN Women").'),
  publishers: z.array(z.string()).describe("Each publisher it names: the publisher facet's values."),
  year: z.number().int().nullable(),
  languages: z.array(z.string()),
  doi: nullableString,
  tagged: z
    .array(ApiTagMatchSchema)
    .describe("Why the hit matched when none of the query's words is in its text: the tags it carries that the query named. Empty for text matches."),
});
export type ApiHit = z.infer<typeof ApiHitSchema>;

const values = z.array(z.string());
/** The request as understood, in URL parameter names (so it can be sent back as is). */
export const ApiQuerySchema = z.object({
  q: z.string(),
  country: values,
  region: values.describe('UN M49 regions and sub-regions.'),
  grouping: values.describe('Blocs, consultative processes and informal groupings.'),
  theme: values,
  corridor: values,
  type: values,
  publisher: values,
  language: values,
  from: z.number().int().nullable(),
  to: z.number().int().nullable(),
  undated: z.boolean().describe('Only undated resources.'),
  includeUndated: z.boolean().describe('Undated resources as well as those in the year range.'),
  sort: z.enum(SORT_ORDERS as readonly SortOrder[] as [SortOrder, ...SortOrder[]]),
  page: z.number().int().min(1),
  size: z.number().int().min(1),
});
export type ApiQuery = z.infer<typeof ApiQuerySchema>;

const facetValues = z.array(ApiFacetValueSchema);
export const ApiFacetsSchema = z.object({
  ...(Object.fromEntries(FACET_NAMES.map((f) => [f, facetValues])) as Record<FacetName, typeof facetValues>),
  year: z.object({ years: z.array(z.object({ year: z.number().int(), count: z.number().int().min(0) })), undated: z.number().int().min(0) }),
});

export const ApiSearchResponseSchema = z.object({
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  size: z.number().int().min(1),
  query: ApiQuerySchema,
  hits: z.array(ApiHitSchema),
  match: z.enum(['all', 'partial']).describe("'partial': no record has every word of the query; `partial` says which words, and the hits are those with most of them."),
  partial: z.object({ terms: z.array(z.string()), atLeast: z.number().int() }).optional(),
  reading: z.string().optional().describe('How the query was read, when operators (AND, OR, NOT, parentheses) were used.'),
  facets: ApiFacetsSchema.describe("Disjunctive counts: each facet's counts apply every other facet's selection but not its own."),
  suggestion: z.object({ text: z.string(), total: z.number().int(), href: z.string() }).optional().describe('Present when nothing matched and another spelling finds results.'),
  relaxations: z
    .array(z.object({ facet: z.enum([...FACET_NAMES, 'year']), value: z.string(), count: z.number().int().min(0), label: z.string() }))
    .optional()
    .describe('Present when nothing matched with filters selected: the total without each one.'),
});
export type ApiSearchResponse = z.infer<typeof ApiSearchResponseSchema>;

const tag = { label: z.string(), given: z.boolean(), found: z.boolean() };
export type ApiTag = { label: string; given: boolean; found: boolean };
/** Regions also say whether they follow from the record's countries. */
export type ApiRegionTag = ApiTag & { id: string; derived: boolean };

export const ApiResourceSchema = z.object({
  id: z.string(),
  title: z.string(),
  abstract: nullableString,
  url: nullableString,
  doi: nullableString,
  href: z.string(),
  publisher: nullableString,
  publishers: z.array(z.string()),
  authors: z.array(z.string()),
  published: nullableString.describe('"YYYY", "YYYY-MM" or "YYYY-MM-DD", as precise as the source.'),
  year: z.number().int().nullable(),
  type: nullableString,
  language: z.object({ code: z.string(), label: z.string() }).nullable().describe('The first of `languages` (kept for clients written before records had several).'),
  languages: z.array(z.object({ code: z.string(), label: z.string() })),
  countries: z.array(z.object({ code: z.string(), ...tag })),
  regions: z.array(z.object({ id: z.string(), ...tag, derived: z.boolean() })).describe('UN M49 regions and sub-regions.'),
  groupings: z.array(z.object({ id: z.string(), ...tag, derived: z.boolean() })).describe('Blocs, consultative processes and informal groupings.'),
  themes: z.array(z.object({ id: z.string(), ...tag })),
  corridors: z.array(ApiCorridorSchema).describe('Origin → destination pairs its text states (see the README, "Corridors").'),
  keywords: z.array(z.string()),
  source: nullableString,
  changed: nullableString.describe('When the record last changed in the index (YYYY-MM-DDThh:mm:ssZ): its OAI-PMH datestamp.'),
  related: z
    .array(z.object({ id: z.string(), title: z.string(), href: z.string(), type: nullableString, publisher: nullableString, year: z.number().int().nullable() }))
    .describe('Related publications, most alike first: sharing its countries and themes and its most distinctive words.'),
});
export type ApiResource = z.infer<typeof ApiResourceSchema>;

export const ApiSuggestionSchema = z.object({
  kind: z.enum(SUGGESTION_KINDS).describe('A country, region, grouping, theme or publisher filters the search; a title is one record.'),
  value: z.string().describe('The filter value (ISO3 code, region or theme id, publisher name) or the record id.'),
  label: z.string(),
  href: z.string().describe("Where choosing it leads: this portal's search with the filter, or the record's page."),
  matched: z.string().optional().describe('The other name the typed words matched ("Burma" for Myanmar).'),
  count: z.number().int().min(0).optional().describe('Records with this value.'),
  year: z.number().int().optional().describe("The record's year (titles)."),
});
export type ApiSuggestion = z.infer<typeof ApiSuggestionSchema>;

export const ApiSuggestResponseSchema = z.object({
  q: z.string(),
  suggestions: z.array(ApiSuggestionSchema),
});
export type ApiSuggestResponse = z.infer<typeof ApiSuggestResponseSchema>;

export function apiSuggestion(s: Suggestion): ApiSuggestion {
  const facet = suggestionFacet(s.kind);
  return { ...s, href: facet ? searchHref({ filters: { [facet]: [s.value] } }) : resourceHref(s.value) };
}

export const ApiHealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  engine: z.string(),
  documents: z.number().int().min(0).optional(),
  reason: z.string().optional(),
});
export type ApiHealth = z.infer<typeof ApiHealthSchema>;

/** Every 4xx and 5xx answer of the API (src/web/errors.ts). */
export const ApiErrorSchema = z.object({
  error: z.object({
    status: z.number().int().min(400).max(599),
    message: z.string(),
    params: z.array(z.object({ param: z.string(), message: z.string() })),
    id: z.string().optional().describe('Reference of a server-side failure, as logged.'),
  }),
});

function apiQuery(query: SearchQuery): ApiQuery {
  return {
    q: query.text,
    ...query.filters,
    from: query.yearFrom ?? null,
    to: query.yearTo ?? null,
    undated: query.undatedOnly === true,
    includeUndated: query.includeUndated === true,
    sort: query.sort,
    page: query.page,
    size: query.size,
  };
}

function tagLabel(field: ApiTagMatch['field'], value: string, labels: LabelLookup): string {
  return (field === 'countries' ? labels.countryLabel(value) : field === 'regions' ? labels.regionLabel(value) : labels.themeLabel(value)) ?? value;
}

export function apiCorridor(code: string, labels: LabelLookup): ApiCorridor {
  const [origin = code, destination = code] = code.split('-');
  const country = (c: string) => ({ code: c, label: labels.countryLabel(c) ?? c });
  return { code, label: corridorLabel(code, labels), origin: country(origin), destination: country(destination) };
}

function apiTagMatch(m: TagMatch, labels: LabelLookup): ApiTagMatch {
  const out: ApiTagMatch = { field: m.field, value: m.value, label: tagLabel(m.field, m.value, labels) };
  if (m.via) out.via = { ...m.via, label: tagLabel(m.via.field, m.via.value, labels) };
  return out;
}

function apiHit(hit: SearchHit, labels: LabelLookup, tagged: readonly TagMatch[] = []): ApiHit {
  const doc = hit.document;
  return {
    id: hit.id,
    title: doc.title,
    url: doc.url ?? null,
    href: resourceHref(hit.id),
    // The engines give every hit its record's title, marked, and its snippets (src/search/result-rules.ts).
    highlights: { title: renderHighlight(hit.title), snippets: hit.snippets.map(renderHighlight) },
    countries: doc.countries.map((code) => ({ code, label: labels.countryLabel(code) ?? code })),
    themes: doc.themes.map((id) => ({ id, label: labels.themeLabel(id) ?? id })),
    corridors: doc.corridors.map((c) => apiCorridor(c, labels)),
    type: doc.type ?? null,
    publisher: doc.publisher ?? null,
    publishers: doc.publishers,
    year: doc.year ?? null,
    languages: doc.languages,
    doi: doc.doi ?? null,
    tagged: tagged.map((m) => apiTagMatch(m, labels)),
  };
}

export function apiSearchResponse(outcome: SearchOutcome, labels: LabelLookup): ApiSearchResponse {
  const { query, result } = outcome;
  const facets = {} as ApiSearchResponse['facets'];
  // The engines list every selected value, marked selected (src/search/facet-values.ts).
  for (const facet of FACET_NAMES) facets[facet] = apiFacetValueList(facet, result.facets[facet], labels);
  facets.year = { years: result.years.years, undated: result.years.undated };

  const response: ApiSearchResponse = {
    total: result.total,
    page: result.page,
    size: result.size,
    query: apiQuery(query),
    hits: result.hits.map((hit) => apiHit(hit, labels, outcome.tagged[hit.id])),
    match: outcome.match,
    facets,
  };
  if (outcome.partial) response.partial = outcome.partial;
  if (outcome.reading) response.reading = outcome.reading;
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

function apiFacetValueList(facet: FacetName, values: readonly FacetValue[], labels: LabelLookup): ApiFacetValue[] {
  return values.map((v) => ({ value: v.value, label: facetValueLabel(facet, v.value, labels), count: v.count, selected: v.selected }));
}

function apiTags(values: string[], tagging: TagProvenance, label: (v: string) => string): (ApiTag & { value: string })[] {
  return values.map((value) => ({
    value,
    label: label(value),
    given: tagging.given.includes(value),
    found: tagging.found.includes(value),
  }));
}

function regionTags(ids: string[], doc: ResourceDocument, labels: LabelLookup): ApiRegionTag[] {
  return apiTags(ids, doc.tagging.regions, (r) => labels.regionLabel(r) ?? r).map(({ value, ...t }) => ({
    id: value,
    ...t,
    derived: doc.tagging.regions.derived?.includes(value) ?? false,
  }));
}

export const ApiFacetValuesResponseSchema = z.object({
  facet: z.enum(FACET_NAMES),
  label: z.string().describe("The facet's heading."),
  total: z.number().int().min(0).describe('Matching values in all; `values` holds `limit` of them from `offset`.'),
  order: z.enum(['count', 'label']),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1),
  prefix: z.string().nullable().describe('The typed start of a word of the value names, as given.'),
  query: ApiQuerySchema.describe('The search the counts are for.'),
  values: z.array(ApiFacetValueSchema),
});
export type ApiFacetValuesResponse = z.infer<typeof ApiFacetValuesResponseSchema>;

export function apiFacetValues(
  page: FacetValuesPage,
  request: { query: SearchQuery; order: FacetValueOrder; offset: number; limit: number; prefix?: string },
  labels: LabelLookup,
): ApiFacetValuesResponse {
  return {
    facet: page.facet,
    label: FACET_LABELS[page.facet],
    total: page.total,
    order: request.order,
    offset: request.offset,
    limit: request.limit,
    prefix: request.prefix ?? null,
    query: apiQuery(request.query),
    values: apiFacetValueList(page.facet, page.values, labels),
  };
}

export function apiResource(doc: ResourceDocument, labels: LabelLookup, related: readonly ResourceDocument[] = []): ApiResource {
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
    regions: regionTags(doc.regions, doc, labels),
    groupings: regionTags(doc.groupings, doc, labels),
    themes: apiTags(doc.themes, doc.tagging.themes, (t) => labels.themeLabel(t) ?? t).map(({ value, ...t }) => ({ id: value, ...t })),
    corridors: doc.corridors.map((c) => apiCorridor(c, labels)),
    keywords: doc.keywords,
    source: doc.source ?? null,
    changed: doc.changed ?? null,
    related: related.map((r) => ({
      id: r.id,
      title: r.title,
      href: resourceHref(r.id),
      type: r.type ?? null,
      publisher: r.publisher ?? null,
      year: r.year ?? null,
    })),
  };
}
