/**
 * Raw record → validated, cleaned record with the tags its source gave resolved to vocabulary
 * ids. Text analysis (tags found in title and abstract) is a separate step: see to-document.ts.
 */
import type { ResourceDocument } from '../../src/search/types';
import { parseRecordInput } from './record-schema';

/**
 * The part of the vocabulary (src/search/vocabulary/vocabulary.ts) that normalisation needs.
 * Declared here so the indexer depends on three methods, not on the whole class.
 */
export interface RecordVocabulary {
  /** Name, alternative name, ISO2 or ISO3 → ISO3. */
  resolveCountry(value: string): string | undefined;
  /** Id, label or alternative name → region id. */
  resolveRegion(value: string): string | undefined;
  /** Id, label or synonym → theme id. */
  resolveTheme(value: string): string | undefined;
}

/** Tag ids the source itself stated, resolved through the vocabulary; sorted, no duplicates. */
export interface GivenTags {
  countries: string[];
  regions: string[];
  themes: string[];
}

/** A ResourceDocument before analysis: no final tag lists, no tagging provenance, no year. */
export interface NormalisedRecord
  extends Omit<ResourceDocument, 'tagging' | 'countries' | 'regions' | 'groupings' | 'themes' | 'corridors' | 'year'> {
  given: GivenTags;
}

export type NormaliseResult =
  | {
      ok: true;
      record: NormalisedRecord;
      /** Field names the record carried that the format does not define; they were ignored. */
      unknownFields: string[];
      /** Non-fatal problems, e.g. `unresolved country "Atlantis"`. */
      warnings: string[];
    }
  | { ok: false; reason: string; unknownFields: string[]; id?: string };

function sortedUnique(values: Iterable<string>): string[] {
  return Array.from(new Set(values)).sort();
}

/**
 * Validates and cleans `raw`, resolving the countries, regions and themes it gives. Values the
 * vocabulary does not know are dropped with a warning, not a rejection: one odd spelling should
 * not cost a whole record. A country list holding a region ("West Africa") or a region list
 * holding a country is common in catalogue exports, so each falls back to the other kind before
 * it counts as unresolved.
 */
export function normaliseRecord(raw: unknown, vocab: RecordVocabulary, source?: string): NormaliseResult {
  const parsed = parseRecordInput(raw);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const warnings = parsed.warnings;

  const countries = new Set<string>();
  const regions = new Set<string>();
  const themes = new Set<string>();
  for (const value of input.countries) {
    const c = vocab.resolveCountry(value);
    if (c !== undefined) {
      countries.add(c);
      continue;
    }
    const r = vocab.resolveRegion(value);
    if (r !== undefined) regions.add(r);
    else warnings.push(`unresolved country ${JSON.stringify(value)}`);
  }
  for (const value of input.regions) {
    const r = vocab.resolveRegion(value);
    if (r !== undefined) {
      regions.add(r);
      continue;
    }
    const c = vocab.resolveCountry(value);
    if (c !== undefined) countries.add(c);
    else warnings.push(`unresolved region ${JSON.stringify(value)}`);
  }
  for (const value of input.themes) {
    const t = vocab.resolveTheme(value);
    if (t !== undefined) themes.add(t);
    else warnings.push(`unresolved theme ${JSON.stringify(value)}`);
  }

  const record: NormalisedRecord = {
    id: input.id,
    title: input.title,
    publishers: input.publishers,
    authors: input.authors,
    languages: input.languages,
    keywords: input.keywords,
    given: { countries: sortedUnique(countries), regions: sortedUnique(regions), themes: sortedUnique(themes) },
  };
  // Optional fields are set only when present so that two runs over the same input produce
  // structurally identical records.
  if (input.abstract !== undefined) record.abstract = input.abstract;
  if (input.url !== undefined) record.url = input.url;
  if (input.doi !== undefined) record.doi = input.doi;
  if (input.publisher !== undefined) record.publisher = input.publisher;
  if (input.published !== undefined) record.published = input.published;
  if (input.type !== undefined) record.type = input.type;
  if (source !== undefined) record.source = source;
  return { ok: true, record, unknownFields: parsed.unknownFields, warnings };
}
