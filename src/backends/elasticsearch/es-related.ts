/**
 * Related publications on Elasticsearch: more_like_this over the record's title, abstract and
 * keywords (Elasticsearch picks its most distinctive terms: frequent in the record, rare in the
 * index), or any of its countries and themes, each shared tag counting like a word of the tags
 * field. Pure: the request for one record, given its stored document.
 */
import type { estypes } from '@elastic/elasticsearch';
import { SEARCH_FIELDS } from '../../search/fields';
import { MAX_RELATED_TERMS, MIN_RELATED_WORD, RELATED_STOPWORDS } from '../../search/related';
import type { ResourceDocument } from '../../search/types';
import { textField } from './mappings';

/** A shared tag counts like a word of the tags field, as in searches (translate-query.ts). */
const TAG_BOOST = SEARCH_FIELDS.find((f) => f.name === 'tags')?.boost ?? 1;
const TEXT_FIELDS = [textField('title'), textField('abstract'), textField('keywords')];

export function relatedSearch(esId: string, doc: ResourceDocument, limit: number): Omit<estypes.SearchRequest, 'index'> {
  const should: estypes.QueryDslQueryContainer[] = [
    {
      more_like_this: {
        fields: TEXT_FIELDS,
        like: [{ _id: esId }],
        min_term_freq: 1,
        // A term only this record has cannot bring another.
        min_doc_freq: 2,
        max_query_terms: MAX_RELATED_TERMS,
        min_word_length: MIN_RELATED_WORD,
        stop_words: [...RELATED_STOPWORDS],
        minimum_should_match: '1',
      },
    },
    ...doc.countries.map((value) => ({ term: { countries: { value, boost: TAG_BOOST } } })),
    ...doc.themes.map((value) => ({ term: { themes: { value, boost: TAG_BOOST } } })),
  ];
  return {
    size: limit,
    track_total_hits: false,
    _source: ['doc', 'changed'],
    query: { bool: { should, minimum_should_match: 1, must_not: [{ ids: { values: [esId] } }] } },
    sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
  };
}
