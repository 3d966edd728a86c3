/**
 * Countries, regions and themes whose names complete what a visitor is typing: "nep" → Nepal,
 * "burm" → Myanmar (Burma), "filip" → Philippines (Filipino), "libano" → Lebanon (Líbano),
 * "gulf" → Gulf Cooperation Council, "domestic" → Domestic work. Every name of the vocabulary
 * counts: labels, other names, demonyms, names in the other UN languages, theme synonyms. Pure.
 */
import type { TagField } from '../analysed-query';
import { completionKey } from '../completion';
import type { Country, Region, Theme } from './types';

export interface NameMatch {
  field: TagField;
  /** The facet it filters: a region is a UN M49 region (`region`) or a bloc, process or informal grouping (`grouping`). */
  facet: 'country' | 'region' | 'grouping' | 'theme';
  /** ISO3 code, region id or theme id. */
  value: string;
  /** The display label ("Myanmar"). */
  label: string;
  /** The name the typed words matched, when it is not the label ("Burma"). */
  matched?: string;
  /**
   * How good the match is, lower first: the typed words start the label (0), another name (1), a
   * name in another language (2); or they start a later word of one of these (3, 4, 5).
   */
  tier: number;
}

interface NameEntry {
  field: TagField;
  value: string;
  label: string;
  name: string;
  key: string;
  /** The label itself (0), another name (1), a name in another UN language (2). */
  other: 0 | 1 | 2;
}

/** What completing names reads of a vocabulary (the Vocabulary class has it; it calls completeNames with itself). */
export interface NamedEntries {
  readonly countries: readonly Country[];
  readonly regions: readonly Region[];
  readonly themes: readonly Theme[];
  readonly otherLanguageNames: ReadonlyMap<string, readonly string[]>;
  isGrouping(id: string): boolean;
}

const cache = new WeakMap<NamedEntries, NameEntry[]>();

function entries(vocab: NamedEntries): NameEntry[] {
  let list = cache.get(vocab);
  if (list) return list;
  list = [];
  const add = (field: TagField, value: string, label: string, names: readonly string[], foreign: readonly string[] = []): void => {
    const seen = new Set<string>();
    [...names, ...foreign].forEach((name, i) => {
      const key = completionKey(name);
      if (key === '' || seen.has(key)) return;
      seen.add(key);
      list!.push({ field, value, label, name, key, other: i === 0 ? 0 : i < names.length ? 1 : 2 });
    });
  };
  for (const c of vocab.countries) {
    add('countries', c.code, c.name, [c.name, ...c.altNames, ...(c.ambiguousNames ?? []), ...c.demonyms], vocab.otherLanguageNames.get(c.code) ?? []);
  }
  for (const r of vocab.regions) add('regions', r.id, r.label, [r.label, ...r.names, ...(r.ambiguousNames ?? [])]);
  for (const t of vocab.themes) add('themes', t.id, t.label, [t.label, ...t.synonyms, ...(t.ambiguousNames ?? [])]);
  cache.set(vocab, list);
  return list;
}

function facetOf(vocab: NamedEntries, entry: NameEntry): NameMatch['facet'] {
  if (entry.field === 'countries') return 'country';
  if (entry.field === 'themes') return 'theme';
  return vocab.isGrouping(entry.value) ? 'grouping' : 'region';
}

/**
 * The vocabulary entries whose names complete `prefix` (a completion key), each once with its
 * best match, best first (then shorter names, then A–Z), at most `limit` per field.
 */
export function completeNames(vocab: NamedEntries, prefix: string, limit: number): NameMatch[] {
  if (prefix === '') return [];
  const best = new Map<string, { entry: NameEntry; tier: number }>();
  for (const entry of entries(vocab)) {
    const start = entry.key.startsWith(prefix);
    if (!start && !entry.key.includes(` ${prefix}`)) continue;
    const tier = (start ? 0 : 3) + entry.other;
    const id = `${entry.field}\u0000${entry.value}`;
    const current = best.get(id);
    if (!current || tier < current.tier || (tier === current.tier && entry.key.length < current.entry.key.length)) best.set(id, { entry, tier });
  }
  const perField = new Map<TagField, number>();
  return [...best.values()]
    .sort((a, b) => a.tier - b.tier || a.entry.key.length - b.entry.key.length || a.entry.label.localeCompare(b.entry.label, 'en'))
    .filter(({ entry }) => {
      const n = perField.get(entry.field) ?? 0;
      perField.set(entry.field, n + 1);
      return n < limit;
    })
    .map(({ entry, tier }) => ({
      field: entry.field,
      facet: facetOf(vocab, entry),
      value: entry.value,
      label: entry.label,
      tier,
      ...(entry.other > 0 && completionKey(entry.label) !== entry.key ? { matched: entry.name } : {}),
    }));
}
