/**
 * The facets beside the results: flat lists (the top values, the rest behind "more", a box to
 * find any value by name, a link to the facet's own page), and the geography facet as a tree,
 * continent → sub-region → country, with counts at every level. Pure.
 */
import { FACET_FIELDS } from '../search/fields';
import type { SearchOutcome } from '../search/search-service';
import { FACET_NAMES, hasFilters, type FacetName, type FacetValue, type SearchQuery } from '../search/types';
import { formatCount } from './format';
import { FACET_LABELS, facetValueLabel, type LabelLookup } from './labels';
import { facetPageHref, RESULTS_ANCHOR, resultsHref, toggleFacetHref } from './links';
import type { SiteVocabulary } from './site-vocabulary';

/** Facet values shown before the "more" disclosure. */
export const FACET_VISIBLE_VALUES = 8;
/** A facet with more values than this gets a box to find a value by name. */
const FINDABLE_FROM = 20;

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

export interface GeoCountryView {
  code: string;
  label: string;
  count: number;
  countText: string;
  selected: boolean;
  /** Adds or removes the country (the tree links countries: their checkboxes are in the Country facet). */
  url: string;
}

export interface GeoNodeView {
  id: string;
  label: string;
  count: number;
  countText: string;
  selected: boolean;
  inputId: string;
  /** Opened when it holds a selected region or country. */
  open: boolean;
  regions: GeoNodeView[];
  countries: GeoCountryView[];
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
  /** The facet's own page: every value, A–Z or by count, for the same search. */
  allUrl: string;
  allText: string;
  /** Worth a find-as-you-type box (shown by the script only). */
  findable: boolean;
  findLabel: string;
  /** The region facet: continents → sub-regions → countries. */
  tree?: GeoNodeView[];
}

export function facetValueViews(
  facet: FacetName,
  values: readonly FacetValue[],
  query: SearchQuery,
  labels: LabelLookup,
  idPrefix = `f-${facet}`,
): FacetValueView[] {
  return values.map((v, i) => ({
    value: v.value,
    label: facetValueLabel(facet, v.value, labels),
    count: v.count,
    countText: formatCount(v.count),
    selected: v.selected,
    toggleUrl: toggleFacetHref(query, facet, v.value),
    inputId: `${idPrefix}-${i}`,
  }));
}

/** "All 67 countries" when the listing is complete, "All publishers" when there may be more. */
function allText(facet: FacetName, listed: number): string {
  const { noun, listLimit } = FACET_FIELDS[facet];
  return listed < listLimit ? `All ${formatCount(listed)} ${listed === 1 ? noun.one : noun.many}` : `All ${noun.many}`;
}

function flatGroup(facet: FacetName, values: FacetValue[], query: SearchQuery, labels: LabelLookup): FacetGroupView {
  // Engines always list selected values (the contract says so): nothing to add here.
  const views = facetValueViews(facet, values, query, labels);
  const shown: FacetValueView[] = [];
  const more: FacetValueView[] = [];
  views.forEach((v, i) => (i < FACET_VISIBLE_VALUES || v.selected ? shown : more).push(v));
  const { noun, listLimit } = FACET_FIELDS[facet];
  return {
    name: facet,
    param: facet,
    label: FACET_LABELS[facet],
    values: shown,
    more,
    selectedCount: query.filters[facet].length,
    allUrl: facetPageHref(facet, query),
    allText: allText(facet, values.length),
    findable: values.length > FINDABLE_FROM || values.length >= listLimit,
    findLabel: `Find a ${noun.one}`,
  };
}

function geoTree(outcome: SearchOutcome, vocab: SiteVocabulary): GeoNodeView[] {
  const { query, result } = outcome;
  const tree = vocab.geography();
  const regionCounts = new Map(result.facets.region.map((v) => [v.value, v.count]));
  const countryCounts = new Map(result.facets.country.map((v) => [v.value, v.count]));
  const selectedRegions = new Set(query.filters.region);
  const selectedCountries = new Set(query.filters.country);
  let n = 0;

  const node = (id: string): GeoNodeView | undefined => {
    const def = tree.node(id);
    if (!def) return undefined;
    const regions = def.regions.map(node).filter((r): r is GeoNodeView => r !== undefined);
    const countries = def.countries
      .filter((c) => (countryCounts.get(c) ?? 0) > 0 || selectedCountries.has(c))
      .map((code): GeoCountryView => {
        const count = countryCounts.get(code) ?? 0;
        const label = facetValueLabel('country', code, vocab);
        const selected = selectedCountries.has(code);
        return {
          code,
          label,
          count,
          countText: formatCount(count),
          selected,
          url: `${toggleFacetHref(query, 'country', code)}#${RESULTS_ANCHOR}`,
        };
      });
    const count = regionCounts.get(id) ?? 0;
    const selected = selectedRegions.has(id);
    // A region the search leaves empty is left out, unless something in it is selected (so it can
    // be unselected); its countries stay reachable in the Country facet.
    const holdsSelection = selected || regions.some((r) => r.open || r.selected) || countries.some((c) => c.selected);
    if (count === 0 && !holdsSelection) return undefined;
    const byCount = <T extends { label: string }>(list: T[], countOf: (t: T) => number) =>
      list.sort((a, b) => countOf(b) - countOf(a) || a.label.localeCompare(b.label, 'en'));
    return {
      id,
      label: facetValueLabel('region', id, vocab),
      count,
      countText: formatCount(count),
      selected,
      inputId: `f-region-${n++}`,
      open: holdsSelection,
      regions: byCount(regions, (r) => r.count),
      countries: byCount(countries, (c) => countryCounts.get(c.code) ?? 0),
    };
  };

  const roots = tree.roots.map(node).filter((r): r is GeoNodeView => r !== undefined);
  return roots.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'en'));
}

