/**
 * The year facet as a histogram visitors drill into: decades (or centuries) first, a decade's
 * single years once it is chosen. Every bar is a link to that range, drawn in HTML and CSS (its
 * length is one of 21 classes: the CSP allows no inline style), so it needs no script. Pure.
 *
 * The year counts are disjunctive (they ignore the year range itself), so the bars around the
 * chosen range stay visible and clickable.
 */
import type { SearchQuery, YearFacet } from '../search/types';
import { formatCount, resultsText } from './format';

/** At most this many bars: the smallest of these bucket sizes that fits is used. */
const MAX_BARS = 16;
const BUCKET_SIZES = [1, 10, 100, 1000] as const;
/** Bar lengths are drawn in steps of 1/BAR_STEPS of the longest. */
export const BAR_STEPS = 20;

export interface YearBarView {
  /** "2015", "2010s", "1900–1999". */
  label: string;
  from: number;
  to: number;
  count: number;
  countText: string;
  /** What a screen reader says for the bar: "2010s, 57 results". */
  spoken: string;
  /** The range as a search; none when nothing is in it. */
  url?: string;
  selected: boolean;
  /** 0 … BAR_STEPS: the bar's length class. */
  length: number;
}

export interface YearFacetView {
  from?: number;
  to?: number;
  /** Oldest and newest years with results (input hints). */
  min?: number;
  max?: number;
  /** "by decade", "by year" … (caption of the histogram). */
  caption: string;
  bars: YearBarView[];
  /** Back up the drill-down: "All years", then the decade of a chosen year. */
  trail: { label: string; url: string }[];
  undated: {
    count: number;
    countText: string;
    /** Only undated resources are shown. */
    only: boolean;
    /** Undated resources are shown besides the year range. */
    included: boolean;
    /** Toggles "undated only" (replacing any year range). */
    onlyUrl: string;
    /** A year range is chosen, so "also undated" means something. */
    canInclude: boolean;
  };
  /** Removes the year range and the undated choices. */
  clearUrl?: string;
}

type YearChange = Pick<SearchQuery, 'yearFrom' | 'yearTo' | 'undatedOnly' | 'includeUndated'>;

function bucketLabel(start: number, size: number): string {
  if (size === 1) return String(start);
  if (size === 10) return `${start}s`;
  return `${start}–${start + size - 1}`;
}

/** The years the histogram spans: the chosen range (a single decade at least), else every year with results. */
function scope(query: SearchQuery, min: number, max: number): [number, number] {
  let lo = query.yearFrom ?? min;
  let hi = query.yearTo ?? max;
  if (query.yearFrom === undefined && query.yearTo === undefined) return [min, max];
  if (hi - lo < 9 && Math.floor(lo / 10) === Math.floor(hi / 10)) {
    // One year or a few of one decade: show that decade's years around them.
    lo = Math.floor(lo / 10) * 10;
    hi = lo + 9;
  }
  return [lo, hi];
}

export function yearFacetView(years: YearFacet, query: SearchQuery, href: (change: YearChange) => string): YearFacetView {
  const dated = years.years.filter((y) => y.count > 0).sort((a, b) => a.year - b.year);
  const countByYear = new Map(dated.map((y) => [y.year, y.count]));
  const min = dated[0]?.year;
  const max = dated[dated.length - 1]?.year;
  const keepUndated = { undatedOnly: undefined, includeUndated: query.includeUndated };
  const bars: YearBarView[] = [];
  let caption = '';

  if (min !== undefined && max !== undefined) {
    const [lo, hi] = scope(query, min, max);
    const size = BUCKET_SIZES.find((s) => Math.floor(hi / s) - Math.floor(lo / s) + 1 <= MAX_BARS) ?? 1000;
    caption = size === 1 ? 'by year' : size === 10 ? 'by decade' : size === 100 ? 'by century' : 'by millennium';
    for (let start = Math.floor(lo / size) * size; start <= hi; start += size) {
      let count = 0;
      for (let y = start; y < start + size; y++) count += countByYear.get(y) ?? 0;
      const to = start + size - 1;
      const label = bucketLabel(start, size);
      bars.push({
        label,
        from: start,
        to,
        count,
        countText: formatCount(count),
        spoken: `${label}, ${resultsText(count)}`,
        url: count > 0 ? href({ yearFrom: start, yearTo: to, ...keepUndated }) : undefined,
        selected: !query.undatedOnly && query.yearFrom === start && query.yearTo === to,
        length: 0,
      });
    }
    const longest = Math.max(1, ...bars.map((b) => b.count));
    for (const bar of bars) bar.length = bar.count === 0 ? 0 : Math.max(1, Math.round((bar.count / longest) * BAR_STEPS));
  }

  const hasRange = query.yearFrom !== undefined || query.yearTo !== undefined;
  const trail: { label: string; url: string }[] = [];
  const noYears: YearChange = { yearFrom: undefined, yearTo: undefined, undatedOnly: undefined, includeUndated: undefined };
  if (hasRange || query.undatedOnly) trail.push({ label: 'All years', url: href(noYears) });
  if (query.yearFrom !== undefined && query.yearTo !== undefined && query.yearTo - query.yearFrom < 9) {
    const decade = Math.floor(query.yearFrom / 10) * 10;
    if (Math.floor(query.yearTo / 10) * 10 === decade) {
      trail.push({ label: `${decade}s`, url: href({ yearFrom: decade, yearTo: decade + 9, ...keepUndated }) });
    }
  }

  const only = query.undatedOnly === true;
  return {
    from: query.yearFrom,
    to: query.yearTo,
    min,
    max,
    caption,
    bars,
    trail,
    undated: {
      count: years.undated,
      countText: formatCount(years.undated),
      only,
      included: query.includeUndated === true,
      onlyUrl: href(only ? { ...noYears } : { ...noYears, undatedOnly: true }),
      canInclude: hasRange,
    },
    clearUrl: hasRange || only || query.includeUndated ? href(noYears) : undefined,
  };
}
