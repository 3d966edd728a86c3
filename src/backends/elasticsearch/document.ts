/**
 * ResourceDocument ↔ the document Elasticsearch stores, and the text-alignment helpers that go
 * with it. Pure.
 *
 * The searchable text is the record's text with every character that is not a letter, mark or
 * digit replaced by spaces of the same UTF-16 length ("Côte d'Ivoire" → "Côte d Ivoire"). The
 * core's tokenizer (src/search/vocabulary/text.ts) splits words at apostrophes, hyphens, dots and
 * colons, and the query words the engine receives are cut that way; Elasticsearch's standard
 * tokenizer keeps "d'ivoire", "u.s" and "title:x" whole, so without this the two would disagree
 * ("women's rights" is the words women, s, rights). A stock `mapping` char filter would do the
 * same inside Elasticsearch, but the test distribution has no char filters (no analysis-common),
 * and the index settings must run unchanged on both. Because the replacement keeps every offset,
 * highlights computed on the searchable text are mapped back onto the original text exactly
 * (restoreMarked), so visitors always see the record as written.
 */
import crypto from 'node:crypto';
import type { TagField } from '../../search/analysed-query';
import { MAX_COMPLETION_KEY, MAX_COMPLETION_STARTS } from '../../search/completion';
import { FACET_FIELDS, SEARCH_FIELDS, tagValues, type FacetStorageField, type SearchField, type TagLabels } from '../../search/fields';
import { contentHash, jsonWithHash } from '../../search/datestamp';
import type { EncodedDocument } from '../../search/ports';
import { FACET_NAMES, HIGHLIGHT_END, HIGHLIGHT_START, type ResourceDocument } from '../../search/types';

/** Same set as the core tokenizer's separators, plus the modifier letters it reads as apostrophes. */
const NON_WORD = /[^\p{L}\p{M}\p{N}\s]|[\u02b9-\u02bf\u02c8-\u02cb]/gu;

/** The text with every non-word character blanked, keeping the length (and so every offset). */
export function searchableText(text: string): string {
  return text.replace(NON_WORD, (c) => (c.length === 1 ? ' ' : '  '));
}

export type SearchFieldName = SearchField['name'];

/**
 * What is sent to Elasticsearch for one document (see mappings.ts for how each field is indexed):
 * one keyword field per facet (FACET_FIELDS), one per tag field of the query analyser (a region
 * tag matches regions and groupings: TAG_FIELDS), and the fields below.
 */
export type EsDocument = EsDocumentFields & Record<FacetStorageField, readonly string[]> & Record<TagField, readonly string[]>;

/** Keyword fields the query analyser's tag clauses are looked up in, named after the tag field. */
export const TAG_FIELDS: readonly TagField[] = ['countries', 'regions', 'themes'];

interface EsDocumentFields {
  id: string;
  source?: string;
  year?: number;
  /** `published` as given ("YYYY", "YYYY-MM" or "YYYY-MM-DD"): the sortable date. */
  date?: string;
  /** One searchable text per SEARCH_FIELDS entry, blanked as above. */
  text: Record<SearchFieldName, string>;
  /** Title completion inputs: from the first word (weighted higher), and from each later word. */
  suggest?: { input: string[]; weight: number }[];
  /** Each publisher, blanked, for publisher completion. */
  publisher_words?: string[];
  /** The document as stored, returned to the core as is (not indexed); without its datestamp. */
  doc: ResourceDocument;
  /** Content fingerprint (src/search/datestamp.ts), to tell a changed document from a rewritten one. */
  hash: string;
  /** Datestamp carried from an earlier generation; absent: changed in this generation's build. */
  changed?: string;
}

/** Elasticsearch refuses _id values over 512 bytes; longer ids (long URLs) are hashed. */
const MAX_ID_BYTES = 512;

export function esId(id: string): string {
  if (Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES) return id;
  return `sha256-${crypto.createHash('sha256').update(id).digest('hex')}`;
}

/** The completion field rejects control characters (\u0000, \u001e, \u001f are reserved). */
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function toEsDocument(given: ResourceDocument, labels: TagLabels, version?: { hash: string; changed?: string }): EsDocument {
  const { changed: _changed, ...doc } = given;
  void _changed;
  return { ...indexedFields(doc, labels, version?.hash ?? contentHash(doc), version?.changed), doc } as EsDocument;
}

