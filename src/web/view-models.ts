/**
 * Pure functions from search results to what the templates (and the JSON API) need. No I/O,
 * no Express: everything here is unit-tested with hand-made SearchOutcome objects.
 *
 * Every link is built from the SearchQuery with toSearchParams() (src/web/links.ts), the
 * inverse of the URL parser, so a link means exactly what the page that produced it means, minus
 * or plus one change. Every change resets the page to 1: page N of another result set is
 * meaningless.
 */
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, toSearchParams, type ParamNotice } from '../search/params';
import { defaultSort, MAX_RESULT_WINDOW } from '../search/result-rules';
import type { FilterRelaxation, PartialMatch, SearchOutcome } from '../search/search-service';
import type { TagMatch } from '../search/tag-explanation';
import {
  FACET_NAMES,
  hasFilters,
  type FacetName,
  type ResourceDocument,
  type SearchHit,
  type SearchQuery,
  type SortOrder,
  type TagProvenance,
} from '../search/types';
import { doiUrl } from '../search/doi';
import { facetGroups, type FacetGroupView } from './facet-views';
import { formatCount, resultsText } from './format';
import { renderHighlight } from './highlight';
import { corridorLabel, FACET_LABELS, facetValueLabel, languageLabel, type LabelLookup } from './labels';
import { changed, removeFacetValueHref, resourceHref, resultsHref as resultsHrefOf, safeExternalUrl, searchHref, withText } from './links';
import { resultHref } from './result-context';
import type { SiteVocabulary } from './site-vocabulary';
import { yearFacetView, type YearFacetView } from './year-views';
import { EXPORT_FORMATS, EXPORT_LIMIT } from './citation/formats';
import { feedHref } from './feed-links';

export { FACET_VISIBLE_VALUES, facetGroups, type FacetGroupView, type FacetValueView } from './facet-views';
export { formatCount, resultsText } from './format';
export { corridorLabel, FACET_LABELS, facetValueLabel, languageLabel, type LabelLookup } from './labels';
export { SEARCH_PATH, removeFacetValueHref, resourceHref, safeExternalUrl, searchHref, toggleFacetHref } from './links';
export { yearFacetView, type YearFacetView } from './year-views';

const noYears = { yearFrom: undefined, yearTo: undefined, undatedOnly: undefined, includeUndated: undefined };

// ---------------------------------------------------------------------------------------------
// View types

export interface ChipView {
  param: string;
  facetLabel: string;
  label: string;
  removeUrl: string;
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
  /** lang of the title and snippet, when the record is in another language than the page. */
  lang?: string;
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
  /** Filters in use (the "Filters (n)" control on phones). */
  filterCount: number;
  /** What in the address was read differently from how it was written (inverted years …). */
  notices: ParamNotice[];
  /** This search as feeds, newest first. */
  feeds: { rss: string; atom: string };
  /** This page, and the whole result up to the export limit, in each citation format. */
  exports: { label: string; pageHref: string; allHref: string }[];
  /** "All results", or "The first 2,000 results" past the export limit. */
  exportAllLabel: string;
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
  if (query.includeUndated && (query.yearFrom !== undefined || query.yearTo !== undefined)) {
    out.push({ param: 'undated', facetLabel: 'Year', label: 'and undated', removeUrl: searchHref(changed(query, { includeUndated: undefined })) });
  }
  return out;
}

