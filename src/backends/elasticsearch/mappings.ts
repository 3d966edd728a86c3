/**
 * Index settings and mappings, generated from SEARCH_FIELDS and the vocabularies. Pure.
 *
 * Everything here is stock Elasticsearch (standard tokenizer; lowercase, asciifolding, stemmer
 * and synonym_graph filters; keyword, date and completion fields), so the same settings run on
 * the official image and on the test server, where test/es-plugin registers exactly these
 * filter names and parameters in place of the missing analysis-common module.
 *
 * Analysis, to agree with the embedded engine (FTS5 `porter unicode61 remove_diacritics 2`):
 * - index time: standard tokenizer → lowercase → asciifolding ("Côte" → cote) → English
 *   possessive → English (Porter) stemmer ("workers" → worker);
 * - search time: the same chain with a synonym_graph filter before the stemmer, whose rules come
 *   from vocab/ (country names, alternative names and demonyms; theme labels and synonyms;
 *   spelling variants), so "lao pdr" also finds "laos" in text. The query analyser already turns
 *   recognised names into tag clauses; the synonyms add the text side. Rules are parsed through
 *   the filters before them, so they are written as plain text.
 */
import type { estypes } from '@elastic/elasticsearch';
import { FACET_FIELDS, SEARCH_FIELDS } from '../../search/fields';
import type { Country, Theme } from '../../search/vocabulary/types';
import { searchableText } from './document';

/** Elasticsearch's default index.max_result_window: from + size must stay within it. */
export const MAX_RESULT_WINDOW = 10_000;

export const ANALYZER = { index: 'corridor_text', search: 'corridor_search', words: 'corridor_words' } as const;

/** Text field of a SEARCH_FIELDS entry. */
export function textField(name: (typeof SEARCH_FIELDS)[number]['name']): string {
  return `text.${name}`;
}

/** Fields whose text feeds spelling suggestions (as the embedded engine's word list: title, abstract, keywords). */
const SPELL_SOURCES = new Set(['title', 'abstract', 'keywords']);
/** Fields highlighted for every hit: postings with offsets make that cheap. */
const HIGHLIGHTED = new Set(['title', 'abstract']);

export interface SynonymSource {
  countries: readonly Country[];
  themes: readonly Theme[];
  /** Groups of interchangeable single-word spellings (vocab/spelling-variants.json). */
  spellingGroups: readonly (readonly string[])[];
}

/** A name as a Solr rule term: blanked like the indexed text, lower case, single spaces. */
function ruleTerm(name: string): string {
  return searchableText(name).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Solr-format equivalence rules ("a, b, c"), one per country, theme and spelling group. Names
 * that are ambiguous (Jordan, US, AIDS), language names (French, Nepali: "in French" is not about
 * France) and names claimed by two groups (they would merge unrelated groups) are left out: the
 * synonyms may only widen a search the way the query analyser would.
 */
export function synonymRules(source: SynonymSource): string[] {
  const groups: string[][] = [];
  for (const c of source.countries) {
    const excluded = new Set([...(c.ambiguousNames ?? []), ...(c.languageNames ?? [])].map(ruleTerm));
    groups.push([c.name, ...c.altNames, ...c.demonyms].map(ruleTerm).filter((t) => !excluded.has(t)));
  }
  for (const t of source.themes) {
    const excluded = new Set((t.ambiguousNames ?? []).map(ruleTerm));
    groups.push([t.label, ...t.synonyms].map(ruleTerm).filter((term) => !excluded.has(term)));
  }
  for (const g of source.spellingGroups) groups.push(g.map(ruleTerm));

  const owners = new Map<string, Set<number>>();
  groups.forEach((group, i) => {
    for (const term of group) owners.set(term, (owners.get(term) ?? new Set()).add(i));
  });
  const rules: string[] = [];
  for (const group of groups) {
    const terms = [...new Set(group)].filter((t) => /[a-z0-9]/.test(t) && owners.get(t)?.size === 1);
    if (terms.length >= 2) rules.push(terms.join(', '));
  }
  return rules;
}

export interface IndexOptions {
  shards: number;
  replicas: number;
  synonyms: readonly string[];
}

export type IndexBody = Pick<estypes.IndicesCreateRequest, 'settings' | 'mappings'>;

export function indexBody(options: IndexOptions): IndexBody {
  const textProperties: Record<string, estypes.MappingProperty> = {};
  for (const field of SEARCH_FIELDS) {
    textProperties[field.name] = {
      type: 'text',
      analyzer: ANALYZER.index,
      search_analyzer: ANALYZER.search,
      ...(HIGHLIGHTED.has(field.name) ? { index_options: 'offsets' as const } : {}),
      ...(SPELL_SOURCES.has(field.name) ? { copy_to: ['spell'] } : {}),
    };
  }
  // Facet values are matched exactly, as given (ISO3 codes, ids, labels). ignore_above keeps an
  // absurd value from failing the whole document (the limit for one term is 32 kB).
  const facet: estypes.MappingProperty = { type: 'keyword', ignore_above: 2048 };
  const chain = ['lowercase', 'asciifolding', 'corridor_possessive'];
  return {
    settings: {
      number_of_shards: options.shards,
      number_of_replicas: options.replicas,
      max_result_window: MAX_RESULT_WINDOW,
      analysis: {
        filter: {
          corridor_possessive: { type: 'stemmer', language: 'possessive_english' },
          corridor_stemmer: { type: 'stemmer', language: 'english' },
          // lenient: a rule whose term analyses to nothing is skipped rather than failing index creation.
          corridor_synonyms: { type: 'synonym_graph', synonyms: [...options.synonyms], lenient: true },
        },
        analyzer: {
          [ANALYZER.index]: { type: 'custom', tokenizer: 'standard', filter: [...chain, 'corridor_stemmer'] },
          [ANALYZER.search]: { type: 'custom', tokenizer: 'standard', filter: [...chain, 'corridor_synonyms', 'corridor_stemmer'] },
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
        ...Object.fromEntries(Object.values(FACET_FIELDS).map((f) => [f.field, facet])),
        year: { type: 'integer' },
        // "YYYY", "YYYY-MM" or "YYYY-MM-DD"; a malformed one sorts as undated instead of failing the document.
        date: { type: 'date', format: 'strict_year||strict_year_month||strict_date', ignore_malformed: true },
        text: { properties: textProperties },
        spell: { type: 'text', analyzer: ANALYZER.words },
        suggest: { type: 'completion', analyzer: ANALYZER.words, max_input_length: 100 },
        doc: { type: 'object', enabled: false },
      },
    },
  };
}
