/**
 * Completing what a visitor is typing: which titles and publishers match a typed prefix, and in
 * which order they are listed. Pure, and shared by both engines (each finds candidates its own
 * way: a prefix index in SQLite, the completion field and a phrase-prefix query in Elasticsearch),
 * so both complete alike.
 *
 * A text matches when a run of its words starts with the typed words, ignoring case, accents and
 * punctuation, the last typed word possibly unfinished: "world mig" finds "World Migration Report
 * 2024", "cote d iv" finds "Migration en Côte d'Ivoire", "women" finds "UN Women".
 */
import { normaliseKey, toWords } from './vocabulary/text';

/** Word positions of a title that completion starts from (titles longer than this complete from their first words). */
export const MAX_COMPLETION_STARTS = 24;
/** Characters of a text kept per completion key. */
export const MAX_COMPLETION_KEY = 120;
/** Typed text longer than this is no longer being completed. */
export const MAX_COMPLETION_PREFIX = 100;

/** The folded words of a text joined by single spaces: the form prefixes are compared in (the vocabulary's lookup key). */
export const completionKey: (text: string) => string = normaliseKey;

/** The keys a text completes from: its folded words from each word on ("world migration report", "migration report", "report"). */
export function completionKeys(text: string): string[] {
  const words = toWords(text);
  const keys: string[] = [];
  for (let i = 0; i < words.length && i < MAX_COMPLETION_STARTS; i++) keys.push(words.slice(i).join(' ').slice(0, MAX_COMPLETION_KEY));
  return keys;
}

/** Whether a run of the text's words starts with the typed prefix (a completion key), and whether that run is the text's start. */
export function prefixMatch(text: string, prefix: string): 'start' | 'inside' | undefined {
  if (prefix === '') return undefined;
  const key = completionKey(text);
  if (key.startsWith(prefix)) return 'start';
  return key.includes(` ${prefix}`) ? 'inside' : undefined;
}

export interface TitleCandidate {
  id: string;
  title: string;
  year?: number;
}

/**
 * Titles in the order visitors see them: those that start with the typed words first, then the
 * newest (undated last), then by id, so both engines list the same candidates the same way.
 */
export function orderTitles<T extends TitleCandidate>(candidates: readonly T[], prefix: string, limit: number): T[] {
  const seen = new Set<string>();
  // Each title folded and matched once, not again in every comparison of the sort.
  const ranked: { c: T; rank: number }[] = [];
  for (const c of candidates) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const match = prefixMatch(c.title, prefix);
    if (match !== undefined) ranked.push({ c, rank: match === 'start' ? 0 : 1 });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || (b.c.year ?? 0) - (a.c.year ?? 0) || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0))
    .slice(0, limit)
    .map((r) => r.c);
}

/** Publishers matching the prefix, most documents first, then A–Z. */
export function orderPublishers(candidates: readonly { value: string; count: number }[], prefix: string, limit: number): { value: string; count: number }[] {
  return candidates
    .filter((c) => c.count > 0 && prefixMatch(c.value, prefix) !== undefined)
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'en'))
    .slice(0, limit);
}
