/**
 * Index settings and mappings, generated from SEARCH_FIELDS and the facet declarations. Pure.
 *
 * Everything here is stock Elasticsearch (standard tokenizer; lowercase, asciifolding and stemmer
 * filters; keyword, date and completion fields), so the same settings run on the official image
 * and on the test server, where test/es-plugin registers exactly these filter names and
 * parameters in place of the missing analysis-common module.
 *
 * Analysis, to agree with the embedded engine (FTS5 `porter unicode61 remove_diacritics 2`):
 * standard tokenizer → lowercase → asciifolding ("Côte" → cote) → English possessive → English
 * (Porter) stemmer ("workers" → worker), at index and search time alike. There are no synonym
 * filters: other names of a country, region or theme, spelling variants and equivalent terms come
 * from the query analyser as alternatives of the query itself (src/search/query-analyser.ts),
 * so both engines match, score and highlight exactly the same alternatives.
 */
import type { estypes } from '@elastic/elasticsearch';
import { FACET_FIELDS, SEARCH_FIELDS } from '../../search/fields';
import { MAX_RESULT_WINDOW } from '../../search/result-rules';
import { TAG_FIELDS } from './document';

export const ANALYZER = { index: 'corridor_text', words: 'corridor_words' } as const;

/** Text field of a SEARCH_FIELDS entry. */
export function textField(name: (typeof SEARCH_FIELDS)[number]['name']): string {
  return `text.${name}`;
}

/** The words of titles, abstracts and keywords as written (unstemmed): spelling suggestions and truncation. */
export const WORDS_FIELD = 'spell';
/** Fields whose text feeds spelling suggestions (as the embedded engine's word list: title, abstract, keywords). */
const SPELL_SOURCES = new Set(['title', 'abstract', 'keywords']);
/** Fields highlighted for every hit: postings with offsets make that cheap. */
const HIGHLIGHTED = new Set(['title', 'abstract']);

export interface IndexOptions {
  shards: number;
  replicas: number;
  /**
   * Index files loaded into memory when the index opens (`index.store.preload`; `*`: all). A
   * search's first run otherwise pays for touching the pages of its terms' postings and doc values
   * for the first time (CORRIDOR_ES_PRELOAD).
   */
  preload?: readonly string[];
}

export type IndexBody = Pick<estypes.IndicesCreateRequest, 'settings' | 'mappings'>;

export function indexBody(options: IndexOptions): IndexBody {
  const textProperties: Record<string, estypes.MappingProperty> = {};
  for (const field of SEARCH_FIELDS) {
    textProperties[field.name] = {
      type: 'text',
      analyzer: ANALYZER.index,
      ...(HIGHLIGHTED.has(field.name) ? { index_options: 'offsets' as const } : {}),
      ...(SPELL_SOURCES.has(field.name) ? { copy_to: [WORDS_FIELD] } : {}),
    };
  }
  // Facet values are matched exactly, as given (ISO3 codes, ids, labels). ignore_above keeps an
  // absurd value from failing the whole document (the limit for one term is 32 kB).
  const facet: estypes.MappingProperty = { type: 'keyword', ignore_above: 2048 };
  // Every search counts every facet: their global ordinals are built when the generation is
  // refreshed at commit, not by the first searches after it goes live.
  const counted: estypes.MappingProperty = { ...facet, eager_global_ordinals: true };
  const chain = ['lowercase', 'asciifolding', 'corridor_possessive'];
  return {
    settings: {
      number_of_shards: options.shards,
      number_of_replicas: options.replicas,
      // The core's result window (src/search/result-rules.ts): from + size never exceeds it.
      max_result_window: MAX_RESULT_WINDOW,
      ...(options.preload && options.preload.length > 0 ? { 'store.preload': [...options.preload] } : {}),
      analysis: {
        filter: {
          corridor_possessive: { type: 'stemmer', language: 'possessive_english' },
          corridor_stemmer: { type: 'stemmer', language: 'english' },
        },
        analyzer: {
          [ANALYZER.index]: { type: 'custom', tokenizer: 'standard', filter: [...chain, 'corridor_stemmer'] },
          // Unstemmed words, for spelling suggestions and title completion.
          [ANALYZER.words]: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
        },
      },
    },
    mappings: {
      // Only the fields below are indexed; anything else in a document is kept in _source only.
      dynamic: false,
      properties: {
        id: { type: 'keyword' },
        source: facet,
        // Tag clauses (translate-query.ts) look tags up in fields named after the tag field.
        ...Object.fromEntries(TAG_FIELDS.map((t) => [t, facet])),
        ...Object.fromEntries(Object.values(FACET_FIELDS).map((f) => [f.field, counted])),
        year: { type: 'integer' },
        // "YYYY", "YYYY-MM" or "YYYY-MM-DD"; a malformed one sorts as undated instead of failing the document.
        date: { type: 'date', format: 'strict_year||strict_year_month||strict_date', ignore_malformed: true },
        text: { properties: textProperties },
        [WORDS_FIELD]: { type: 'text', analyzer: ANALYZER.words },
        // Title completion (es-completion.ts): one input from each word of the title, weighted so
        // titles that start with the typed words come first, then the newest.
        suggest: { type: 'completion', analyzer: ANALYZER.words, max_input_length: 120 },
        // Publisher completion: each publisher's words, unstemmed, for a phrase-prefix match.
        publisher_words: { type: 'text', analyzer: ANALYZER.words, norms: false },
        doc: { type: 'object', enabled: false },
        // Datestamps (src/search/datestamp.ts): absent means "changed in this generation's build".
        changed: { type: 'date', format: 'strict_date_time_no_millis' },
        hash: { type: 'keyword', index: false, doc_values: false },
      },
    },
  };
}
