/**
 * Picks the first `limit` hits of a match set in the requested order without sorting all of it:
 * a page deep in a 500,000-match result still only keeps `limit` entries.
 */
import type { FacetIndex } from './facet-index';

/**
 * Returns positions in `matched` of the first `limit` hits. Lower key first; ties by rowid
 * ascending so the order is stable across runs.
 */
export function orderHits(
  matched: Uint32Array,
  keyOf: (i: number) => number,
  limit: number,
): Uint32Array {
  const k = Math.min(limit, matched.length);
  const keys = new Float64Array(k);
  const rows = new Uint32Array(k);
  const picks = new Uint32Array(k);
  let n = 0;
  for (let i = 0; i < matched.length; i++) {
    const key = keyOf(i);
    const row = matched[i];
    if (n === k) {
      const lastKey = keys[k - 1];
      if (key > lastKey || (key === lastKey && row > rows[k - 1])) continue;
    }
    // Binary search for the insertion point.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < key || (keys[mid] === key && rows[mid] < row)) lo = mid + 1;
      else hi = mid;
    }
    const end = n === k ? k - 1 : n;
    keys.copyWithin(lo + 1, lo, end);
    rows.copyWithin(lo + 1, lo, end);
    picks.copyWithin(lo + 1, lo, end);
    keys[lo] = key;
    rows[lo] = row;
    picks[lo] = i;
    if (n < k) n++;
  }
  return picks.subarray(0, n);
}

/**
 * The first `limit` matched rowids by date, walking the precomputed date order instead of
 * sorting the match set: newest descends through the dated ones, oldest ascends; undated last.
 */
export function firstByDate(index: Pick<FacetIndex, 'byDate' | 'datedCount'>, passes: (rowid: number) => boolean, sort: 'newest' | 'oldest', limit: number): number[] {
  const out: number[] = [];
  const { byDate, datedCount } = index;
  if (sort === 'newest') {
    for (let i = datedCount - 1; i >= 0 && out.length < limit; i--) if (passes(byDate[i])) out.push(byDate[i]);
  } else {
    for (let i = 0; i < datedCount && out.length < limit; i++) if (passes(byDate[i])) out.push(byDate[i]);
  }
  for (let i = datedCount; i < byDate.length && out.length < limit; i++) if (passes(byDate[i])) out.push(byDate[i]);
  return out;
}
