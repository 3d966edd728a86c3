/**
 * Core types shared by every part of Corridor. This module imports nothing:
 * engines, web and indexer all depend on it, never the other way round.
 */

/** Where a tag came from: stated by the source record, or found by the analysers in its text. */
export interface TagProvenance {
  given: string[];
  found: string[];
}

/** A publication as stored in the index. Every list field is deduplicated and sorted. */
export interface ResourceDocument {
  id: string;
  title: string;
  abstract?: string;
  url?: string;
  /** Digital Object Identifier, normalised to its bare lower-case form ("10.1234/abc"). */
  doi?: string;
  /** The publisher as the source wrote it, for display ("OSCE, IOM and ILO"). */
  publisher?: string;
  /** Each publisher named in `publisher`, for the facet ("OSCE", "IOM", "ILO"). */
  publishers: string[];
  /** In the order given: author order matters for citations. */
  authors: string[];
  /** Normalised date as given: "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
  published?: string;
  /** Year of `published`, for facets and range filters. */
  year?: number;
  /** Resource type label, e.g. "Report", "Policy brief". */
  type?: string;
  /** ISO 639-1 codes, e.g. ["en"]; a record in two languages has both. */
  languages: string[];
  /** ISO 3166-1 alpha-3 codes: given plus found. */
  countries: string[];
  /**
   * Geographic region ids (UN M49 regions and sub-regions, vocab/regions.json): given, found in
   * text, and derived from member countries.
   */
  regions: string[];
  /**
   * Grouping ids (blocs such as ASEAN or ECOWAS, consultative processes such as the Colombo
   * Process, and informal groupings such as MENA; vocab/regions.json): given, found, derived.
   */
  groupings: string[];
  /** Theme ids (vocab/themes.json): given plus found. */
  themes: string[];
  /**
   * Migration corridors the text states, as "ORIGIN-DESTINATION" ISO3 pairs ("NPL-QAT"); both
   * countries are among `countries`. Found by the analysers (src/search/vocabulary/corridors.ts).
   */
  corridors: string[];
  keywords: string[];
  /**
   * Which tags the source gave, which the analysers found in the text, and which regions follow
   * from the countries. `regions` covers regions and groupings alike (their ids are distinct).
   */
  tagging: {
    countries: TagProvenance;
    regions: TagProvenance & { derived: string[] };
    themes: TagProvenance;
  };
  /** Source id the record came from (e.g. "sample", a configured source id, or a file name). */
  source?: string;
  /**
   * When it last changed in the index (YYYY-MM-DDThh:mm:ssZ), set by the engines: see
   * src/search/datestamp.ts. Absent in documents handed to a writer.
   */
  changed?: string;
}

export const FACET_NAMES = ['country', 'region', 'grouping', 'theme', 'corridor', 'type', 'publisher', 'language'] as const;
export type FacetName = (typeof FACET_NAMES)[number];

export type SortOrder = 'relevance' | 'newest' | 'oldest';
export const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'newest', 'oldest'];

export type FacetFilters = Record<FacetName, string[]>;

/** A validated search request (see src/search/params.ts for how URL parameters become one). */
export interface SearchQuery {
  /** Raw text as typed by the visitor (already length-checked). */
  text: string;
  filters: FacetFilters;
  /**
   * Inclusive year range. Undated resources are excluded when either bound is set, unless
   * `includeUndated` is true.
   */
  yearFrom?: number;
  yearTo?: number;
  /** true: only undated resources (the "undated" bucket of the year facet); no year range then. */
  undatedOnly?: boolean;
  /** true: undated resources as well as those in the year range ("2015–2020 and undated"). */
  includeUndated?: boolean;
  sort: SortOrder;
  /** 1-based. */
  page: number;
  size: number;
}

/**
 * Highlighted text as the engines return it: plain record text in which matches are wrapped in
 * HIGHLIGHT_START / HIGHLIGHT_END sentinels. It is NOT HTML: render it with renderHighlight().
 */
export type MarkedText = string;
export const HIGHLIGHT_START = '\u0001';
export const HIGHLIGHT_END = '\u0002';

export interface SearchHit {
  id: string;
  score: number;
  document: ResourceDocument;
  /** Title with matches marked (always present; unmarked if nothing matched in the title). */
  title: MarkedText;
  /** Snippet(s) from the abstract with matches marked; empty when there is no abstract. */
  snippets: MarkedText[];
}

export interface FacetValue {
  value: string;
  count: number;
  selected: boolean;
}

/** How a list of facet values is ordered: most results first, or by label (A–Z). */
export type FacetValueOrder = 'count' | 'label';

/** One page of a facet's values (see SearchEngine.facetValues). */
export interface FacetValuesPage {
  facet: FacetName;
  /** Values that match (count > 0, or selected), before paging. */
  total: number;
  values: FacetValue[];
}

export interface YearFacet {
  /** One bucket per year that has resources in the (otherwise filtered) result, ascending. */
  years: { year: number; count: number }[];
  undated: number;
}

export interface SearchResultPage {
  total: number;
  page: number;
  size: number;
  hits: SearchHit[];
  /** Disjunctive counts: each facet's counts apply every other facet's filters, not its own. */
  facets: Record<FacetName, FacetValue[]>;
  years: YearFacet;
  /** Engine time in milliseconds, as the engine measured it. */
  tookMs: number;
}

/** What the live index is and where it came from. */
export interface IndexStatus {
  engine: string;
  documents: number;
  builtAt?: string;
  runId?: string;
  generation?: string;
  /** Why the live index cannot be used by this version (built by an older one); it must be rebuilt. */
  outdated?: string;
}

/** True when any facet value or the year range narrows the search. */
export function hasFilters(query: SearchQuery): boolean {
  return (
    FACET_NAMES.some((f) => query.filters[f].length > 0) ||
    query.yearFrom !== undefined ||
    query.yearTo !== undefined ||
    query.undatedOnly === true
  );
}
