/**
 * The documented input record format (docs/record-format.md) as one zod schema, plus the text
 * cleaning every field goes through. Records are untrusted: whatever a source sends ends up in
 * HTML pages, snippets and engine indexes, so cleaning happens here, once, before anything else
 * sees the values.
 *
 * Everything is built once at module load: the ingest path calls parseRecordInput() up to a
 * million times per run, and building zod schemas or regexes per record would dominate its cost.
 */
import { ISO_639_1 } from '../../src/search/languages';
import { z } from 'zod';
import { htmlToText } from '../sources/html-text';
import { readPublished, YEAR_RANGE } from './dates';
import { doiUrl, extractDoi } from '../../src/search/doi';
import { splitNames } from './names';

/** Field names of the documented format, in documentation order. */
export const RECORD_FIELDS = [
  'id',
  'title',
  'abstract',
  'url',
  'doi',
  'publisher',
  'authors',
  'published',
  'type',
  'language',
  'countries',
  'regions',
  'themes',
  'keywords',
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export const LIMITS = {
  id: 200,
  title: 1000,
  abstract: 20000,
  url: 2048,
  /** publisher, type and every list item. */
  shortText: 500,
  listItems: 500,
  /** Dates outside this range are typos ("0219", "20199"), not publications: kept undated. */
  minYear: YEAR_RANGE.min,
  maxYear: YEAR_RANGE.max,
} as const;

/** Alternative field names catalogue exports use for a documented field. */
const FIELD_ALIASES: Record<string, RecordField> = { languages: 'language' };

/** A record that passed validation: cleaned, trimmed, with lists split and deduplicated. */
export interface RecordInput {
  id: string;
  title: string;
  abstract?: string;
  url?: string;
  /** Bare DOI ("10.1234/abc"), lower case. */
  doi?: string;
  /** As written, for display. */
  publisher?: string;
  /** Each publisher `publisher` names ("ILO and UN Women" → ILO, UN Women). */
  publishers: string[];
  /** In the order given: author order matters for citations. Joint corporate authors are split. */
  authors: string[];
  /** "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
  published?: string;
  type?: string;
  /** ISO 639-1 codes, in the order given (the first is the record's main language). */
  languages: string[];
  /** As given (names, ISO2 or ISO3 codes); resolved against the vocabulary later. */
  countries: string[];
  regions: string[];
  themes: string[];
  keywords: string[];
}

export type RecordParseResult =
  | { ok: true; value: RecordInput; unknownFields: string[]; warnings: string[] }
  | {
      ok: false;
      reason: string;
      unknownFields: string[];
      /** The record's id when it has a usable one, so rejection reports can name the record. */
      id?: string;
    };

// ---------------------------------------------------------------------------------------------
// Text cleaning

// C0 controls except \t \n \r (whitespace, handled below), DEL, C1 controls and the BOM.
// U+0001/U+0002 matter most: they are the engines' highlight sentinels (src/search/types.ts), and
// a record carrying them could forge <mark> spans in rendered snippets. Soft hyphens, zero-width
// spaces and word joiners (typical of text copied from PDFs) go too: invisible, they split words
// so that "migra\u00ADtion" would never match a search for "migration".
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u2060\uFEFF]/g;
const NON_ASCII = /[^\u0000-\u007F]/;
const ANY_WHITESPACE_RUN = /\s+/g;
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;
const INLINE_WHITESPACE_RUN = /[^\S\n]+/g;
const SPACE_AROUND_NEWLINE = / ?\n ?/g;
const BLANK_LINE_RUN = /\n{3,}/g;

function stripAndCompose(s: string): string {
  const t = s.replace(CONTROL_CHARS, '');
  // NFC so that a decomposed "Côte" (o + U+0302) equals the composed one the vocabulary uses;
  // the test keeps the common all-ASCII case cheap.
  return NON_ASCII.test(t) ? t.normalize('NFC') : t;
}

