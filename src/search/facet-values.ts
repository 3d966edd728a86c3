/**
 * Facet values as visitors see them: their labels, the order they are listed in, and which ones
 * a typed prefix finds. Pure. Both engines list values through these functions, so a facet reads
 * the same on either: most results first, equal counts A–Z by label (not by code: "Oman" and
 * "Türkiye" sort by their names, not by OMN and TUR).
 */
import { FACET_FIELDS, type TagLabels } from './fields';
import { languageLabel } from './languages';
import type { FacetName, FacetValue, FacetValueOrder } from './types';
import { corridorLabel } from './vocabulary/corridors';
import { completionKey, prefixMatch } from './completion';

/** The display label of a facet value. */
export type FacetLabeller = (facet: FacetName, value: string) => string;

export function facetLabeller(labels: TagLabels): FacetLabeller {
  return (facet, value) => {
    switch (FACET_FIELDS[facet].labelKind) {
      case 'country':
        return labels.countryLabel(value) ?? value;
      case 'region':
        return labels.regionLabel(value) ?? value;
      case 'theme':
        return labels.themeLabel(value) ?? value;
      case 'corridor':
        return corridorLabel(value, (c) => labels.countryLabel(c));
      case 'language':
        return languageLabel(value);
      case 'self':
        // Types and publishers are stored as their display labels.
        return value;
    }
  };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts values in place: by count (descending) then label, or by label then count. The value
 * itself breaks the last ties, so the order is total and stable across engines.
 */
export function sortFacetValues<T extends { value: string; count: number }>(
  values: T[],
  order: FacetValueOrder,
  label: (value: string) => string,
): T[] {
  const labels = new Map<string, string>();
  const labelOf = (v: string): string => {
    let l = labels.get(v);
    if (l === undefined) {
      l = label(v);
      labels.set(v, l);
    }
    return l;
  };
  // Labels are compared only when they decide: most values of a listing by count differ in count.
  const byLabel = (a: T, b: T): number => collator.compare(labelOf(a.value), labelOf(b.value));
  return values.sort((a, b) => {
    const byCount = b.count - a.count;
    const first = order === 'count' ? byCount || byLabel(a, b) : byLabel(a, b) || byCount;
    return first || byCodeUnits(a.value, b.value);
  });
}

/**
 * Whether a label has a word starting with the typed prefix, ignoring case, accents and
 * punctuation: "kor" finds "Republic of Korea", "cote d" finds "Côte d'Ivoire", "un w" finds
 * "UN Women". An empty prefix finds everything.
 */
export function prefixMatcher(prefix: string | undefined): (label: string) => boolean {
  const wanted = completionKey(prefix ?? '');
  if (wanted === '') return () => true;
  return (label) => prefixMatch(label, wanted) !== undefined;
}

/**
 * The page of a facet's values a request asks for. `counted` are the values with their
 * disjunctive counts (count > 0); selected values are listed even when no document has them (so
 * they can be unselected), provided they match the prefix.
 */
export function facetValuesPage(args: {
  facet: FacetName;
  counted: readonly { value: string; count: number }[];
  selected: readonly string[];
  prefix?: string;
  order: FacetValueOrder;
  offset: number;
  limit: number;
  label: FacetLabeller;
}): { facet: FacetName; total: number; values: FacetValue[] } {
  const label = (value: string) => args.label(args.facet, value);
  const matches = prefixMatcher(args.prefix);
  const chosen = new Set(args.selected);
  const listed = new Map<string, FacetValue>();
  for (const { value, count } of args.counted) {
    if (count > 0 && matches(label(value))) listed.set(value, { value, count, selected: chosen.has(value) });
  }
  for (const value of chosen) {
    if (!listed.has(value) && matches(label(value))) listed.set(value, { value, count: 0, selected: true });
  }
  const all = sortFacetValues([...listed.values()], args.order, label);
  return { facet: args.facet, total: all.length, values: all.slice(args.offset, args.offset + args.limit) };
}

/**
 * A search result's listing of one facet: the top `listLimit` values by count (at the cut, equal
 * counts are decided by the value itself, a rule Elasticsearch's terms aggregation applies
 * exactly), listed by count then label, then every selected value not among them with its count
 * (0 when no document has it).
 */
export function listedFacetValues(args: {
  facet: FacetName;
  counted: readonly { value: string; count: number }[];
  selected: readonly string[];
  label: FacetLabeller;
}): FacetValue[] {
  const label = (value: string) => args.label(args.facet, value);
  const chosen = new Set(args.selected);
  const positive = args.counted.filter((v) => v.count > 0);
  const top = [...positive]
    .sort((a, b) => b.count - a.count || byCodeUnits(a.value, b.value))
    .slice(0, FACET_FIELDS[args.facet].listLimit)
    .map((v) => ({ value: v.value, count: v.count, selected: chosen.has(v.value) }));
  const listed = sortFacetValues(top, 'count', label);
  for (const value of args.selected) {
    if (listed.some((l) => l.value === value)) continue;
    listed.push({ value, count: positive.find((v) => v.value === value)?.count ?? 0, selected: true });
  }
  return listed;
}
