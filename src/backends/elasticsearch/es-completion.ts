/**
 * Suggestions as you type on Elasticsearch: CompletionRequest → one search, and its response →
 * Completions. Pure. Titles come from the `suggest` completion field (inputs from each word of
 * the title, see document.ts), publishers from a phrase-prefix match on `publisher_words` with a
 * terms aggregation of the matching documents' publishers, and the requested value counts from
 * terms aggregations limited to those values. The core's rules (src/search/completion.ts) then
 * decide what matches and in which order, exactly as for the embedded engine.
 */
import type { estypes } from '@elastic/elasticsearch';
import { orderPublishers, orderTitles, type TitleCandidate } from '../../search/completion';
import { FACET_FIELDS } from '../../search/fields';
import type { CompletionRequest, Completions } from '../../search/ports';
import type { FacetName, ResourceDocument } from '../../search/types';
import { searchableText } from './document';

/** Completion options asked for per title shown: inputs of one document may match several times. */
const TITLE_CANDIDATES_PER_TITLE = 4;
const MAX_TITLE_CANDIDATES = 200;
/** Publisher buckets read from the matching documents before the core's filter and order. */
const PUBLISHER_BUCKETS = 200;
/** Terms the last typed word of a publisher may expand to. */
const MAX_EXPANSIONS = 500;

const AGG = { publishers: 'publishers', names: 'names', count: (facet: FacetName) => `count_${facet}` } as const;

export function completionSearch(request: CompletionRequest): estypes.SearchRequest {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  const prefix = searchableText(request.prefix).trim();
  if (prefix !== '' && request.publishers > 0) {
    aggs[AGG.publishers] = {
      filter: { match_phrase_prefix: { publisher_words: { query: prefix, max_expansions: MAX_EXPANSIONS } } },
      aggs: { [AGG.names]: { terms: { field: FACET_FIELDS.publisher.field, size: PUBLISHER_BUCKETS } } },
    };
  }
  for (const { facet, values } of request.counts) {
    if (values.length === 0) continue;
    aggs[AGG.count(facet)] = { terms: { field: FACET_FIELDS[facet].field, include: values, size: values.length } };
  }
  const body: estypes.SearchRequest = { size: 0, track_total_hits: false, query: { match_all: {} }, aggs };
  if (prefix !== '' && request.titles > 0) {
    body.suggest = {
      titles: {
        prefix,
        completion: { field: 'suggest', size: Math.min(MAX_TITLE_CANDIDATES, request.titles * TITLE_CANDIDATES_PER_TITLE), skip_duplicates: false },
      },
    };
  }
  return body;
}

interface Bucket {
  key: string;
  doc_count: number;
}

type CompletionOption = { _source?: { doc?: ResourceDocument } };

export function readCompletions(request: CompletionRequest, response: estypes.SearchResponse | undefined): Completions {
  // The suggest and aggregation sections are typed loosely by the client; their shape is fixed by completionSearch.
  const aggs = (response?.aggregations ?? {}) as Record<string, { buckets?: Bucket[]; [AGG.names]?: { buckets?: Bucket[] } }>;
  const entries = (response?.suggest?.titles ?? []) as { options?: CompletionOption[] | CompletionOption }[];
  const candidates: TitleCandidate[] = entries
    .flatMap((e) => (Array.isArray(e.options) ? e.options : e.options ? [e.options] : []))
    .flatMap((o) => {
      const doc = o._source?.doc;
      return doc ? [{ id: doc.id, title: doc.title, ...(doc.year !== undefined ? { year: doc.year } : {}) }] : [];
    });
  const publishers = (aggs[AGG.publishers]?.[AGG.names]?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  const counts: Completions['counts'] = {};
  for (const { facet, values } of request.counts) {
    const found = new Map((aggs[AGG.count(facet)]?.buckets ?? []).map((b) => [String(b.key), b.doc_count]));
    counts[facet] = Object.fromEntries(values.map((v) => [v, found.get(v) ?? 0]));
  }
  return {
    titles: request.prefix === '' ? [] : orderTitles(candidates, request.prefix, request.titles),
    publishers: request.prefix === '' ? [] : orderPublishers(publishers, request.prefix, request.publishers),
    counts,
  };
}