// Most values are printable ASCII with single spaces: one scan proves there is nothing to do and
// saves five allocating passes per field, which is most of the validation cost at 1M records.
const LINE_NEEDS_WORK = /[^\u0020-\u007E]|\u0020\u0020|^\u0020|\u0020$/;
const BLOCK_NEEDS_WORK = /[^\u0020-\u007E\n]|\u0020\u0020|\u0020\n|\n\u0020|\n\n\n|^\s|\s$/;

/** One-line text (titles, names, list items): controls removed, whitespace runs collapsed, trimmed. */
export function cleanLine(s: string): string {
  if (!LINE_NEEDS_WORK.test(s)) return s;
  return stripAndCompose(s).replace(ANY_WHITESPACE_RUN, ' ').trim();
}

/** Multi-line text (abstracts): paragraph breaks kept, everything else as cleanLine. */
export function cleanBlock(s: string): string {
  if (!BLOCK_NEEDS_WORK.test(s)) return s;
  return stripAndCompose(s.replace(LINE_BREAK, '\n'))
    .replace(INLINE_WHITESPACE_RUN, ' ')
    .replace(SPACE_AROUND_NEWLINE, '\n')
    .replace(BLANK_LINE_RUN, '\n\n')
    .trim();
}

/** A value quoted for a rejection reason: short, one line, so reasons stay readable in reports. */
export function quoteValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  const line = cleanLine(s);
  return `'${line.length > 60 ? `${line.slice(0, 57)}...` : line}'`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

// ---------------------------------------------------------------------------------------------
// Preprocessors: turn what sources actually send into what the schema checks. Empty strings and
// null mean "absent" so that empty CSV cells and `"abstract": null` don't fail optional fields.

function toLine(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = cleanLine(v);
    return t === '' ? undefined : t;
  }
  // JSON sources often send numeric ids and years.
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return v === null ? undefined : v;
}

function toBlock(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = cleanBlock(v);
    return t === '' ? undefined : t;
  }
  return v === null ? undefined : v;
}

// Catalogues put markup in titles and abstracts ("<em>Safe &amp; Fair</em>", "Migraci&oacute;n"):
// records hold plain text, since the site escapes everything it shows.
const MARKUP = /<[a-zA-Z/!?]|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/;

function toPlainLine(v: unknown): unknown {
  return typeof v === 'string' && MARKUP.test(v) ? toLine(htmlToText(v)) : toLine(v);
}

function toPlainBlock(v: unknown): unknown {
  return typeof v === 'string' && MARKUP.test(v) ? toBlock(htmlToText(v)) : toBlock(v);
}

/** Case-insensitive dedupe keeping the first spelling and the given order. */
function dedupe(items: unknown[]): unknown[] {
  if (items.length < 2) return items;
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const k = item.toLowerCase();
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(item);
  }
  return out;
}

function toList(v: unknown): unknown {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    const out: string[] = [];
    for (const part of v.split(';')) {
      const t = cleanLine(part);
      if (t !== '') out.push(t);
    }
    return dedupe(out);
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      if (item === null || item === undefined) continue;
      const t = toLine(item);
      // Non-text items stay in so that zod names them ("countries[2]: expected text ...").
      if (t !== undefined) out.push(t);
    }
    return dedupe(out);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// language

