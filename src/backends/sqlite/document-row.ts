/** ResourceDocument → the values stored for it in one generation. Pure. */
import { FACET_FIELDS, SEARCH_FIELDS, tagToken, tagValues, type TagLabels } from '../../search/fields';
import { jsonWithHash } from '../../search/datestamp';
import type { EncodedDocument } from '../../search/ports';
import { completionKey } from '../../search/completion';
import { FACET_NAMES, type FacetName, type ResourceDocument } from '../../search/types';

const TAG_FIELDS = ['countries', 'regions', 'themes'] as const;

/**
 * tagToken() of the tags documents carry, remembered: they are vocabulary ids, a few hundred, met
 * millions of times in a build. Bounded all the same (ids a vocabulary does not know are possible).
 */
const tokens = new Map<string, string>();
const REMEMBERED_TOKENS = 10_000;

function tokenOf(tag: (typeof TAG_FIELDS)[number], value: string): string {
  const key = `${tag}:${value}`;
  let token = tokens.get(key);
  if (token === undefined) {
    token = tagToken(tag, value);
    if (tokens.size < REMEMBERED_TOKENS) tokens.set(key, token);
  }
  return token;
}

export function ftsColumns(doc: ResourceDocument, labels: TagLabels): string[] {
  return SEARCH_FIELDS.map((field) => {
    const text = field.text(doc, labels);
    if (field.name !== 'tags') return text;
    let tagged = text;
    for (const tag of TAG_FIELDS) for (const value of tagValues(doc, tag)) tagged += ` ${tokenOf(tag, value)}`;
    return tagged;
  });
}

const WORD = /[\p{L}][\p{L}\p{N}]{2,29}/gu;

/** Distinct lower-case, accent-free words of the visible text, for spelling suggestions. */
export function suggestionWords(doc: ResourceDocument): Set<string> {
  const text = `${doc.title} ${doc.abstract ?? ''} ${doc.keywords.join(' ')}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  return new Set(text.match(WORD) ?? []);
}

/**
 * Everything the writer stores for one document (the `payload` of its EncodedDocument), in few
 * strings: it crosses from the thread that encodes it to the one that writes it, and every
 * string is copied on the way.
 */
export interface DocumentRow {
  source: string | null;
  sortDate: string | null;
  year: number | null;
  /** The document without its datestamp, as JSON. */
  body: string;
  hash: string;
  /** The FTS_COLUMNS texts one after the other; `ftsLengths` says where each ends. */
  fts: string;
  ftsLengths: number[];
  /** suggestionWords(), separated by spaces (a word has none). */
  words: string;
  /** completionKey() of the title (CompletionWriter in completion-index.ts). */
  titleKey: string;
  /** Facet values one after the other; `facetParts` holds a FACET_NAMES index and a length for each. */
  facetValues: string;
  facetParts: number[];
}

/** The FTS_COLUMNS texts of a row. */
export function rowFtsColumns(row: DocumentRow): string[] {
  const columns: string[] = [];
  let start = 0;
  for (const length of row.ftsLengths) {
    columns.push(row.fts.slice(start, start + length));
    start += length;
  }
  return columns;
}

/** The [facet, value] pairs of a row. */
export function rowFacetValues(row: DocumentRow): [FacetName, string][] {
  const out: [FacetName, string][] = [];
  const { facetParts, facetValues } = row;
  for (let i = 0, start = 0; i < facetParts.length; i += 2) {
    const length = facetParts[i + 1]!;
    out.push([FACET_NAMES[facetParts[i]!]!, facetValues.slice(start, start + length)]);
    start += length;
  }
  return out;
}

/**
 * The writer's per-document work, as a pure function (the ingest pipeline runs it on its worker
 * threads; see EncodedWrites in src/search/ports.ts). The datestamp is not part of it: it depends
 * on the generation being replaced, which only the writer reads.
 */
export function encodeDocument(given: ResourceDocument, labels: TagLabels): EncodedDocument & { payload: DocumentRow } {
  const { changed: _changed, ...doc } = given;
  void _changed;
  const fts = ftsColumns(doc, labels);
  const facetParts: number[] = [];
  const values: string[] = [];
  FACET_NAMES.forEach((facet, index) => {
    for (const value of FACET_FIELDS[facet].values(doc)) {
      facetParts.push(index, value.length);
      values.push(value);
    }
  });
  const { json, hash } = jsonWithHash(doc);
  const row: DocumentRow = {
    source: doc.source ?? null,
    sortDate: doc.published ?? null,
    year: doc.year ?? null,
    body: json,
    hash,
    fts: fts.join(''),
    ftsLengths: fts.map((text) => text.length),
    words: [...suggestionWords(doc)].join(' '),
    titleKey: completionKey(doc.title),
    facetValues: values.join(''),
    facetParts,
  };
  return { id: doc.id, payload: row };
}
