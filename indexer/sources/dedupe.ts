/**
 * Duplicate detection across sources within one harvest: the same publication listed by two
 * sources (a DOI, a landing-page URL, or a title and year in common) becomes one resource, the
 * one from the source listed first. Pure, apart from the registry's own memory.
 */
import type { ResourceDocument } from '../../src/search/types';
import { extractDoi } from '../../src/search/doi';

export type DuplicateReason = 'id' | 'doi' | 'url' | 'title-year';

export interface RecordOwner {
  source: string;
  id: string;
}

const TRACKING_PARAM = /^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$)/i;

/**
 * The URL as a duplicate key: scheme and host lower-case (URL does that, and drops default
 * ports), no fragment, no tracking parameters, no trailing slash. Undefined for a site's home
 * page (no path): catalogues often link a publisher's home page for every record they hold,
 * which says nothing about which publication a record is.
 */
export function normaliseUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  u.hash = '';
  for (const key of Array.from(u.searchParams.keys())) {
    if (TRACKING_PARAM.test(key)) u.searchParams.delete(key);
  }
  const pathname = u.pathname.replace(/\/+$/, '');
  if (pathname === '' && u.search === '') return undefined;
  // http and https versions of one page are the same publication.
  return `${u.host}${pathname}${u.search}`;
}

/** Lower-case, accents and punctuation removed, one space between words. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Titles shorter than this ("Annual report", "Newsletter") are too generic for a title-and-year
 * match: two publishers' annual reports of one year are not one resource.
 */
export const MIN_TITLE_KEY_LENGTH = 20;

/** Every key under which this document would be a duplicate of another. */
export function duplicateKeys(doc: ResourceDocument): { reason: DuplicateReason; key: string }[] {
  const keys: { reason: DuplicateReason; key: string }[] = [{ reason: 'id', key: doc.id }];
  const dois = new Set<string>();
  if (doc.doi !== undefined) dois.add(doc.doi.toLowerCase());
  const urlDoi = doc.url !== undefined ? extractDoi(doc.url) : undefined;
  if (urlDoi !== undefined) dois.add(urlDoi.toLowerCase());
  for (const d of dois) keys.push({ reason: 'doi', key: d });
  if (doc.url !== undefined && urlDoi === undefined) {
    const url = normaliseUrl(doc.url);
    if (url !== undefined) keys.push({ reason: 'url', key: url });
  }
  if (doc.year !== undefined) {
    const title = normaliseTitle(doc.title);
    if (title.length >= MIN_TITLE_KEY_LENGTH) keys.push({ reason: 'title-year', key: `${title}|${doc.year}` });
  }
  return keys;
}

/** Keys seen so far in a run, each with the record that claimed it first. */
export class DuplicateRegistry {
  private readonly owners = new Map<string, RecordOwner>();

  get empty(): boolean {
    return this.owners.size === 0;
  }

  /**
   * The earlier record, from another source, that this one duplicates; undefined when it is
   * new, in which case its keys are claimed for it. Two records of one source are never merged
   * here: within a source, a repeated id replaces the earlier record, as in a file.
   */
  claim(
    owner: RecordOwner,
    keys: { reason: DuplicateReason; key: string }[],
    /** False for the last source of a run: no later source will look its keys up. */
    register = true,
  ): { owner: RecordOwner; reason: DuplicateReason } | undefined {
    for (const { reason, key } of keys) {
      const earlier = this.owners.get(`${reason}:${key}`);
      if (earlier !== undefined && earlier.source !== owner.source) return { owner: earlier, reason };
    }
    if (!register) return undefined;
    for (const { reason, key } of keys) {
      const k = `${reason}:${key}`;
      if (!this.owners.has(k)) this.owners.set(k, owner);
    }
    return undefined;
  }
}
