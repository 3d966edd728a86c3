/**
 * Facet values of every document held in compact typed arrays, by rowid, and the date order:
 * what filter-count.ts filters and counts with, and postings.ts inverts.
 */
import type { FacetName } from '../../search/types';

/** Years at or above this are not years (the year arrays and counts stop here). */
export const MAX_YEAR = 4000;

export interface FacetIndex {
  /** Highest rowid + 1: arrays are indexed by rowid. */
  size: number;
  present: Uint8Array;
  documents: number;
  /** 0 for undated. */
  year: Uint16Array;
  /** 1..n in ascending date order, 0 for undated. */
  dateRank: Uint32Array;
  /** Dated rowids in ascending date order, then the undated ones: browsing walks this instead of sorting. */
  byDate: Uint32Array;
  /** How many leading entries of byDate are dated. */
  datedCount: number;
  offsets: Uint32Array;
  values: Uint32Array;
  valueFacet: Uint8Array;
  valueName: string[];
  valueId: Map<string, number>;
}

export function facetKey(facet: FacetName, value: string): string {
  return `${facet}\u0000${value}`;
}

export function encodeValueIds(ids: number[]): Buffer {
  const buffer = Buffer.alloc(ids.length * 4);
  ids.forEach((id, i) => buffer.writeUInt32LE(id, i * 4));
  return buffer;
}