// English names, common alternative names, native names and ISO 639-2/3 codes of the languages
// migration publications are written in. Keys are lower-case.
const LANGUAGE_NAMES: Record<string, string> = {};
for (const [code, names] of Object.entries({
  en: 'english|eng',
  fr: 'french|français|francais|fra|fre',
  es: 'spanish|español|espanol|castilian|castellano|spa',
  ar: 'arabic|العربية|ara',
  ru: 'russian|русский|rus',
  zh: 'chinese|mandarin|中文|汉语|zho|chi',
  pt: 'portuguese|português|portugues|por',
  de: 'german|deutsch|deu|ger',
  it: 'italian|italiano|ita',
  nl: 'dutch|flemish|nederlands|nld|dut',
  id: 'indonesian|bahasa indonesia|ind',
  ms: 'malay|bahasa malaysia|bahasa melayu|msa|may|zsm',
  th: 'thai|ไทย|tha',
  vi: 'vietnamese|tiếng việt|tieng viet|vie',
  km: 'khmer|cambodian|khm',
  lo: 'lao|laotian|lao language',
  my: 'burmese|myanmar language|mya|bur',
  tl: 'tagalog|filipino|tgl|fil',
  ne: 'nepali|nepalese|nep',
  bn: 'bengali|bangla|ben',
  hi: 'hindi|hin',
  ur: 'urdu|urd',
  si: 'sinhala|sinhalese|sin',
  ta: 'tamil|tam',
  ml: 'malayalam|mal',
  te: 'telugu|tel',
  pa: 'punjabi|panjabi|pan',
  ja: 'japanese|日本語|jpn',
  ko: 'korean|한국어|kor',
  mn: 'mongolian|mon',
  kk: 'kazakh|kaz',
  ky: 'kyrgyz|kirghiz|kirgiz|kir',
  tg: 'tajik|tajiki|tgk',
  uz: 'uzbek|uzb',
  tk: 'turkmen|tuk',
  tr: 'turkish|türkçe|turkce|tur',
  fa: 'persian|farsi|dari|fas|per',
  ps: 'pashto|pushto|pus',
  am: 'amharic|amh',
  om: 'oromo|afaan oromoo|orm',
  ti: 'tigrinya|tir',
  so: 'somali|som',
  sw: 'swahili|kiswahili|swa',
  ha: 'hausa|hau',
  yo: 'yoruba|yor',
  ig: 'igbo|ibo',
  wo: 'wolof|wol',
  ff: 'fula|fulah|fulani|pulaar|ful',
  mg: 'malagasy|mlg',
  rw: 'kinyarwanda|kin',
  zu: 'zulu|zul',
  xh: 'xhosa|xho',
  af: 'afrikaans|afr',
  uk: 'ukrainian|українська|ukr',
  pl: 'polish|polski|pol',
  ro: 'romanian|română|romana|ron|rum',
  bg: 'bulgarian|bul',
  el: 'greek|ελληνικά|ell|gre',
  sq: 'albanian|shqip|sqi|alb',
  sr: 'serbian|srp',
  hr: 'croatian|hrv',
  bs: 'bosnian|bos',
  mk: 'macedonian|mkd|mac',
  ka: 'georgian|kat|geo',
  hy: 'armenian|hye|arm',
  az: 'azerbaijani|azeri|aze',
  he: 'hebrew|heb',
  ku: 'kurdish|kur',
  ht: 'haitian creole|haitian|kreyòl|hat',
  sv: 'swedish|svenska|swe',
  da: 'danish|dansk|dan',
  no: 'norwegian|norsk|nor',
  fi: 'finnish|suomi|fin',
  cs: 'czech|čeština|ces|cze',
  sk: 'slovak|slk|slo',
  sl: 'slovenian|slovene|slv',
  hu: 'hungarian|magyar|hun',
  lt: 'lithuanian|lit',
  lv: 'latvian|lav',
  et: 'estonian|est',
  dv: 'dhivehi|divehi|maldivian|div',
  qu: 'quechua|que',
  gn: 'guarani|guaraní|grn',
})) {
  for (const name of names.split('|')) LANGUAGE_NAMES[name] = code;
}

// Locale tags such as "en-GB", "pt_BR", "zh-Hans-CN": the primary subtag is the language.
const LOCALE_TAG = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})+$/;

