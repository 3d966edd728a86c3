/**
 * Suggestions as you type: what the search box offers while a visitor types. Countries, regions
 * and themes come from the vocabulary (any of their names completes them), titles and publishers
 * from the engine (SearchEngine.complete); only what the library has is offered, each with where
 * it leads: a country, region, theme or publisher becomes a filter, a title opens the record.
 * Pure apart from the engine call in SearchService.suggest.
 */
import { completionKey, MAX_COMPLETION_PREFIX, prefixMatch } from './completion';
import type { CompletionRequest, Completions } from './ports';
import type { FacetName } from './types';
import type { NameMatch } from './vocabulary/name-completion';

export const SUGGESTION_KINDS = ['country', 'region', 'grouping', 'theme', 'publisher', 'title'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export interface Suggestion {
  kind: SuggestionKind;
  /** The facet value (ISO3 code, region or theme id, publisher name), or the record id of a title. */
  value: string;
  label: string;
  /** The other name the typed words matched ("Burma" for Myanmar). */
  matched?: string;
  /** Documents with this value (filters). */
  count?: number;
  /** Year of a title's record. */
  year?: number;
}

export const DEFAULT_SUGGESTIONS = 8;
export const MAX_SUGGESTIONS = 15;
/** Fewer folded characters than this complete too much to be useful. */
export const MIN_SUGGEST_CHARS = 2;
/** Publishers offered at most; names of the vocabulary at most half the list. */
const MAX_PUBLISHERS = 2;
/** Vocabulary candidates counted per field before the zero-count ones are dropped. */
const NAME_CANDIDATES = 12;


/** The facet a suggestion filters by; undefined for a title. */
export function suggestionFacet(kind: SuggestionKind): FacetName | undefined {
  return kind === 'title' ? undefined : kind;
}

/** The prefix typed text completes from, or undefined when it is too short or too long to complete. */
export function suggestPrefix(text: string): string | undefined {
  const prefix = completionKey(text);
  if (prefix.length < MIN_SUGGEST_CHARS || prefix.length > MAX_COMPLETION_PREFIX) return undefined;
  return prefix;
}

/** What to ask the engine: titles and publishers for the prefix, and the counts of the matched names. */
export function completionRequest(prefix: string, names: readonly NameMatch[], limit: number): CompletionRequest {
  const counts = new Map<FacetName, string[]>();
  for (const n of names) counts.set(n.facet, [...(counts.get(n.facet) ?? []), n.value]);
  return { prefix, titles: limit, publishers: MAX_PUBLISHERS, counts: [...counts].map(([facet, values]) => ({ facet, values })) };
}

/** Vocabulary candidates worth counting for a prefix. */
export const NAMES_PER_FIELD = NAME_CANDIDATES;

/** A publisher ranks with the names: as a label when the typed words start it, else as a match inside a label. */
const PUBLISHER_TIER = { start: 0, inside: 3 } as const;

/**
 * The list shown: filters the library has (countries, regions, themes and publishers; best match,
 * then most documents), at most half of it and at most two publishers; then titles to fill it.
 */
export function composeSuggestions(prefix: string, names: readonly NameMatch[], completions: Completions, limit: number): Suggestion[] {
  const ranked: { suggestion: Suggestion; tier: number; count: number }[] = [];
  for (const n of names) {
    const count = completions.counts[n.facet]?.[n.value] ?? 0;
    if (count === 0) continue;
    const suggestion: Suggestion = { kind: n.facet, value: n.value, label: n.label, count };
    if (n.matched !== undefined) suggestion.matched = n.matched;
    ranked.push({ suggestion, tier: n.tier, count });
  }
  for (const p of completions.publishers.slice(0, MAX_PUBLISHERS)) {
    const at = prefixMatch(p.value, prefix) ?? 'inside';
    ranked.push({ suggestion: { kind: 'publisher', value: p.value, label: p.value, count: p.count }, tier: PUBLISHER_TIER[at], count: p.count });
  }
  const filters = ranked
    .sort((a, b) => a.tier - b.tier || b.count - a.count || a.suggestion.label.localeCompare(b.suggestion.label, 'en'))
    .slice(0, Math.ceil(limit / 2))
    .map((r) => r.suggestion);
  const titles = completions.titles
    .slice(0, Math.max(0, limit - filters.length))
    .map((t): Suggestion => ({ kind: 'title', value: t.id, label: t.title, ...(t.year !== undefined ? { year: t.year } : {}) }));
  return [...filters, ...titles];
}
