/**
 * The inverted form of the facet arrays: for each facet value (a country, region, grouping,
 * theme, type, publisher, language), the rowids of the documents that have it, ascending, in one
 * array with offsets per value. A tag in a query ("ASEAN" matches every document of its members)
 * or a selected filter value is then a slice of this array instead of a scan of every document
 * or a walk through a full-text posting list. Built once per generation. Pure.
 */
import { Bitset } from './bitset';
import type { FacetIndex } from './facet-index';

export interface Postings {
  /** offsets[v] .. offsets[v + 1] in `rows` are the documents with value id v. */
  offsets: Uint32Array;
  rows: Uint32Array;
}

export function buildPostings(index: FacetIndex): Postings {
  const valueCount = index.valueName.length;
  const offsets = new Uint32Array(valueCount + 1);
  const { values } = index;
  for (let k = 0; k < values.length; k++) offsets[values[k] + 1]++;
  for (let v = 0; v < valueCount; v++) offsets[v + 1] += offsets[v];
  const rows = new Uint32Array(values.length);
  const next = offsets.slice(0, valueCount);
  // Rowids are visited in ascending order, so each value's slice comes out sorted.
  for (let r = 0; r < index.size; r++) {
    for (let k = index.offsets[r]; k < index.offsets[r + 1]; k++) rows[next[values[k]]++] = r;
  }
  return { offsets, rows };
}

/** The documents that have any of the value ids, as a set. */
export function postingSet(postings: Postings, valueIds: Iterable<number>, size: number): Bitset {
  const set = new Bitset(size);
  for (const v of valueIds) {
    if (v < 0 || v + 1 >= postings.offsets.length) continue;
    set.addAll(postings.rows.subarray(postings.offsets[v], postings.offsets[v + 1]));
  }
  return set;
}
