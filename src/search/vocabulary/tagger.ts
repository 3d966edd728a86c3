/**
 * Finds the countries, regions and themes a record's text mentions. Precision over recall: a tag
 * a visitor can see is wrong is worse than one missed, so ambiguous names need context (see
 * matcher.ts) and nothing is guessed from partial words.
 */
import { matchersFor } from './matcher';
import { tokenize } from './text';
import type { FoundTags } from './types';
import type { Vocabulary } from './vocabulary';

/**
 * Tags mentioned in the text, each once, in order of first mention. Pass separate fields (title,
 * abstract, keywords) as an array: context rules never look across two of them. Lists of bare
 * values (keywords, given countries) are better resolved with Vocabulary.resolveCountry/-Theme,
 * which accept ambiguous names that free text does not ("jordan" in lower case).
 */
export function findTags(vocab: Vocabulary, text: string | readonly string[]): FoundTags {
  const { geo, themes } = matchersFor(vocab);
  const countries = new Set<string>();
  const regions = new Set<string>();
  const themeIds = new Set<string>();
  for (const part of typeof text === 'string' ? [text] : text) {
    if (!part) continue;
    const tokens = tokenize(part);
    for (const m of geo.scan(tokens, 'text')) {
      for (const t of m.targets) (t.field === 'countries' ? countries : regions).add(t.value);
    }
    for (const m of themes.scan(tokens, 'text')) for (const t of m.targets) themeIds.add(t.value);
  }
  return { countries: [...countries], regions: [...regions], themes: [...themeIds] };
}

/**
 * Region ids whose members include any of the countries, in vocabulary order: every level (UN M49
 * region, sub-region, intermediate region) and every bloc, so a region facet or a region search
 * finds records tagged only with member countries.
 */
export function deriveRegions(vocab: Vocabulary, countries: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const code of countries) for (const id of vocab.regionsOfCountry(code)) found.add(id);
  return vocab.regions.map((r) => r.id).filter((id) => found.has(id));
}