export function facetGroups(outcome: SearchOutcome, vocab: SiteVocabulary): FacetGroupView[] {
  return FACET_NAMES.map((facet) => {
    const group = flatGroup(facet, outcome.result.facets[facet] ?? [], outcome.query, vocab);
    if (facet !== 'region') return group;
    // The tree replaces the flat list; selected regions the tree has no place for (none, unless
    // the vocabulary changed since the link was made) stay listed so they can be unselected.
    const tree = geoTree(outcome, vocab);
    const inTree = new Set<string>();
    const walk = (nodes: GeoNodeView[]) => nodes.forEach((n) => (inTree.add(n.id), walk(n.regions)));
    walk(tree);
    const stray = [...group.values, ...group.more].filter((v) => v.selected && !inTree.has(v.value));
    // The tree is browsed, not searched: a country is found in the Country facet.
    return { ...group, tree, values: stray, more: [], findable: false };
  });
}

// ---------------------------------------------------------------------------------------------
// A facet's own page

export const FACET_PAGE_SIZE = 100;

export interface FacetPageView {
  documentTitle: string;
  heading: string;
  facet: FacetName;
  label: string;
  findLabel: string;
  noun: { one: string; many: string };
  /** What the counts are for: "Results for “nepal” with 2 filters", "All resources". */
  scope: string;
  /** Words or filters narrow the counts: the breadcrumb leads back to that search. */
  narrowed: boolean;
  /** Back to the results, unchanged. */
  backUrl: string;
  prefix: string;
  order: 'count' | 'label';
  orders: { label: string; url: string; current: boolean }[];
  /** The search's parameters, carried by both forms (without this facet's values). */
  hidden: { name: string; value: string }[];
  /** Selected values of this facet that are not on this page, so applying keeps them. */
  selectedElsewhere: { name: string; value: string }[];
  values: FacetValueView[];
  total: number;
  totalText: string;
  page: number;
  lastPage: number;
  prevUrl?: string;
  nextUrl?: string;
  /** The form that applies the ticked values goes to the results, landing on the count. */
  applyAction: string;
}

export function facetPageView(args: {
  facet: FacetName;
  query: SearchQuery;
  prefix: string;
  order: 'count' | 'label';
  page: number;
  total: number;
  values: FacetValue[];
  vocab: LabelLookup;
  siteName: string;
  /** The search's parameters as a list (toSearchParams of the query). */
  searchParams: URLSearchParams;
}): FacetPageView {
  const { facet, query, prefix, order, page, total } = args;
  const { noun, label } = FACET_FIELDS[facet];
  const lastPage = Math.max(1, Math.ceil(total / FACET_PAGE_SIZE));
  // Defaults stay out of the address: most results first, page 1, no prefix.
  const link = (to: { order?: 'count' | 'label'; page?: number }) => {
    const params: Record<string, string> = {};
    if (prefix) params.prefix = prefix;
    const o = to.order ?? order;
    if (o !== 'count') params.order = o;
    const p = to.page ?? 1;
    if (p > 1) params.page = String(p);
    return facetPageHref(facet, query, params);
  };
  const values = facetValueViews(facet, args.values, query, args.vocab, `v-${facet}`);
  const onPage = new Set(values.map((v) => v.value));
  const hidden = [...args.searchParams].filter(([name]) => name !== facet && name !== 'page').map(([name, value]) => ({ name, value }));
  const words = query.text.trim();
  // A year range (or "undated only") narrows the counts as a ticked value does.
  const years = query.yearFrom !== undefined || query.yearTo !== undefined || query.undatedOnly === true ? 1 : 0;
  const filters = FACET_NAMES.reduce((n, f) => n + query.filters[f].length, years);
  const narrowed = words !== '' || hasFilters(query);
  const scope =
    (words ? `Results for “${words}”` : narrowed ? 'Filtered resources' : 'All resources') +
    (words && filters > 0 ? ` with ${filters} ${filters === 1 ? 'filter' : 'filters'}` : '');
  const heading = `All ${noun.many}`;
  const found = prefix ? ` matching “${prefix}”` : '';
  return {
    documentTitle: `${heading}${found} – ${args.siteName}`,
    heading,
    facet,
    label,
    findLabel: `Find a ${noun.one}`,
    noun,
    scope,
    narrowed,
    backUrl: resultsHref(query),
    prefix,
    order,
    orders: [
      { label: 'Most results first', url: link({ order: 'count' }), current: order === 'count' },
      { label: 'A–Z', url: link({ order: 'label' }), current: order === 'label' },
    ],
    hidden,
    selectedElsewhere: query.filters[facet].filter((v) => !onPage.has(v)).map((value) => ({ name: facet, value })),
    values,
    total,
    totalText: `${formatCount(total)} ${total === 1 ? noun.one : noun.many}${found}`,
    page,
    lastPage,
    prevUrl: page > 1 ? link({ page: page - 1 }) : undefined,
    nextUrl: page < lastPage ? link({ page: page + 1 }) : undefined,
    applyAction: `/#${RESULTS_ANCHOR}`,
  };
}