export function resolveLanguage(value: string): string | undefined {
  const v = value.toLowerCase();
  if (v.length === 2 && ISO_639_1.has(v)) return v;
  const named = LANGUAGE_NAMES[v];
  if (named !== undefined) return named;
  const tag = LOCALE_TAG.exec(v);
  if (tag !== null) {
    const primary = tag[1]!;
    if (primary.length === 2 && ISO_639_1.has(primary)) return primary;
    return LANGUAGE_NAMES[primary];
  }
  return undefined;
}

const LANGUAGE_SEPARATORS = /[;,/|+]| and | et | y /i;

function toLanguageList(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  // "English, French" and "en/fr" are common in catalogue exports, not only ";".
  if (typeof v === 'string') {
    const parts: string[] = [];
    for (const p of v.split(LANGUAGE_SEPARATORS)) {
      const t = cleanLine(p);
      if (t !== '') parts.push(t);
    }
    return parts.length === 0 ? undefined : parts;
  }
  if (Array.isArray(v)) {
    const list = toList(v);
    return Array.isArray(list) && list.length === 0 ? undefined : list;
  }
  return v;
}

interface LanguageValue {
  codes: string[];
  unknown: string[];
}

// ---------------------------------------------------------------------------------------------
// The schema

const text = (max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected text, got ${describe(iss.input)}`) })
    .max(max, `longer than ${max} characters`);

const list = z
  .array(text(LIMITS.shortText), {
    error: (iss) => `expected a list or ;-separated text, got ${describe(iss.input)}`,
  })
  .max(LIMITS.listItems, `more than ${LIMITS.listItems} values`);

const listField = z.preprocess(toList, list);

export const recordSchema = z.object({
  id: z.preprocess(toLine, text(LIMITS.id)),
  title: z.preprocess(toPlainLine, text(LIMITS.title)),
  abstract: z.preprocess(toPlainBlock, text(LIMITS.abstract).optional()),
  url: z.preprocess(
    toLine,
    text(LIMITS.url)
      .superRefine((v, ctx) => {
        if (!isHttpUrl(v)) ctx.addIssue({ code: 'custom', message: `${quoteValue(v)} is not an http(s) URL` });
      })
      .optional(),
  ),
  // Read in parseRecordInput: a DOI that is not one is dropped with a warning.
  doi: z.unknown().optional(),
  publisher: z.preprocess(toPlainLine, text(LIMITS.shortText).optional()),
  authors: listField,
  // Read in parseRecordInput: a date that cannot be read leaves the record undated, with a warning.
  published: z.unknown().optional(),
  type: z.preprocess(toLine, text(LIMITS.shortText).optional()),
  language: z.preprocess(
    toLanguageList,
    z
      .array(text(LIMITS.shortText), {
        error: (iss) => `expected a language code or name, got ${describe(iss.input)}`,
      })
      .transform((values): LanguageValue => {
        const codes: string[] = [];
        const unknown: string[] = [];
        for (const v of values) {
          const c = resolveLanguage(v);
          if (c === undefined) unknown.push(v);
          else if (!codes.includes(c)) codes.push(c);
        }
        return { codes, unknown };
      })
      .optional(),
  ),
  countries: listField,
  regions: listField,
  themes: listField,
  keywords: listField,
});

function isHttpUrl(v: string): boolean {
  if (!HTTP_PREFIX.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
const HTTP_PREFIX = /^https?:\/\//i;

// Field names are matched exactly first, then case-insensitively: spreadsheet exports like to
// capitalise headers ("Title"), and rejecting those for a capital letter helps nobody.
const FIELD_BY_LOWER_NAME = new Map<string, RecordField>([...RECORD_FIELDS.map((f): [string, RecordField] => [f, f]), ...Object.entries(FIELD_ALIASES)]);
const FIELD_SET: ReadonlySet<string> = new Set(RECORD_FIELDS);

function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? 'record' : out;
}

/**
 * Validates one raw record. Never throws: every problem becomes a reason naming the field
 * ("title: required", "published: '2019-13' is not a valid date ..."), several joined by "; ".
 */
export function parseRecordInput(raw: unknown): RecordParseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: `record: expected an object with fields, got ${describe(raw)}`, unknownFields: [] };
  }
  const source = raw as Record<string, unknown>;
  const input: Partial<Record<RecordField, unknown>> = {};
  const unknownFields: string[] = [];
  for (const key of Object.keys(source)) {
    if (FIELD_SET.has(key)) {
      input[key as RecordField] = source[key];
      continue;
    }
    const field = FIELD_BY_LOWER_NAME.get(key.trim().toLowerCase());
    if (field === undefined) unknownFields.push(key);
    // The exactly named field wins over a case variant, whichever comes first.
    else if (!Object.prototype.hasOwnProperty.call(source, field)) input[field] = source[key];
  }

  const parsed = recordSchema.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`).join('; ');
    const id = toLine(input.id);
    return typeof id === 'string' && id.length <= LIMITS.id ?
        { ok: false, reason, unknownFields, id }
      : { ok: false, reason, unknownFields };
  }
  const d = parsed.data;
  const warnings: string[] = [];
  const value: RecordInput = {
    id: d.id,
    title: d.title,
    publishers: d.publisher === undefined ? [] : splitNames(d.publisher),
    authors: d.authors.flatMap(splitNames),
    languages: d.language?.codes ?? [],
    countries: d.countries,
    regions: d.regions,
    themes: d.themes,
    keywords: d.keywords,
  };
  // Optional fields stay absent rather than present-but-undefined, so documents compare equal
  // across runs and serialise without noise.
  if (d.abstract !== undefined) value.abstract = d.abstract;
  if (d.url !== undefined) value.url = d.url;
  if (d.publisher !== undefined) value.publisher = d.publisher;
  if (d.type !== undefined) value.type = d.type;
  const published = readPublishedField(d.published);
  if (published.date !== undefined) value.published = published.date;
  if (published.warning !== undefined) warnings.push(`published: ${published.warning}`);
  const doi = readDoiField(d.doi, value.url);
  if (doi.doi !== undefined) {
    value.doi = doi.doi;
    // A record known only by its DOI still links to the publication.
    value.url ??= doiUrl(doi.doi);
  }
  if (doi.warning !== undefined) warnings.push(`doi: ${doi.warning}`);
  if (d.language !== undefined && d.language.unknown.length > 0) {
    warnings.push(`language: ${d.language.unknown.map((l) => quoteValue(l)).join(', ')} is not an ISO 639-1 code or a known language name; ignored`);
  }
  return { ok: true, value, unknownFields, warnings };
}

