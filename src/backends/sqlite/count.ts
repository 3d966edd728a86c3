/**
 * The number of matches alone (SearchEngine.count): the match set and the filter pass of
 * search(), without ranking, highlights or facet counting. Pure over the facet index.
 */
import { FACET_NAMES } from '../../search/types';
import { facetKey, type FacetIndex, type Selection } from './facet-index';

/**
 * Rowids with at least `minimumMatch` of the clauses ("most of the words"); each clause has
 * the exclusions applied already (fts-query.ts), so these are exactly the partial match set.
 */
export function partialMatchIds(clauses: readonly string[], minimumMatch: number, ids: (match: string) => number[]): Uint32Array {
  const counts = new Map<number, number>();
  for (const clause of clauses) for (const rowid of ids(clause)) counts.set(rowid, (counts.get(rowid) ?? 0) + 1);
  const out: number[] = [];
  for (const [rowid, n] of counts) if (n >= minimumMatch) out.push(rowid);
  return Uint32Array.from(out);
}

/** How many candidates pass every filter: OR within a facet, AND across facets and the year range. */
export function countPassing(index: FacetIndex, candidates: Uint32Array, selection: Selection): number {
  // Per value id, the bit of its facet when the value is selected; every facet with a selection must be satisfied.
  const wanted = new Uint32Array(index.valueName.length);
  let required = 0;
  FACET_NAMES.forEach((facet, f) => {
    const chosen = selection.filters[facet];
    if (chosen.length === 0) return;
    // A selected value no document has can match nothing: the facet is still required.
    required |= 1 << f;
    for (const value of chosen) {
      const id = index.valueId.get(facetKey(facet, value));
      if (id !== undefined) wanted[id] = 1 << f;
    }
  });
  const years = selection.undatedOnly || selection.yearFrom !== undefined || selection.yearTo !== undefined;
  if (required === 0 && !years) return candidates.length;
  const from = selection.yearFrom ?? 1;
  const to = selection.yearTo ?? Number.MAX_SAFE_INTEGER;
  const inYears = (y: number): boolean => (selection.undatedOnly ? y === 0 : y === 0 ? selection.includeUndated === true : y >= from && y <= to);
  const { offsets, values, year } = index;
  let n = 0;
  for (const r of candidates) {
    if (years && !inYears(year[r])) continue;
    let satisfied = 0;
    for (let k = offsets[r]; k < offsets[r + 1]; k++) satisfied |= wanted[values[k]];
    if ((required & ~satisfied) === 0) n++;
  }
  return n;
}
