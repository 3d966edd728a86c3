/**
 * The searchable fields and their boosts: the single source from which both engine adapters
 * derive their schema (FTS5 columns and bm25 weights; Elasticsearch mappings and field boosts),
 * so relevance agrees across engines.
 */
import { FACET_NAMES, type FacetName, type ResourceDocument } from './types';
import type { TagField } from './analysed-query';

export interface SearchField {
  name: 'title' | 'tags' | 'keywords' | 'abstract' | 'people';
  boost: number;
  /** Text of this field for one document. */
  text(doc: ResourceDocument, labels: TagLabels): string;
}

/** Turns tag ids into display labels, so "Laos" typed finds a record tagged LAO by its label too. */
export interface TagLabels {
  countryLabel(code: string): string | undefined;
  regionLabel(id: string): string | undefined;
  themeLabel(id: string): string | undefined;
}

function labelsOf(ids: string[], label: (id: string) => string | undefined): string {
  return ids.map((id) => label(id) ?? '').filter(Boolean).join('. ');
}

export const SEARCH_FIELDS: readonly SearchField[] = [
  { name: 'title', boost: 10, text: (d) => d.title },
  {
    // Labels of stated and found tags only: derived regions ("Asia" for every Asian country)
    // would make a broad word match far too much.
    name: 'tags',
    boost: 4,
    text: (d, l) =>
      [
        labelsOf(d.countries, (c) => l.countryLabel(c)),
        labelsOf([...d.tagging.regions.given, ...d.tagging.regions.found], (r) => l.regionLabel(r)),
        labelsOf(d.themes, (t) => l.themeLabel(t)),
      ]
        .filter(Boolean)
        .join('. '),
  },
  { name: 'keywords', boost: 3, text: (d) => d.keywords.join('. ') },
  { name: 'abstract', boost: 1, text: (d) => d.abstract ?? '' },
  { name: 'people', boost: 1, text: (d) => [d.publisher ?? '', ...d.authors].filter(Boolean).join('. ') },
];

/**
 * The facets whose values a tag clause of the query analyser matches: a region clause ("ASEAN",
 * "South Asia", "Africa") matches geographic regions and groupings alike, since the analyser
 * reads both from the one regions vocabulary.
 */
export const TAG_FACETS: Readonly<Record<TagField, readonly FacetName[]>> = {
  countries: ['country'],
  regions: ['region', 'grouping'],
  themes: ['theme'],
};

/** The values a tag clause on `field` matches in a document. */
export function tagValues(doc: ResourceDocument, field: TagField): string[] {
  return TAG_FACETS[field].flatMap((facet) => FACET_FIELDS[facet].values(doc));
}

