/**
 * Pure functions from search results to what the templates (and the JSON API) need. No I/O,
 * no Express: everything here is unit-tested with hand-made SearchOutcome objects.
 *
 * Every link is built from the SearchQuery with toSearchParams(), the inverse of the URL
 * parser, so a link means exactly what the page that produced it means, minus or plus one
 * change. Every change resets the page to 1: page N of another result set is meaningless.
 */
import { DEFAULT_PAGE_SIZE, MAX_RESULT_WINDOW, PAGE_SIZES, toSearchParams } from '../search/params';
import type { FilterRelaxation, PartialMatch, SearchOutcome } from '../search/search-service';
import type { TagMatch } from '../search/tag-explanation';
import {
  FACET_NAMES,
  hasFilters,
  type FacetFilters,
  type FacetName,
  type FacetValue,
  type ResourceDocument,
  type SearchHit,
  type SearchQuery,
  type SortOrder,
  type TagProvenance,
  type YearFacet,
} from '../search/types';
import { doiUrl } from '../search/doi';
import { FACET_FIELDS } from '../search/fields';
import { parseCorridor } from '../search/vocabulary/corridors';
import { renderHighlight, stripHighlight } from './highlight';
import { EXPORT_FORMATS, EXPORT_LIMIT } from './citation/formats';
import { feedHref } from './feed-links';

/**
 * Display labels for tag ids. The vocabulary implements this; declared here so the web layer
 * depends on the shape, not on the vocabulary module. Unknown ids return undefined (the id is
 * then shown as is).
 */
export interface LabelLookup {
  countryLabel(code: string): string | undefined;
  regionLabel(id: string): string | undefined;
  themeLabel(id: string): string | undefined;
}

export const SEARCH_PATH = '/';
/** Facet values shown before the "more" disclosure. */
export const FACET_VISIBLE_VALUES = 8;
/** Year buckets shown in the year facet summary. */
const MAX_YEAR_BUCKETS = 8;

export const FACET_LABELS: Record<FacetName, string> = Object.fromEntries(
  FACET_NAMES.map((f) => [f, FACET_FIELDS[f].label]),
) as Record<FacetName, string>;

