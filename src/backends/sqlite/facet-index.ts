/**
 * Facet values of every document held in compact typed arrays, by rowid, and the date order:
 * what filter-count.ts filters and counts with, and postings.ts inverts.
 */
import type Database from 'better-sqlite3';
import { FACET_NAMES, type FacetName } from '../../search/types';

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
