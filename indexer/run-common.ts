/** Pieces shared by the ingest job (files) and the harvest (configured sources). */
import crypto from 'node:crypto';
import type { ResourceDocument } from '../src/search/types';

/** Kept in full in a summary; beyond this only counted, so a broken feed cannot exhaust memory. */
export const MAX_REPORTED = 1000;

export interface TagCounts {
  countries: number;
  regions: number;
  themes: number;
}

/** Counts a document whose analysers added at least one country, region or theme. */
export function noteTags(tagged: TagCounts, doc: ResourceDocument): void {
  if (doc.tagging.countries.found.length > 0) tagged.countries++;
  if (doc.tagging.regions.found.length > 0) tagged.regions++;
  if (doc.tagging.themes.found.length > 0) tagged.themes++;
}

/** The id of a raw record when it has a usable one, so that a rejection can name the record. */
export function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id).slice(0, 200);
  }
  return undefined;
}

export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** The message a run that passed its rejection limit fails with. */
export function rejectRateMessage(rejected: number, read: number, limit: number): string {
  const rate = read === 0 ? 0 : rejected / read;
  return (
    `${rejected} of ${read} records were rejected (${percent(rate)}), more than the allowed ` +
    `${percent(limit)}; nothing was changed`
  );
}

export function rejectRateExceeded(rejected: number, read: number, limit: number): boolean {
  return (read === 0 ? 0 : rejected / read) > limit;
}

export function newRunId(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomBytes(2).toString('hex')}`;
}
