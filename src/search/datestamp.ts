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

/**
 * The value with every object's keys in sorted order and undefined members left out, so that
 * JSON.stringify of it does not depend on key order. This runs for every document of every
 * build: arrays of plain values are kept as they are, and objects are ordinary ones built key by
 * key (which JSON.stringify reads far faster than objects without a prototype), a "__proto__" key
 * defined as a property of its own rather than assigned.
 */
function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') {
        copy ??= value.slice();
        copy[i] = canonical(item);
      }
    }
    return copy ?? value;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (key === '__proto__') Object.defineProperty(out, key, { value: canonical(member), enumerable: true, writable: true, configurable: true });
    else out[key] = canonical(member);
  }
  return out;
}

/**
 * True when JSON.stringify(value) is already the canonical form: every object a plain one whose
 * keys are in strictly ascending order (as toDocument builds documents).
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!inCanonicalOrder(item)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || (previous !== undefined && previous >= key)) return false;
    if (!inCanonicalOrder((value as Record<string, unknown>)[key])) return false;
    previous = key;
  }
  return true;
}

function hashOf(canonicalJson: string): string {
  return crypto.createHash('sha256').update(canonicalJson).digest('base64url').slice(0, 32);
}

/** A fingerprint of everything a document says (its datestamp aside), independent of key order. */
export function contentHash(doc: ResourceDocument): string {
  const { changed: _changed, ...content } = doc;
  void _changed;
  return hashOf(JSON.stringify(canonical(content)));
}

/**
 * A document as JSON (its keys in the order it has them; writers pass it without its datestamp),
 * and its content hash: one serialisation for both when the document is in canonical order, as
 * the indexer builds documents; two otherwise.
 */
export function jsonWithHash(doc: ResourceDocument): { json: string; hash: string } {
  const json = JSON.stringify(doc);
  return { json, hash: doc.changed === undefined && inCanonicalOrder(doc) ? hashOf(json) : contentHash(doc) };
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