/** Everything toEsDocument() sends but the stored document itself. */
function indexedFields(doc: ResourceDocument, labels: TagLabels, hash: string, changed: string | undefined): Omit<EsDocument, 'doc'> {
  const text = Object.fromEntries(SEARCH_FIELDS.map((f) => [f.name, searchableText(f.text(doc, labels))])) as Record<
    SearchFieldName,
    string
  >;
  const title = doc.title.replace(CONTROL, ' ').trim();
  const facets = Object.fromEntries(FACET_NAMES.map((f) => [FACET_FIELDS[f].field, FACET_FIELDS[f].values(doc)])) as Record<
    FacetStorageField,
    readonly string[]
  >;
  const tags: Record<TagField, readonly string[]> = {
    countries: tagValues(doc, 'countries'),
    regions: tagValues(doc, 'regions'),
    themes: tagValues(doc, 'themes'),
  };
  const out = { id: doc.id, ...facets, ...tags, text, hash } as Omit<EsDocument, 'doc'>;
  if (changed !== undefined) out.changed = changed;
  if (doc.source !== undefined) out.source = doc.source;
  if (doc.year !== undefined) out.year = doc.year;
  const date = doc.published ?? (doc.year !== undefined ? String(doc.year) : undefined);
  if (date !== undefined) out.date = date;
  const suggest = completionInputs(title, doc.year);
  if (suggest.length > 0) out.suggest = suggest;
  if (doc.publishers.length > 0) out.publisher_words = doc.publishers.map(searchableText);
  return out;
}

/** Weight of a title's own start: above any year, so start matches come first (then newer ones). */
const START_WEIGHT = 10_000;

/**
 * The completion inputs of a title: the title from each word start (as completionKeys in the core
 * cuts them), blanked like all searchable text. Weights order them as orderTitles does: start
 * first, then newest.
 */
export function completionInputs(title: string, year: number | undefined): { input: string[]; weight: number }[] {
  const blanked = searchableText(title);
  const starts: number[] = [];
  for (const m of blanked.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    if (starts.length >= MAX_COMPLETION_STARTS) break;
    starts.push(m.index);
  }
  if (starts.length === 0) return [];
  // Weights are positive: 1 for an undated title, 1 + its year otherwise.
  const dated = 1 + (year !== undefined && year > 0 && year < START_WEIGHT ? year : 0);
  const out = [{ input: [blanked.slice(starts[0]).slice(0, MAX_COMPLETION_KEY).trim()], weight: START_WEIGHT + dated }];
  const inside = starts.slice(1).map((s) => blanked.slice(s).slice(0, MAX_COMPLETION_KEY).trim());
  if (inside.length > 0) out.push({ input: [...new Set(inside)], weight: dated });
  return out;
}

/** What the writer sends for one document: toEsDocument() as JSON, without a datestamp, and the content hash. */
export interface EncodedEsDocument {
  json: string;
  hash: string;
}

/**
 * The writer's per-document work, as a pure function (the ingest pipeline runs it on its worker
 * threads; see EncodedWrites in src/search/ports.ts): JSON.parse(json) equals toEsDocument(doc)
 * without `changed`, which only the writer can tell (it depends on the live generation).
 */
export function encodeDocument(given: ResourceDocument, labels: TagLabels): EncodedDocument & { payload: EncodedEsDocument } {
  const { changed: _changed, ...doc } = given;
  void _changed;
  // The stored document is serialised once, for its hash and for `doc`.
  const { json: docJson, hash } = jsonWithHash(doc);
  const fields = JSON.stringify(indexedFields(doc, labels, hash, undefined));
  return { id: doc.id, payload: { json: `${fields.slice(0, -1)},"doc":${docJson}}`, hash } };
}

/** An encoded document's JSON with its datestamp, when it carries one over. */
export function withDatestamp(json: string, changed: string | undefined): string {
  return changed === undefined ? json : `${json.slice(0, -1)},"changed":${JSON.stringify(changed)}}`;
}

/**
 * The highlight tags asked of Elasticsearch. Not the core's \u0001/\u0002 sentinels: the
 * highlighter trims each passage with Java's String.trim(), which removes every character up to
 * U+0020, so a passage that starts or ends with a match would lose its tag. Private-use characters
 * survive, and cannot come from a record: searchableText blanks them like any non-word character.
 * restoreMarked turns them into the core's sentinels.
 */
export const ES_MARK_START = '\ue000';
export const ES_MARK_END = '\ue001';

export function stripMarkers(marked: string): string {
  return marked.split(ES_MARK_START).join('').split(ES_MARK_END).join('');
}

/**
 * Puts the original characters back into a highlight computed on searchableText(original):
 * `marked` is that text (or a passage of it) with ES_MARK_START/END inserted. Returns the same
 * passage of the original text marked with the core's HIGHLIGHT_START/END, and where in the
 * original it starts and ends; or undefined when the passage cannot be found.
 */
export function restoreMarked(marked: string, original: string): { text: string; start: number; end: number } | undefined {
  const plain = stripMarkers(marked);
  const searchable = searchableText(original);
  const start = plain.length === searchable.length && plain === searchable ? 0 : searchable.indexOf(plain);
  if (start < 0) return undefined;
  let j = start;
  let text = '';
  for (const c of marked) {
    if (c === ES_MARK_START) {
      text += HIGHLIGHT_START;
    } else if (c === ES_MARK_END) {
      text += HIGHLIGHT_END;
    } else {
      // Iterating by code point: copy as many UTF-16 units of the original as this one has.
      text += original.slice(j, j + c.length);
      j += c.length;
    }
  }
  return { text, start, end: j };
}
