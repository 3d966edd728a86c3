/**
 * Finds the countries, regions and themes a record's text mentions. Precision over recall: a tag
 * a visitor can see is wrong is worse than one missed, so ambiguous names need context (see
 * matcher.ts) and nothing is guessed from partial words.
 */
import { corridorEvidence, corridorsIn, type CorridorEvidence } from './corridors';
import { matchersFor, type Match } from './matcher';
import { donorMentions } from './mention-roles';
import { tokenize, type Tokens } from './text';
import type { FoundTags } from './types';
import type { Vocabulary } from './vocabulary';

/**
 * Tags mentioned in the text, each once, in order of first mention. Pass separate fields (title,
 * abstract, keywords) as an array: context rules never look across two of them. Lists of bare
 * values (keywords, given countries) are better resolved with Vocabulary.resolveCountry/-Theme,
 * which accept ambiguous names that free text does not ("jordan" in lower case).
 */
export function findTags(vocab: Vocabulary, text: string | readonly string[]): FoundTags {
  const { themes } = matchersFor(vocab);
  const countries = new Set<string>();
  const regions = new Set<string>();
  const themeIds = new Set<string>();
  const givers = { countries: new Set<string>(), regions: new Set<string>() };
  const corridors = new Set<string>();
  for (const part of parts(text)) {
    const { tokens, places, donors } = placesIn(vocab, part);
    places.forEach((m, i) => {
      const into = donors.has(i) ? givers : { countries, regions };
      for (const t of m.targets) (t.field === 'countries' ? into.countries : into.regions).add(t.value);
    });
    for (const m of themes.scan(tokens, 'text')) for (const t of m.targets) themeIds.add(t.value);
    if (places.length >= 2) for (const c of corridorsIn(vocab, tokens, places, donors)) corridors.add(c);
  }
  if (countries.size === 0 && regions.size === 0) {
    // Nothing else is named: the aid itself is the subject ("Short history of the U.S. aid program").
    return { countries: [...givers.countries], regions: [...givers.regions], themes: [...themeIds], corridors: [] };
  }
  return { countries: [...countries], regions: [...regions], themes: [...themeIds], corridors: [...corridors] };
}

/** The corridors findTags finds, each with the words that state it (for evaluation: bench/corridor-eval.ts). */
export function findCorridorEvidence(vocab: Vocabulary, text: string | readonly string[]): CorridorEvidence[] {
  return parts(text).flatMap((part) => {
    const { tokens, places, donors } = placesIn(vocab, part);
    return places.length >= 2 ? corridorEvidence(vocab, tokens, places, donors) : [];
  });
}

function parts(text: string | readonly string[]): string[] {
  return (typeof text === 'string' ? [text] : text).filter((p) => p !== '');
}

/** The places one field names, and which of them are donors or partners rather than subjects. */
function placesIn(vocab: Vocabulary, part: string): { tokens: Tokens; places: Match[]; donors: Set<number> } {
  const tokens = tokenize(part);
  const places = matchersFor(vocab).geo.scan(tokens, 'text');
  // Donors and partners named in the text ("funded by Switzerland") are not what the record is about.
  const donors = donorMentions(tokens, places, {
    isAidDonor: (m) => m.targets.some((t) => t.field === 'countries' && vocab.country(t.value)?.aidDonor === true),
  });
  return { tokens, places, donors };
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
