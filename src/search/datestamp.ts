/**
 * When a document last changed in the index: the datestamp OAI-PMH harvesters ask `from`/`until`
 * by, and the sitemap's lastmod. Pure.
 *
 * A rebuild rewrites every document, so "written in this run" is not "changed": a document keeps
 * the datestamp of the generation it came from when its content is the same, and gets the new
 * generation's commit time otherwise. The commit time, not the time it was written: a harvester
 * that asked while the new generation was still being built saw the old one, and its next
 * `from` (the time of that request) must still find what the new generation changed.
 */
import crypto from 'node:crypto';
import type { ResourceDocument } from './types';

/** OAI-PMH's finest granularity, and the only one Corridor offers: YYYY-MM-DDThh:mm:ssZ. */
export function toDatestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A fingerprint of everything a document says (its datestamp aside), independent of key order. */
export function contentHash(doc: ResourceDocument): string {
  const { changed: _changed, ...content } = doc;
  void _changed;
  return crypto.createHash('sha256').update(JSON.stringify(canonical(content))).digest('base64url').slice(0, 32);
}

/** What a writer knows about a document's previous version in the live generation. */
export interface PreviousVersion {
  hash: string;
  /** Its datestamp; undefined when it changed in the live generation's own build (then: that commit time). */
  changed?: string;
}

/**
 * The datestamp to store for `doc`: the previous one when nothing changed, undefined ("changed in
 * this build": the commit time) otherwise. `liveBuiltAt` resolves a previous version's own
 * "changed in its build".
 */
export function carriedDatestamp(hash: string, previous: PreviousVersion | undefined, liveBuiltAt: string | undefined): string | undefined {
  if (previous === undefined || previous.hash !== hash) return undefined;
  return previous.changed ?? (liveBuiltAt ? toDatestamp(new Date(liveBuiltAt)) : undefined);
}