/** A number (a year), text, or a one-item list from a catalogue export; anything else is unreadable. */
function readPublishedField(raw: unknown): { date?: string; warning?: string } {
  const v = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (v === undefined || v === null) return {};
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return readPublishedField(String(v));
    return { warning: `${quoteValue(String(v))} is not a year; kept undated` };
  }
  if (typeof v !== 'string') return { warning: `expected a date or a year, got ${describe(v)}; kept undated` };
  const text = cleanLine(v);
  if (text === '') return {};
  const r = readPublished(text);
  if (!r.ok) return { warning: r.message };
  return r.note === undefined ? { date: r.date } : { date: r.date, warning: r.note };
}

/** The record's DOI, or one its URL carries (https://doi.org/…). */
function readDoiField(raw: unknown, url: string | undefined): { doi?: string; warning?: string } {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v === 'string' && cleanLine(v) !== '') {
    const doi = extractDoi(cleanLine(v));
    return doi === undefined ? { warning: `${quoteValue(v)} is not a DOI; ignored` } : { doi };
  }
  if (v !== undefined && v !== null && typeof v !== 'string') return { warning: `expected a DOI, got ${describe(v)}; ignored` };
  const fromUrl = url === undefined ? undefined : extractDoi(url);
  return fromUrl === undefined ? {} : { doi: fromUrl };
}