/** Synthetic tokens that stand for a tag in full-text engines that have no keyword fields. */
export function tagToken(field: TagField, value: string): string {
  const prefix = field === 'countries' ? 'qc' : field === 'regions' ? 'qr' : 'qt';
  return prefix + value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The facets, declared once: what a document's values are, how they are written in URLs, and how
 * they are labelled. Both engines index `values(doc)` under `field`; URL parsing, the API and the
 * views read the rest from here.
 */
export interface FacetField {
  name: FacetName;
  /** The facet's heading. */
  label: string;
  /** What one value is called, and several ("country", "countries"), in running text. */
  noun: { one: string; many: string };
  /** Name of the engine field the values are stored in. */
  field: FacetStorageField;
  /** The document's values for this facet (empty when it has none). */
  values(doc: ResourceDocument): readonly string[];
  /** Codes and ids: the shape a URL value must have, and its canonical case. Free text: none. */
  code?: { pattern: RegExp; canonical(value: string): string };
  /** How a value is shown: a vocabulary label, a language name, or the value itself. */
  labelKind: 'country' | 'region' | 'theme' | 'corridor' | 'language' | 'self';
  /**
   * How many values a search result lists (most results first; selected values are always
   * added). Facets of a vocabulary list every value they can have, so every value is reachable
   * from the page; free-text facets list the top ones, and the rest through facetValues().
   */
  listLimit: number;
}

/** Engine field names of the facets (Elasticsearch keyword fields). */
export type FacetStorageField = 'countries' | 'geography' | 'groupings' | 'themes' | 'corridors' | 'type' | 'publishers' | 'languages';

/** Values listed for free-text facets (types, publishers); the full list has its own page. */
export const FREE_TEXT_LIST_LIMIT = 50;
/** Above the size of every vocabulary (250 countries, 184 ISO 639-1 languages, ~70 regions). */
const VOCABULARY_LIST_LIMIT = 300;


const optional = (value: string | undefined): readonly string[] => (value === undefined ? [] : [value]);
const lower = (v: string): string => v.toLowerCase();

export const FACET_FIELDS: Readonly<Record<FacetName, FacetField>> = {
  country: {
    name: 'country',
    noun: { one: 'country', many: 'countries' },
    label: 'Country',
    field: 'countries',
    values: (d) => d.countries,
    code: { pattern: /^[a-z]{3}$/i, canonical: (v) => v.toUpperCase() },
    labelKind: 'country',
    listLimit: VOCABULARY_LIST_LIMIT,
  },
  region: {
    name: 'region',
    noun: { one: 'region', many: 'regions' },
    label: 'Region',
    field: 'geography',
    values: (d) => d.regions,
    code: { pattern: /^[a-z0-9][a-z0-9-]{0,63}$/i, canonical: lower },
    labelKind: 'region',
    listLimit: VOCABULARY_LIST_LIMIT,
  },
  grouping: {
    name: 'grouping',
    noun: { one: 'grouping', many: 'groupings' },
    label: 'Regional grouping',
    field: 'groupings',
    values: (d) => d.groupings,
    code: { pattern: /^[a-z0-9][a-z0-9-]{0,63}$/i, canonical: lower },
    labelKind: 'region',
    listLimit: VOCABULARY_LIST_LIMIT,
  },
  theme: {
    name: 'theme',
    noun: { one: 'theme', many: 'themes' },
    label: 'Theme',
    field: 'themes',
    values: (d) => d.themes,
    code: { pattern: /^[a-z0-9][a-z0-9-]{0,63}$/i, canonical: lower },
    labelKind: 'theme',
    listLimit: VOCABULARY_LIST_LIMIT,
  },
  corridor: {
    // Origin and destination country: "NPL-QAT" (src/search/vocabulary/corridors.ts).
    name: 'corridor',
    noun: { one: 'corridor', many: 'corridors' },
    label: 'Corridor',
    field: 'corridors',
    values: (d) => d.corridors,
    code: { pattern: /^[a-z]{3}-[a-z]{3}$/i, canonical: (v) => v.toUpperCase() },
    labelKind: 'corridor',
    // Pairs of countries are too many to list them all: the top ones, the rest on the facet's page.
    listLimit: FREE_TEXT_LIST_LIMIT,
  },
  type: {
    name: 'type',
    noun: { one: 'resource type', many: 'resource types' },
    label: 'Resource type',
    field: 'type',
    values: (d) => optional(d.type),
    labelKind: 'self',
    listLimit: FREE_TEXT_LIST_LIMIT,
  },
  publisher: {
    name: 'publisher',
    noun: { one: 'publisher', many: 'publishers' },
    label: 'Publisher',
    field: 'publishers',
    values: (d) => d.publishers,
    labelKind: 'self',
    listLimit: FREE_TEXT_LIST_LIMIT,
  },
  language: {
    name: 'language',
    noun: { one: 'language', many: 'languages' },
    label: 'Language',
    field: 'languages',
    values: (d) => d.languages,
    code: { pattern: /^[a-z]{2}$/i, canonical: lower },
    labelKind: 'language',
    listLimit: VOCABULARY_LIST_LIMIT,
  },
};

/** True for a facet name (URL path segments and API parameters are checked with this). */
export function isFacetName(name: string): name is FacetName {
  return (FACET_NAMES as readonly string[]).includes(name);
}