export function relaxationViews(query: SearchQuery, relaxations: FilterRelaxation[], labels: LabelLookup): RelaxationView[] {
  return relaxations
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((r): RelaxationView => {
      if (r.facet === 'year') {
        const label = query.undatedOnly
          ? 'Year: undated only'
          : `Years: ${yearRangeText(query)}${query.includeUndated ? ' and undated' : ''}`;
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


const MAX_HIT_COUNTRIES = 3;

/**
 * The language to mark a record's title and abstract with (WCAG 3.1.2), when it is written in
 * one language other than the page's English. Records in several languages are left unmarked:
 * which part is in which language is not known.
 */
export function textLanguage(doc: Pick<ResourceDocument, 'languages'>): string | undefined {
  return doc.languages.length === 1 && doc.languages[0] !== 'en' ? doc.languages[0] : undefined;
}


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

/**
 * `tagged`: why a record found only through a tag matched. `query`: the search the hit was found
 * by, carried to the resource page (back to results, previous and next).
 */
export function hitView(
  hit: SearchHit,
  position: number,
  labels: LabelLookup,
  tagged?: readonly TagMatch[],
  query?: SearchQuery,
): HitView {
  const doc = hit.document;
  // The engines give every hit its record's title, marked (src/search/result-rules.ts).
  const untitled = doc.title.trim() === '';
  const titleText = untitled ? 'Untitled' : doc.title;
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
    href: query ? resultHref(hit.id, query, position) : resourceHref(hit.id),
    lang: textLanguage(doc),
    titleHtml: untitled ? 'Untitled' : renderHighlight(hit.title),
    titleText,
    snippetsHtml: hit.snippets.map(renderHighlight),
    meta,
    originalUrl: safeExternalUrl(doc.url),
    taggedText: taggedText(tagged, labels),
  };
}

// ---------------------------------------------------------------------------------------------
// The search page

/** "Results for “nepal”", "Filtered resources" or "Latest resources". */
export function searchHeading(query: SearchQuery): string {
  const text = query.text.trim();
  return text !== '' ? `Results for “${text}”` : hasFilters(query) ? 'Filtered resources' : 'Latest resources';
}


export function searchPageView(
  outcome: SearchOutcome,
  labels: SiteVocabulary,
  siteName = 'Corridor',
  notices: ParamNotice[] = [],
): SearchPageView {
  const { query, result } = outcome;
  const text = query.text.trim();
  const filtered = hasFilters(query);
  const browsing = text === '' && !filtered;
  const total = result.total;
  const firstPosition = (query.page - 1) * query.size + 1;
  const hits = result.hits.map((hit, i) => hitView(hit, firstPosition + i, labels, outcome.tagged[hit.id], query));
  const heading = searchHeading(query);

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
    year: yearFacetView(result.years, query, (change) => resultsHrefOf(changed(query, change))),
    filterCount: chipList.filter((c) => c.param !== 'q').length,
    notices,
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
  /** lang of the title and abstract, when the record is in another language than the page. */
  lang?: string;
  abstract?: string;
  originalUrl?: string;
  /**
   * Where the visitor reads the publication: the document itself, or, when the source gave only
   * a site's home page, that site, labelled as the publisher's website (never as the source).
   */
  sourceLink?: SourceLink;
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
  groupings: TagView[];
  themes: TagView[];
  /** Origin → destination pairs its text states, each linking to its search. */
  corridors: { value: string; label: string; searchUrl: string }[];
  keywords: { value: string; searchUrl?: string }[];
  source?: string;
}

export interface SourceLink {
  url: string;
  kind: 'document' | 'website';
  /** "www.ilo.org". */
  host: string;
}

/** Paths that are a site's front page rather than a document: "/", "/en/", "/index.html". */
const FRONT_PAGE_PATH = /^\/(?:[a-z]{2}(?:-[a-z]{2})?\/?|index\.(?:html?|php)|home\/?)?$/i;

/** The record's address as a link: to the document, or only to the publisher's website. */
export function sourceLink(url: string | undefined): SourceLink | undefined {
  const safe = safeExternalUrl(url);
  if (!safe) return undefined;
  const parsed = new URL(safe);
  const frontPage = FRONT_PAGE_PATH.test(parsed.pathname) && parsed.search === '';
  return { url: safe, kind: frontPage ? 'website' : 'document', host: parsed.host };
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
  facet: 'country' | 'region' | 'grouping' | 'theme',
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
    lang: textLanguage(doc),
    abstract: doc.abstract?.trim() || undefined,
    originalUrl,
    sourceLink: sourceLink(doc.url),
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
    groupings: tagViews('grouping', doc.groupings, doc.tagging.regions, labels),
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