const numberFormat = new Intl.NumberFormat('en');
export function formatCount(n: number): string {
  return numberFormat.format(n);
}
export function resultsText(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'result' : 'results'}`;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
export function languageLabel(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    // Intl throws on codes that are not well-formed BCP 47; records are untrusted.
    return code;
  }
}

export function facetValueLabel(facet: FacetName, value: string, labels: LabelLookup): string {
  switch (FACET_FIELDS[facet].labelKind) {
    case 'country':
      return labels.countryLabel(value) ?? value;
    case 'region':
      return labels.regionLabel(value) ?? value;
    case 'theme':
      return labels.themeLabel(value) ?? value;
    case 'corridor':
      return corridorLabel(value, labels);
    case 'language':
      return languageLabel(value);
    case 'self':
      // Types and publishers are stored as display labels already.
      return value;
  }
}

/** "Nepal → Qatar" for "NPL-QAT"; the value itself when it is no corridor. */
export function corridorLabel(value: string, labels: LabelLookup): string {
  const pair = parseCorridor(value);
  if (!pair) return value;
  return `${labels.countryLabel(pair.origin) ?? pair.origin} → ${labels.countryLabel(pair.destination) ?? pair.destination}`;
}

// ---------------------------------------------------------------------------------------------
// Links

function defaultSort(text: string): SortOrder {
  return text.trim() === '' ? 'newest' : 'relevance';
}

/** The search page URL for a query. */
export function searchHref(query: Partial<Omit<SearchQuery, 'filters'>> & { filters?: Partial<FacetFilters> }): string {
  const qs = toSearchParams(query).toString();
  return qs === '' ? SEARCH_PATH : `${SEARCH_PATH}?${qs}`;
}

/** A copy of the query with `changes` applied, back on page 1. */
function changed(query: SearchQuery, changes: Partial<SearchQuery>): SearchQuery {
  return { ...query, page: 1, ...changes };
}

/** Changes the text; an implicit sort follows the text (relevance with words, newest without). */
function withText(query: SearchQuery, text: string): SearchQuery {
  const sort = query.sort === defaultSort(query.text) ? defaultSort(text) : query.sort;
  return changed(query, { text, sort });
}

function withFacetValues(query: SearchQuery, facet: FacetName, values: string[]): SearchQuery {
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

const noYears = { yearFrom: undefined, yearTo: undefined, undatedOnly: undefined };

// ---------------------------------------------------------------------------------------------
// View types

export interface FacetValueView {
  value: string;
  label: string;
  count: number;
  countText: string;
  selected: boolean;
  /** The same search with this value added or removed. */
  toggleUrl: string;
  /** id for the checkbox, unique on the page. */
  inputId: string;
}

export interface FacetGroupView {
  name: FacetName;
  /** URL parameter (the facet name). */
  param: FacetName;
  label: string;
  /** Shown directly: the top values plus every selected value. */
  values: FacetValueView[];
  /** Behind a "more" disclosure. */
  more: FacetValueView[];
  selectedCount: number;
}

export interface ChipView {
  param: string;
  facetLabel: string;
  label: string;
  removeUrl: string;
}

export interface YearBucketView {
  label: string;
  from: number;
  to: number;
  count: number;
  countText: string;
  url: string;
  selected: boolean;
}

export interface YearFacetView {
  from?: number;
  to?: number;
  /** Oldest and newest years with results (input hints). */
  min?: number;
  max?: number;
  /** Per-year counts summarised into at most a handful of ranges, newest first. */
  buckets: YearBucketView[];
  undated: { count: number; countText: string; selected: boolean; url: string };
  /** Removes the year range and the undated choice. */
  clearUrl?: string;
}

export interface SortOptionView {
  /** '' is "the default for this search" so that typing words after browsing switches to relevance. */
  value: '' | SortOrder;
  label: string;
  selected: boolean;
  url: string;
}

export interface PageSizeOptionView {
  value: number;
  /** The form value: '' for the default size, so a plain search keeps a clean URL. */
  param: string;
  selected: boolean;
  url: string;
}

export type PageItemView = { kind: 'page'; page: number; url: string; current: boolean } | { kind: 'gap' };

export interface PaginationView {
  page: number;
  lastPage: number;
  prevUrl?: string;
  nextUrl?: string;
  items: PageItemView[];
  /** More results exist than can be paged to (MAX_RESULT_WINDOW). */
  capped: boolean;
  /** The requested page lies past the last one. */
  outOfRange: boolean;
  lastPageUrl?: string;
}

export interface HitView {
  id: string;
  position: number;
  href: string;
  titleHtml: string;
  titleText: string;
  snippetsHtml: string[];
  meta: string[];
  originalUrl?: string;
  /** Why a record without the query's words in its text matched: "Tagged: Qatar (Gulf Cooperation Council)". */
  taggedText?: string;
}

export interface RelaxationView {
  facet: FacetName | 'year';
  value: string;
  label: string;
  count: number;
  countText: string;
  href: string;
}

export interface SuggestionView {
  text: string;
  total: number;
  totalText: string;
  href: string;
}

export interface SearchPageView {
  /** <title> text. */
  documentTitle: string;
  heading: string;
  /** "1,234 results" (announced to screen readers). */
  countText: string;
  /** "Showing 1–20 of 1,234, newest first". */
  rangeText: string;
  browsing: boolean;
  query: { text: string; sort: SortOrder; size: number; page: number };
  total: number;
  hits: HitView[];
  facets: FacetGroupView[];
  year: YearFacetView;
  chips: ChipView[];
  clearAllUrl?: string;
  sortOptions: SortOptionView[];
  pageSizes: PageSizeOptionView[];
  pagination: PaginationView;
  noResults: boolean;
  /** How the query was read, shown when operators were typed: "(remittances OR trafficking) AND nepal". */
  reading?: string;
  /** No record has every word: "No publication has all of “a”, “b”; showing those with most of them." */
  partialNotice?: string;
  suggestion?: SuggestionView;
  relaxations: RelaxationView[];
  /** ReliefWeb's rule: only lightly filtered pages are worth indexing. */
  robots?: string;
  /** Site path of the canonical page (the layout makes it absolute): display choices (sort, size) dropped. */
  canonicalUrl: string;
  /** This search as feeds, newest first. */
  feeds: { rss: string; atom: string };
  /** This page, and the whole result up to the export limit, in each citation format. */
  exports: { label: string; pageHref: string; allHref: string }[];
  /** "All results", or "The first 2,000 results" past the export limit. */
  exportAllLabel: string;
}

// ---------------------------------------------------------------------------------------------
// Facets

function facetGroup(facet: FacetName, values: FacetValue[], query: SearchQuery, labels: LabelLookup): FacetGroupView {
  const selected = query.filters[facet];
  // A selected value is always listed so it can be unselected, even if the engine left it out.
  const listed = [...values];
  for (const value of selected) {
    if (!listed.some((v) => v.value === value)) listed.push({ value, count: 0, selected: true });
  }
  const views = listed.map((v, i): FacetValueView => {
    const isSelected = v.selected || selected.includes(v.value);
    return {
      value: v.value,
      label: facetValueLabel(facet, v.value, labels),
      count: v.count,
      countText: formatCount(v.count),
      selected: isSelected,
      toggleUrl: toggleFacetHref(query, facet, v.value),
      inputId: `f-${facet}-${i}`,
    };
  });
  const shown: FacetValueView[] = [];
  const more: FacetValueView[] = [];
  views.forEach((v, i) => (i < FACET_VISIBLE_VALUES || v.selected ? shown : more).push(v));
  return { name: facet, param: facet, label: FACET_LABELS[facet], values: shown, more, selectedCount: selected.length };
}

export function facetGroups(outcome: SearchOutcome, labels: LabelLookup): FacetGroupView[] {
  return FACET_NAMES.map((facet) => facetGroup(facet, outcome.result.facets[facet] ?? [], outcome.query, labels));
}

// ---------------------------------------------------------------------------------------------
// Years

function bucketSpan(years: number[]): number {
  if (years.length <= MAX_YEAR_BUCKETS) return 1;
  const min = Math.min(...years);
  const max = Math.max(...years);
  for (const span of [5, 10, 25, 50, 100]) {
    const buckets = Math.floor(max / span) - Math.floor(min / span) + 1;
    if (buckets <= MAX_YEAR_BUCKETS) return span;
  }
  return 1000;
}

export function yearFacetView(years: YearFacet, query: SearchQuery): YearFacetView {
  const dated = years.years.filter((y) => y.count > 0);
  const span = bucketSpan(dated.map((y) => y.year));
  const byStart = new Map<number, number>();
  for (const { year, count } of dated) {
    const start = Math.floor(year / span) * span;
    byStart.set(start, (byStart.get(start) ?? 0) + count);
  }
  const buckets = [...byStart.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([from, count]): YearBucketView => {
      const to = from + span - 1;
      return {
        label: span === 1 ? String(from) : `${from}–${to}`,
        from,
        to,
        count,
        countText: formatCount(count),
        url: searchHref(changed(query, { yearFrom: from, yearTo: to, undatedOnly: undefined })),
        selected: !query.undatedOnly && query.yearFrom === from && query.yearTo === to,
      };
    });
  const undatedSelected = query.undatedOnly === true;
  const anyYear = query.yearFrom !== undefined || query.yearTo !== undefined || undatedSelected;
  return {
    from: query.yearFrom,
    to: query.yearTo,
    min: dated.length ? dated[0]!.year : undefined,
    max: dated.length ? dated[dated.length - 1]!.year : undefined,
    buckets,
    undated: {
      count: years.undated,
      countText: formatCount(years.undated),
      selected: undatedSelected,
      url: searchHref(changed(query, undatedSelected ? { undatedOnly: undefined } : { ...noYears, undatedOnly: true })),
    },
    clearUrl: anyYear ? searchHref(changed(query, noYears)) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Chips, relaxations, suggestion

export function chips(query: SearchQuery, labels: LabelLookup): ChipView[] {
  const out: ChipView[] = [];
  if (query.text.trim() !== '') {
    out.push({ param: 'q', facetLabel: 'Words', label: query.text, removeUrl: searchHref(withText(query, '')) });
  }
  for (const facet of FACET_NAMES) {
    for (const value of query.filters[facet]) {
      out.push({
        param: facet,
        facetLabel: FACET_LABELS[facet],
        label: facetValueLabel(facet, value, labels),
        removeUrl: removeFacetValueHref(query, facet, value),
      });
    }
  }
  if (query.yearFrom !== undefined) {
    out.push({ param: 'from', facetLabel: 'From', label: String(query.yearFrom), removeUrl: searchHref(changed(query, { yearFrom: undefined })) });
  }
  if (query.yearTo !== undefined) {
    out.push({ param: 'to', facetLabel: 'Until', label: String(query.yearTo), removeUrl: searchHref(changed(query, { yearTo: undefined })) });
  }
  if (query.undatedOnly) {
    out.push({ param: 'undated', facetLabel: 'Year', label: 'Undated only', removeUrl: searchHref(changed(query, { undatedOnly: undefined })) });
  }
  return out;
}

export function relaxationViews(query: SearchQuery, relaxations: FilterRelaxation[], labels: LabelLookup): RelaxationView[] {
  return relaxations
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((r): RelaxationView => {
      if (r.facet === 'year') {
        const label = query.undatedOnly ? 'Year: undated only' : `Years: ${yearRangeText(query)}`;
        return { facet: 'year', value: r.value, label, count: r.count, countText: resultsText(r.count), href: searchHref(changed(query, noYears)) };
      }
      return {
        facet: r.facet,
        value: r.value,
        label: `${FACET_LABELS[r.facet]}: ${facetValueLabel(r.facet, r.value, labels)}`,
        count: r.count,
        countText: resultsText(r.count),
        href: removeFacetValueHref(query, r.facet, r.value),
      };
    });
}

function yearRangeText(query: SearchQuery): string {
  if (query.yearFrom !== undefined && query.yearTo !== undefined) return `${query.yearFrom}–${query.yearTo}`;
  if (query.yearFrom !== undefined) return `from ${query.yearFrom}`;
  if (query.yearTo !== undefined) return `until ${query.yearTo}`;
  return 'any';
}

export function suggestionView(query: SearchQuery, suggestion: SearchOutcome['suggestion']): SuggestionView | undefined {
  if (!suggestion) return undefined;
  return {
    text: suggestion.text,
    total: suggestion.total,
    totalText: resultsText(suggestion.total),
    href: searchHref(withText(query, suggestion.text)),
  };
}

// ---------------------------------------------------------------------------------------------
// Sort, page size, pagination

const SORT_LABELS: Record<SortOrder, string> = { relevance: 'Relevance', newest: 'Newest first', oldest: 'Oldest first' };

export function sortOptions(query: SearchQuery): SortOptionView[] {
  const implicit = defaultSort(query.text);
  // Relevance means nothing without words, so browsing offers only the date orders.
  const orders: SortOrder[] = implicit === 'relevance' ? ['relevance', 'newest', 'oldest'] : ['newest', 'oldest'];
  return orders.map((sort) => ({
    value: sort === implicit ? '' : sort,
    label: SORT_LABELS[sort],
    selected: query.sort === sort,
    url: searchHref(changed(query, { sort })),
  }));
}

export function pageSizeOptions(query: SearchQuery): PageSizeOptionView[] {
  const sizes: number[] = [...PAGE_SIZES];
  if (!sizes.includes(query.size)) sizes.push(query.size);
  return sizes
    .sort((a, b) => a - b)
    .map((size) => ({
      value: size,
      param: size === DEFAULT_PAGE_SIZE ? '' : String(size),
      selected: size === query.size,
      url: searchHref(changed(query, { size })),
    }));
}

/** The last page a visitor can reach: bounded by the results and by the engine's result window. */
export function lastPageFor(total: number, size: number): number {
  return Math.min(Math.ceil(total / size), Math.floor(MAX_RESULT_WINDOW / size));
}

export function pagination(query: SearchQuery, total: number, window = 2): PaginationView {
  const lastPage = lastPageFor(total, query.size);
  const page = query.page;
  const at = (p: number) => searchHref({ ...query, page: p });
  const view: PaginationView = {
    page,
    lastPage,
    items: [],
    capped: total > lastPage * query.size,
    outOfRange: total > 0 && page > lastPage,
    lastPageUrl: lastPage > 0 ? at(lastPage) : undefined,
  };
  if (lastPage === 0 || view.outOfRange) return view;
  if (page > 1) view.prevUrl = at(page - 1);
  if (page < lastPage) view.nextUrl = at(page + 1);
  if (lastPage === 1) return view;

  const pages = new Set<number>([1, lastPage]);
  for (let p = Math.max(1, page - window); p <= Math.min(lastPage, page + window); p++) pages.add(p);
  let previous = 0;
  for (const p of [...pages].sort((a, b) => a - b)) {
    if (p - previous === 2) view.items.push({ kind: 'page', page: p - 1, url: at(p - 1), current: false });
    else if (p - previous > 2) view.items.push({ kind: 'gap' });
    view.items.push({ kind: 'page', page: p, url: at(p), current: p === page });
    previous = p;
  }
  return view;
}

// ---------------------------------------------------------------------------------------------
// Hits and resources

export function resourceHref(id: string): string {
  return `/resources/${encodeURIComponent(id)}`;
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

const MAX_HIT_COUNTRIES = 3;

/** "Tagged: Qatar (Gulf Cooperation Council), Domestic work". */
export function taggedText(matches: readonly TagMatch[] | undefined, labels: LabelLookup): string | undefined {
  if (!matches || matches.length === 0) return undefined;
  const label = (field: TagMatch['field'], value: string): string =>
    (field === 'countries' ? labels.countryLabel(value) : field === 'regions' ? labels.regionLabel(value) : labels.themeLabel(value)) ?? value;
  const parts = matches.map((m) => (m.via ? `${label(m.field, m.value)} (${label(m.via.field, m.via.value)})` : label(m.field, m.value)));
  return `Tagged: ${parts.join(', ')}`;
}

/** The notice above a partial match. */
export function partialNoticeText(partial: PartialMatch): string {
  const terms = partial.terms.map((t) => `“${t}”`);
  const list = terms.length <= 2 ? terms.join(' and ') : `${terms.slice(0, -1).join(', ')} and ${terms[terms.length - 1]}`;
  return `No publication has all of ${list}; showing those with most of them.`;
}

export function hitView(hit: SearchHit, position: number, labels: LabelLookup, tagged?: readonly TagMatch[]): HitView {
  const doc = hit.document;
  const marked = stripHighlight(hit.title).trim() === '' ? doc.title : hit.title;
  const untitled = stripHighlight(marked).trim() === '';
  const titleText = untitled ? 'Untitled' : stripHighlight(marked);
  const meta: string[] = [];
  if (doc.type) meta.push(doc.type);
  if (doc.publisher) meta.push(doc.publisher);
  meta.push(doc.year !== undefined ? String(doc.year) : 'Undated');
  if (doc.countries.length > 0) {
    const names = doc.countries.slice(0, MAX_HIT_COUNTRIES).map((c) => labels.countryLabel(c) ?? c);
    const extra = doc.countries.length - MAX_HIT_COUNTRIES;
    meta.push(extra > 0 ? `${names.join(', ')} and ${extra} more` : names.join(', '));
  }
  if (doc.languages.some((l) => l !== 'en')) meta.push(doc.languages.map(languageLabel).join(', '));
  return {
    id: hit.id,
    position,
    href: resourceHref(hit.id),
    titleHtml: untitled ? 'Untitled' : renderHighlight(marked),
    titleText,
    snippetsHtml: hit.snippets.map(renderHighlight).filter((html) => html.trim() !== ''),
    meta,
    originalUrl: safeExternalUrl(doc.url),
    taggedText: taggedText(tagged, labels),
  };
}

// ---------------------------------------------------------------------------------------------
// The search page


export function searchPageView(outcome: SearchOutcome, labels: LabelLookup, siteName = 'Corridor'): SearchPageView {
  const { query, result } = outcome;
  const text = query.text.trim();
  const filtered = hasFilters(query);
  const browsing = text === '' && !filtered;
  const total = result.total;
  const firstPosition = (query.page - 1) * query.size + 1;
  const hits = result.hits.map((hit, i) => hitView(hit, firstPosition + i, labels, outcome.tagged[hit.id]));
  const heading = text !== '' ? `Results for “${text}”` : filtered ? 'Filtered resources' : 'Latest resources';

  let rangeText = '';
  if (hits.length > 0) {
    const last = firstPosition + hits.length - 1;
    const order = query.sort === 'relevance' ? 'best matches first' : SORT_LABELS[query.sort].toLowerCase();
    rangeText = `Showing ${formatCount(firstPosition)}–${formatCount(last)} of ${formatCount(total)}, ${order}`;
  }

  const filterCount = FACET_NAMES.reduce((n, f) => n + query.filters[f].length, 0) + (query.yearFrom !== undefined || query.yearTo !== undefined || query.undatedOnly ? 1 : 0);
  const chipList = chips(query, labels);
  const countText = resultsText(total);
  return {
    documentTitle: browsing
      ? `Latest resources – ${siteName}`
      : `${text !== '' ? `“${text}”` : 'Filtered resources'} – ${countText} – ${siteName}`,
    heading,
    countText,
    rangeText,
    browsing,
    query: { text: query.text, sort: query.sort, size: query.size, page: query.page },
    total,
    hits,
    facets: facetGroups(outcome, labels),
    year: yearFacetView(result.years, query),
    chips: chipList,
    clearAllUrl: chipList.length > 1 ? searchHref({ size: query.size }) : undefined,
    sortOptions: sortOptions(query),
    pageSizes: pageSizeOptions(query),
    pagination: pagination(query, total),
    noResults: total === 0,
    reading: outcome.reading,
    partialNotice: outcome.partial ? partialNoticeText(outcome.partial) : undefined,
    suggestion: suggestionView(query, outcome.suggestion),
    relaxations: relaxationViews(query, outcome.relaxations, labels),
    robots: filterCount > 2 || query.page > 1 || total === 0 ? 'noindex, follow' : undefined,
    canonicalUrl: searchHref({ ...query, sort: defaultSort(query.text), size: DEFAULT_PAGE_SIZE }),
    feeds: { rss: feedHref(query, 'rss'), atom: feedHref(query, 'atom') },
    exports: EXPORT_FORMATS.map((f) => {
      const qs = toSearchParams(query);
      const all = toSearchParams({ ...query, page: 1 });
      all.set('scope', 'all');
      return { label: f.label, pageHref: `/export.${f.extension}${qs.size > 0 ? `?${qs}` : ''}`, allHref: `/export.${f.extension}?${all}` };
    }),
    exportAllLabel: total > EXPORT_LIMIT ? `The first ${formatCount(EXPORT_LIMIT)} results` : 'All results',
  };
}

// ---------------------------------------------------------------------------------------------
// The resource page

export interface TagView {
  value: string;
  label: string;
  given: boolean;
  found: boolean;
  /** Regions only: follows from the record's countries. */
  derived: boolean;
  /** "given by the source", "found in the text", "from its countries", joined with "and". */
  provenance: string;
  searchUrl: string;
}

export interface ResourceView {
  id: string;
  title: string;
  documentTitle: string;
  abstract?: string;
  originalUrl?: string;
  /** The URL as given when it is not a safe link (shown as text, never linked). */
  unsafeUrl?: string;
  authors: string[];
  /** As the source wrote it, and each publisher it names with a link to its publications. */
  publisher?: { name: string; each: { name: string; searchUrl: string }[] };
  type?: { name: string; searchUrl: string };
  published?: string;
  year?: number;
  languages: { code: string; label: string; searchUrl: string }[];
  doi?: { value: string; url: string };
  countries: TagView[];
  regions: TagView[];
  themes: TagView[];
  /** Origin → destination pairs its text states, each linking to its search. */
  corridors: { value: string; label: string; searchUrl: string }[];
  keywords: { value: string; searchUrl?: string }[];
  source?: string;
}

/** A related publication listed on a record's page. */
export interface RelatedView {
  href: string;
  title: string;
  /** Type, publisher, year ("Undated"). */
  meta: string[];
}

export function relatedViews(docs: readonly ResourceDocument[]): RelatedView[] {
  return docs.map((d) => ({
    href: resourceHref(d.id),
    title: d.title.trim() || 'Untitled',
    meta: [d.type, d.publisher, d.year !== undefined ? String(d.year) : 'Undated'].filter((m): m is string => m !== undefined && m !== ''),
  }));
}

/** Longer keywords are shown without a search link (a link must never lead to a 400). */
const MAX_KEYWORD_LINK = 200;

const monthFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: 'long' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });

/** "2021" → "2021", "2021-03" → "March 2021", "2021-03-05" → "5 March 2021"; anything else as given. */
export function formatPublished(published: string | undefined): string | undefined {
  if (!published) return undefined;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(published);
  if (!m) return published;
  const [, y, mo, d] = m;
  if (!mo) return y;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, d ? Number(d) : 1));
  if (Number.isNaN(date.getTime())) return published;
  return (d ? dayFormat : monthFormat).format(date);
}

function provenanceText(given: boolean, found: boolean, derived: boolean): string {
  const parts: string[] = [];
  if (given) parts.push('given by the source');
  if (found) parts.push('found in the text');
  if (derived) parts.push('from its countries');
  return parts.join(' and ');
}

function tagViews(
  facet: 'country' | 'region' | 'theme',
  values: string[],
  tagging: TagProvenance & { derived?: string[] },
  labels: LabelLookup,
): TagView[] {
  return values.map((value) => {
    const given = tagging.given.includes(value);
    const found = tagging.found.includes(value);
    const derived = tagging.derived?.includes(value) ?? false;
    return {
      value,
      label: facetValueLabel(facet, value, labels),
      given,
      found,
      derived,
      provenance: provenanceText(given, found, derived),
      searchUrl: searchHref({ filters: { [facet]: [value] } }),
    };
  });
}

export function resourceView(doc: ResourceDocument, labels: LabelLookup, siteName = 'Corridor'): ResourceView {
  const title = doc.title.trim() || 'Untitled';
  const originalUrl = safeExternalUrl(doc.url);
  return {
    id: doc.id,
    title,
    documentTitle: `${title} – ${siteName}`,
    abstract: doc.abstract?.trim() || undefined,
    originalUrl,
    unsafeUrl: doc.url && !originalUrl ? doc.url : undefined,
    authors: doc.authors,
    publisher: doc.publisher
      ? { name: doc.publisher, each: doc.publishers.map((p) => ({ name: p, searchUrl: searchHref({ filters: { publisher: [p] } }) })) }
      : undefined,
    type: doc.type ? { name: doc.type, searchUrl: searchHref({ filters: { type: [doc.type] } }) } : undefined,
    published: formatPublished(doc.published),
    year: doc.year,
    languages: doc.languages.map((code) => ({ code, label: languageLabel(code), searchUrl: searchHref({ filters: { language: [code] } }) })),
    doi: doc.doi ? { value: doc.doi, url: doiUrl(doc.doi) } : undefined,
    countries: tagViews('country', doc.countries, doc.tagging.countries, labels),
    regions: tagViews('region', doc.regions, doc.tagging.regions, labels),
    themes: tagViews('theme', doc.themes, doc.tagging.themes, labels),
    corridors: doc.corridors.map((value) => ({ value, label: corridorLabel(value, labels), searchUrl: searchHref({ filters: { corridor: [value] } }) })),
    // Keywords are free text: quoting them makes the search a phrase, which is what they are.
    keywords: doc.keywords.map((k) => ({
      value: k,
      searchUrl: k.length <= MAX_KEYWORD_LINK ? searchHref({ text: `"${k.replace(/"/g, '')}"` }) : undefined,
    })),
    source: doc.source,
  };
}
