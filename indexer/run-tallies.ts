/**
 * Small tallies every ingest run keeps (indexer/pipeline.ts).
 *
 * - Unknown field counts keyed by field names that come from the records themselves: a field
 *   called "constructor" or "__proto__" must be counted like any other, so the counts live in an
 *   object without a prototype (on a plain object, `counts.constructor` is Object's constructor
 *   and `counts.__proto__ = 1` silently does nothing).
 * - Ids seen in the run, so that a second record with the id of an earlier one (which replaces
 *   it: the same id, the last one wins) is reported with both places.
 */

import { IdTable } from './id-table';

/** Field name → count, safe for any name. */
export function newFieldCounts(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

export function countFields(counts: Record<string, number>, fields: readonly string[]): void {
  for (const field of fields) {
    const before = Object.prototype.hasOwnProperty.call(counts, field) ? counts[field]! : 0;
    // defineProperty, not assignment: a counts object that has a prototype after all (one built
    // elsewhere) must not have it replaced through "__proto__".
    Object.defineProperty(counts, field, { value: before + 1, writable: true, enumerable: true, configurable: true });
  }
}

/** Where a record was: a file or URL and its line, row or item number. */
export interface RecordPlace {
  source: string;
  position: number;
}

export function describePlace(place: RecordPlace): string {
  return place.position > 0 ? `${place.source}:${place.position}` : place.source;
}

/**
 * Ids seen in one run, with where each was first seen, and which of the run's sources (by its
 * index) wrote each to the new generation. Kept in an IdTable: a run may see a million ids.
 */
export class RunIds {
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  /** id → first place (source index × 2^32 + position), and the source that wrote it. */
  private readonly table = new IdTable();

  /** Records `id` at `place`; returns where the same id was seen before in this run, if it was. */
  see(id: string, place: RecordPlace): RecordPlace | undefined {
    const earlier = this.table.getFirst(id);
    if (earlier !== undefined) {
      return { source: this.sources[Math.floor(earlier / 2 ** 32)]!, position: earlier % 2 ** 32 };
    }
    let index = this.sourceIndex.get(place.source);
    if (index === undefined) {
      index = this.sources.push(place.source) - 1;
      this.sourceIndex.set(place.source, index);
    }
    this.table.setFirst(id, index * 2 ** 32 + Math.min(place.position, 2 ** 32 - 1));
    return undefined;
  }

  /** The source (its index in the run) that wrote `id` to the new generation, if one did. */
  writer(id: string): number | undefined {
    return this.table.getSecond(id);
  }

  wrote(id: string, source: number): void {
    this.table.setSecond(id, source);
  }

  /** `id` is no longer in the new generation (removed, or dropped as a duplicate). */
  unwritten(id: string): void {
    this.table.setSecond(id, undefined);
  }
}

/** The run summary's line for a repeated id. */
export function duplicateIdMessage(id: string, first: RecordPlace, second: RecordPlace): string {
  return `id ${JSON.stringify(id)} appears twice in this run: at ${describePlace(first)} and again at ${describePlace(second)}; the second record replaced the first`;
}
