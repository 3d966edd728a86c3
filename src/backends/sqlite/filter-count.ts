/**
 * Filters a match set by the selected facet values and year range, and counts every facet at
 * once — over sets of rowids (bitset.ts) and the inverted facet arrays (postings.ts), so the
 * work follows the sizes of the sets involved, not the size of the library. Pure.
 *
 * Facet invariant: OR within a facet, AND across facets, and disjunctive counts: a facet's
 * counts apply every other facet's filters but not its own. A document that fails exactly one
 * facet's filter still counts towards that facet (it is what selecting another value would add).
 * The year range is filtered and counted like one more facet.
 */
import { FACET_NAMES, type FacetFilters } from '../../search/types';
import { Bitset } from './bitset';
import { facetKey, MAX_YEAR, type FacetIndex } from './facet-index';
import { postingSet, type Postings } from './postings';

/** The year range's place among the filters. */
const YEAR = FACET_NAMES.length;

export interface Selection {
  filters: FacetFilters;
  yearFrom?: number;
  yearTo?: number;
  undatedOnly?: boolean;
  includeUndated?: boolean;
}

export interface Counts {
  /** Per value id. */
  valueCounts: Uint32Array;
  /** Per year (index = year); index 0 = undated. */
  yearCounts: Uint32Array;
}

export interface FilterResult extends Counts {
  /** The documents of the candidates that pass every filter. */
  matched: Bitset;
}

export interface FilterInput {
  index: FacetIndex;
  postings: Postings;
  candidates: Bitset;
  /** The candidates are every document (browsing): counts over every document can be reused. */
  everything: boolean;
  /** The counts of every document, when known (computed once per generation). */
  global?: Counts;
}

/** One filter: the facet (or the year) it applies to and the documents that pass it. */
interface Filter {
  slot: number;
  passes: Bitset;
}

export function hasSelection(selection: Selection): boolean {
  return (
    FACET_NAMES.some((f) => selection.filters[f].length > 0) ||
    selection.undatedOnly === true ||
    selection.yearFrom !== undefined ||
    selection.yearTo !== undefined
  );
}

export function filterAndCount(input: FilterInput, selection: Selection): FilterResult {
  const { index, candidates } = input;
  const filters = filtersOf(input, selection);
  const counts: Counts = { valueCounts: new Uint32Array(index.valueName.length), yearCounts: new Uint32Array(MAX_YEAR + 1) };

  const matched = candidates.clone();
  for (const f of filters) matched.and(f.passes);
  countAll(index, matched, counts);

  for (const f of filters) {
    const others = filters.filter((g) => g !== f);
    if (others.length === 0 && input.everything && input.global) {
      // Only this facet is filtered and every document is a candidate: its counts are those of the whole library.
      copySlot(index, input.global, counts, f.slot);
      continue;
    }
    // The documents that fail this filter alone count towards it.
    const failingOnlyThis = candidates.clone();
    for (const g of others) failingOnlyThis.and(g.passes);
    failingOnlyThis.andNot(f.passes);
    countSlot(index, failingOnlyThis, counts, f.slot);
  }
  return { matched, ...counts };
}

/** The candidates that pass every filter, no facet counted. */
export function passing(input: FilterInput, selection: Selection): Bitset {
  const set = input.candidates.clone();
  for (const f of filtersOf(input, selection)) set.and(f.passes);
  return set;
}

/** Counts of every facet and year over a set (the library's counts, once per generation). */
export function countsOf(index: FacetIndex, set: Bitset): Counts {
  const counts: Counts = { valueCounts: new Uint32Array(index.valueName.length), yearCounts: new Uint32Array(MAX_YEAR + 1) };
  countAll(index, set, counts);
  return counts;
}

function filtersOf(input: FilterInput, selection: Selection): Filter[] {
  const { index, postings, candidates } = input;
  const filters: Filter[] = [];
  FACET_NAMES.forEach((facet, slot) => {
    const chosen = selection.filters[facet];
    if (chosen.length === 0) return;
    // A selected value no document has matches nothing: the facet is still a filter.
    const ids = chosen.map((v) => index.valueId.get(facetKey(facet, v))).filter((id): id is number => id !== undefined);
    filters.push({ slot, passes: postingSet(postings, ids, candidates.size) });
  });
  const yearSet = yearPasses(index, selection, candidates.size);
  if (yearSet) filters.push({ slot: YEAR, passes: yearSet });
  return filters;
}

/**
 * The documents in the year range: a slice of the date order (dated documents ascend by date,
 * so a year range is contiguous), and the undated ones after them when asked for.
 */
function yearPasses(index: FacetIndex, selection: Selection, size: number): Bitset | undefined {
  const ranged = selection.yearFrom !== undefined || selection.yearTo !== undefined;
  if (!ranged && !selection.undatedOnly) return undefined;
  const set = new Bitset(size);
  const { byDate, datedCount, year } = index;
  if (!selection.undatedOnly) {
    const from = selection.yearFrom ?? 1;
    const to = selection.yearTo ?? MAX_YEAR;
    const lo = firstAtLeast(byDate, datedCount, year, from);
    const hi = firstAtLeast(byDate, datedCount, year, to + 1);
    set.addAll(byDate.subarray(lo, hi));
  }
  if (selection.undatedOnly || selection.includeUndated) set.addAll(byDate.subarray(datedCount));
  return set;
}

/** The first position among the dated entries of byDate whose year is at least y. */
function firstAtLeast(byDate: Uint32Array, datedCount: number, year: Uint16Array, y: number): number {
  let lo = 0;
  let hi = datedCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (year[byDate[mid]] < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countAll(index: FacetIndex, set: Bitset, counts: Counts): void {
  const { offsets, values, year } = index;
  const { valueCounts, yearCounts } = counts;
  set.forEach((r) => {
    for (let k = offsets[r]; k < offsets[r + 1]; k++) valueCounts[values[k]]++;
    yearCounts[year[r]]++;
  });
}

/** Counts one facet (or the year) only, over a set. */
function countSlot(index: FacetIndex, set: Bitset, counts: Counts, slot: number): void {
  const { offsets, values, valueFacet, year } = index;
  if (slot === YEAR) {
    set.forEach((r) => counts.yearCounts[year[r]]++);
    return;
  }
  set.forEach((r) => {
    for (let k = offsets[r]; k < offsets[r + 1]; k++) if (valueFacet[values[k]] === slot) counts.valueCounts[values[k]]++;
  });
}

/** Sets one facet's (or the year's) counts to those of other counts (the matched documents' included). */
function copySlot(index: FacetIndex, from: Counts, to: Counts, slot: number): void {
  if (slot === YEAR) {
    to.yearCounts.set(from.yearCounts);
    return;
  }
  for (let v = 0; v < from.valueCounts.length; v++) if (index.valueFacet[v] === slot) to.valueCounts[v] = from.valueCounts[v];
}
