/**
 * Facet values of every document held in compact typed arrays, so one pass over a match set
 * filters it and counts every facet at once, instead of one SQL GROUP BY per facet.
 *
 * Facet invariant: OR within a facet, AND across facets, and disjunctive counts: a facet's
 * counts apply every other facet's filters but not its own. A document that fails exactly one
 * facet's filter still counts towards that facet (it is what selecting another value would add).
 */
import type Database from 'better-sqlite3';
import { FACET_NAMES, type FacetFilters, type FacetName } from '../../search/types';

/** The year range is filtered and counted like a seventh facet. */
const YEAR_BIT = FACET_NAMES.length;
const MAX_YEAR = 4000;

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

export function loadFacetIndex(db: Database.Database): FacetIndex {
  const valueName: string[] = [];
  const facetOf: number[] = [];
  const valueId = new Map<string, number>();
  for (const [id, facet, value] of db
    .prepare('SELECT value_id, facet, value FROM facet_dictionary')
    .raw()
    .iterate() as Iterable<[number, FacetName, string]>) {
    valueName[id] = value;
    facetOf[id] = FACET_NAMES.indexOf(facet);
    valueId.set(facetKey(facet, value), id);
  }

  const maxRow = (db.prepare('SELECT coalesce(max(rowid), 0) AS m FROM docs').get() as { m: number }).m;
  const size = maxRow + 1;
  const present = new Uint8Array(size);
  const year = new Uint16Array(size);
  const lengths = new Uint32Array(size);
  const blobs: Buffer[] = new Array<Buffer>(size);
  let total = 0;
  let documents = 0;
  for (const [rowid, y, blob] of db
    .prepare('SELECT rowid, year, facet_values FROM docs')
    .raw()
    .iterate() as Iterable<[number, number | null, Buffer]>) {
    present[rowid] = 1;
    documents++;
    year[rowid] = y && y > 0 && y < MAX_YEAR ? y : 0;
    lengths[rowid] = blob.length / 4;
    blobs[rowid] = blob;
    total += blob.length / 4;
  }
  const offsets = new Uint32Array(size + 1);
  const values = new Uint32Array(total);
  let at = 0;
  for (let r = 0; r < size; r++) {
    offsets[r] = at;
    const blob = blobs[r];
    if (blob) for (let i = 0; i < lengths[r]; i++) values[at++] = blob.readUInt32LE(i * 4);
  }
  offsets[size] = at;

  const dateRank = new Uint32Array(size);
  const byDate = new Uint32Array(documents);
  let rank = 0;
  for (const [rowid] of db
    .prepare('SELECT rowid FROM docs WHERE sort_date IS NOT NULL ORDER BY sort_date, rowid')
    .raw()
    .iterate() as Iterable<[number]>) {
    byDate[rank] = rowid;
    dateRank[rowid] = ++rank;
  }
  const datedCount = rank;
  let at2 = rank;
  for (let r = 0; r < size; r++) if (present[r] && dateRank[r] === 0) byDate[at2++] = r;

  return {
    size,
    present,
    documents,
    year,
    dateRank,
    byDate,
    datedCount,
    offsets,
    values,
    valueFacet: Uint8Array.from(facetOf.map((f) => (f < 0 ? 255 : f))),
    valueName,
    valueId,
  };
}

export interface Selection {
  filters: FacetFilters;
  yearFrom?: number;
  yearTo?: number;
  undatedOnly?: boolean;
  includeUndated?: boolean;
}

export interface FilterResult {
  /** Rowids that pass every filter, in candidate order. */
  matched: Uint32Array;
  /** Positions in the candidate list of the matched rowids (to find their scores). */
  positions: Uint32Array;
  /** Per value id, disjunctive counts. */
  valueCounts: Uint32Array;
  /** Per year (index = year), disjunctive over the year filter; index 0 = undated. */
  yearCounts: Uint32Array;
  /** By rowid: 1 when the document is in `matched`. */
  passes: Uint8Array;
}

export function filterAndCount(index: FacetIndex, candidates: Uint32Array, selection: Selection): FilterResult {
  const selected = new Uint8Array(index.valueName.length);
  let required = 0;
  FACET_NAMES.forEach((facet, f) => {
    const chosen = selection.filters[facet];
    if (chosen.length === 0) return;
    // A selected value no document has can match nothing: the facet is still required.
    required |= 1 << f;
    for (const value of chosen) {
      const id = index.valueId.get(facetKey(facet, value));
      if (id !== undefined) selected[id] = 1;
    }
  });
  const yearActive = selection.undatedOnly || selection.yearFrom !== undefined || selection.yearTo !== undefined;
  if (yearActive) required |= 1 << YEAR_BIT;
  const from = selection.yearFrom ?? 1;
  const to = selection.yearTo ?? MAX_YEAR;

  const { offsets, values, valueFacet, year } = index;
  const valueCounts = new Uint32Array(index.valueName.length);
  const yearCounts = new Uint32Array(MAX_YEAR + 1);
  const matched = new Uint32Array(candidates.length);
  const positions = new Uint32Array(candidates.length);
  const passes = new Uint8Array(index.size);
  let m = 0;

  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i];
    const start = offsets[r];
    const end = offsets[r + 1];
    let missing = required;
    if (required !== 0) {
      let satisfied = 0;
      for (let k = start; k < end; k++) {
        const v = values[k];
        if (selected[v]) satisfied |= 1 << valueFacet[v];
      }
      if (yearActive) {
        const y = year[r];
        const inRange = selection.undatedOnly
          ? y === 0
          : y === 0
            ? selection.includeUndated === true
            : y >= from && y <= to;
        if (inRange) satisfied |= 1 << YEAR_BIT;
      }
      missing = required & ~satisfied;
    }
    if (missing === 0) {
      matched[m] = r;
      passes[r] = 1;
      positions[m++] = i;
      for (let k = start; k < end; k++) valueCounts[values[k]]++;
      yearCounts[year[r]]++;
    } else if ((missing & (missing - 1)) === 0) {
      // Exactly one facet fails: the document counts for that facet alone.
      if (missing === 1 << YEAR_BIT) {
        yearCounts[year[r]]++;
      } else {
        const f = 31 - Math.clz32(missing);
        for (let k = start; k < end; k++) if (valueFacet[values[k]] === f) valueCounts[values[k]]++;
      }
    }
  }
  return { matched: matched.subarray(0, m), positions: positions.subarray(0, m), valueCounts, yearCounts, passes };
}

/** Every present rowid, ascending. */
export function allRowids(index: FacetIndex): Uint32Array {
  const out = new Uint32Array(index.documents);
  let n = 0;
  for (let r = 0; r < index.size; r++) if (index.present[r]) out[n++] = r;
  return out;
}
