/**
 * NormalisedRecord → ResourceDocument: adds the tags found by text analysis and the regions
 * implied by the countries, and records which tags were given and which were found.
 *
 * The analysers are passed in rather than imported so that this stays a pure function, testable
 * with a stub, and so the ingest job decides which vocabulary and tagger a run uses.
 */
import type { ResourceDocument } from '../../src/search/types';
import type { FoundTags } from '../../src/search/vocabulary/types';
import type { NormalisedRecord } from './normalise';

/**
 * src/search/vocabulary/tagger.ts `findTags`: tags named in the text. Fields come as separate
 * parts so that the tagger's context rules never join the end of one field to the start of the
 * next ("... South" / "Asia ...").
 */
export type FindTags<V> = (vocab: V, parts: readonly string[]) => FoundTags;
/** src/search/vocabulary/tagger.ts `deriveRegions`: regions the given countries belong to. */
export type DeriveRegions<V> = (vocab: V, countries: string[]) => string[];
/** Vocabulary.isGrouping: a bloc, process or informal grouping rather than a UN M49 region. */
export type IsGrouping<V> = (vocab: V, id: string) => boolean;

const noGroupings: IsGrouping<unknown> = () => false;

function sortedUnique(values: Iterable<string>): string[] {
  return Array.from(new Set(values)).sort();
}

function sortedWithout(values: Iterable<string>, exclude: readonly string[]): string[] {
  const out = new Set(values);
  for (const v of exclude) out.delete(v);
  return Array.from(out).sort();
}

/** The text analysis reads: title, abstract and each keyword, one part per field. */
export function analysisParts(record: Pick<NormalisedRecord, 'title' | 'abstract' | 'keywords'>): string[] {
  const parts = [record.title];
  if (record.abstract !== undefined) parts.push(record.abstract);
  for (const k of record.keywords) parts.push(k);
  return parts;
}

/**
 * Provenance lists are disjoint: `found` holds only what text analysis added beyond what the
 * source stated, and a region's `derived` only what follows from its countries beyond both, so
 * that "tagged by analysis" counts in run summaries mean something and given ∪ found ∪ derived
 * is exactly the document's regions and groupings (one provenance for both: their ids are
 * distinct). Tag lists and keywords are sorted and deduplicated; `authors` keeps its given order,
 * which matters for citations.
 */
export function toDocument<V>(
  record: NormalisedRecord,
  vocab: V,
  findTags: FindTags<V>,
  deriveRegions: DeriveRegions<V>,
  isGrouping: IsGrouping<V> = noGroupings,
): ResourceDocument {
  const found = findTags(vocab, analysisParts(record));
  // Re-sorted so that a record built by hand (not by normaliseRecord) still yields a canonical document.
  const given = {
    countries: sortedUnique(record.given.countries),
    regions: sortedUnique(record.given.regions),
    themes: sortedUnique(record.given.themes),
  };

  const countries = sortedUnique([...given.countries, ...found.countries]);
  const derived = countries.length > 0 ? deriveRegions(vocab, countries) : [];
  const allRegions = sortedUnique([...given.regions, ...found.regions, ...derived]);
  const themes = sortedUnique([...given.themes, ...found.themes]);
  const foundRegions = sortedWithout(found.regions, given.regions);
  // A corridor's two countries are always among the record's: the facets never disagree.
  const corridors = sortedUnique((found.corridors ?? []).filter((c) => c.split('-').every((code) => countries.includes(code))));

  const regions = allRegions.filter((id) => !isGrouping(vocab, id));
  const groupings = allRegions.filter((id) => isGrouping(vocab, id));
  // Keys in sorted order, as the content hash orders them (src/search/datestamp.ts): the writer
  // then serialises the document once for both its body and its hash.
  const doc = {} as ResourceDocument;
  if (record.abstract !== undefined) doc.abstract = record.abstract;
  doc.authors = record.authors.slice();
  doc.corridors = corridors;
  doc.countries = countries;
  if (record.doi !== undefined) doc.doi = record.doi;
  doc.groupings = groupings;
  doc.id = record.id;
  doc.keywords = sortedUnique(record.keywords);
  doc.languages = record.languages.slice();
  if (record.published !== undefined) doc.published = record.published;
  if (record.publisher !== undefined) doc.publisher = record.publisher;
  doc.publishers = record.publishers.slice();
  doc.regions = regions;
  if (record.source !== undefined) doc.source = record.source;
  doc.tagging = {
    countries: { found: sortedWithout(found.countries, given.countries), given: given.countries },
    regions: {
      derived: sortedWithout(derived, [...given.regions, ...foundRegions]),
      found: foundRegions,
      given: given.regions,
    },
    themes: { found: sortedWithout(found.themes, given.themes), given: given.themes },
  };
  doc.themes = themes;
  doc.title = record.title;
  if (record.type !== undefined) doc.type = record.type;
  if (record.url !== undefined) doc.url = record.url;
  if (record.published !== undefined) doc.year = Number(record.published.slice(0, 4));
  return doc;
}
