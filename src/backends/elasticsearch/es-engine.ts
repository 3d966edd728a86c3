/**
 * SearchEngine over the live alias. I/O only: the request comes from translate-query.ts, the
 * page from read-response.ts. When the cluster cannot answer (down, unreachable, slower than the
 * configured timeout) every method throws EngineUnavailableError, which the web layer answers
 * with 503; the client reconnects by itself, so service resumes when the cluster is back.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import type {
  ChangeListPage,
  ChangeListRequest,
  CompletionRequest,
  Completions,
  EngineHealth,
  EngineSearchRequest,
  FacetValuesRequest,
  RelatedRequest,
  SearchEngine,
} from '../../search/ports';
import { relatedSearch } from './es-related';
import { completionSearch, readCompletions } from './es-completion';
import { toDatestamp } from '../../search/datestamp';
import { facetLabeller, facetValuesPage, type FacetLabeller } from '../../search/facet-values';
import type { TagLabels } from '../../search/fields';
import { afterCursor, changeListFilter, changeListSort } from './change-list';
import type { FacetValuesPage, IndexStatus, ResourceDocument, SearchResultPage } from '../../search/types';
import { describeFailure, errorType, isNotFound, SearchItemError, toEngineError } from './client';
import { esId } from './document';
import type { GenerationMeta } from './generations';
import type { IndexNames } from './names';
import { countedOf, readHitsOnly, readResponse, totalOf, type EsHitSource, type FacetAgg } from './read-response';
import { facetValuesBody } from './facet-values-query';
import { countBody, searchItems, type EsSearchBody } from './translate-query';
import { batched } from './batch';
import { WORDS_FIELD } from './mappings';
import { MAX_RESULT_WINDOW } from '../../search/result-rules';
import { fromStored } from '../../search/stored-document';

export interface EngineContext {
  client: Client;
  names: IndexNames;
  /** For messages only. */
  nodes: string[];
  timeoutMs: number;
  /** Name the facet values: equal counts are listed by label. */
  labels: TagLabels;
  /** Closes every client of the backend; default: this engine's client. */
  close?: () => Promise<void>;
}

const MIN_SUGGEST_WORD = 3;

/** An _msearch item: its search response, or its error thrown. */
function searchOrThrow(item: estypes.MsearchResponseItem<EsHitSource>): estypes.SearchResponse<EsHitSource> {
  if ('error' in item) throw new SearchItemError(item.status, item.error.type, item.error.reason ?? '');
  return item;
}
const EXPORT_PAGE = 1000;
/** from + size limit of one search (index.max_result_window, set to the core's result window). */
const RESULT_WINDOW = MAX_RESULT_WINDOW;
const EXPORT_KEEP_ALIVE = '2m';

export class ElasticsearchEngine implements SearchEngine {
  readonly name = 'elasticsearch';
  private readonly label: FacetLabeller;
  /** Counts asked for together (no-results help asks for several at once) go as one _msearch. */
  private readonly countTogether: (body: EsSearchBody) => Promise<number>;

  constructor(private readonly ctx: EngineContext) {
    this.label = facetLabeller(ctx.labels);
    this.countTogether = batched((bodies) => this.countAll(bodies));
  }

  private fail(err: unknown): unknown {
    return toEngineError(err, this.ctx.nodes, this.ctx.timeoutMs);
  }

  /**
   * One round trip: the page of hits, and the counts (facets, years, total) as a separately
   * cacheable search (translate-query.ts splitForCache).
   */
  async search(request: EngineSearchRequest): Promise<SearchResultPage> {
    const { client, names } = this.ctx;
    const { searches, hasHits } = searchItems(names.live, request);
    try {
      const result = await client.msearch<EsHitSource>({ searches });
      const responses = result.responses.map(searchOrThrow);
      const counts = responses[responses.length - 1]!;
      const page = hasHits ? responses[0]! : counts;
      // The hits of the page with the counts' aggregations and total; `took` of the whole
      // _msearch: Elasticsearch's own time for both searches (they run concurrently).
      const combined = { ...page, hits: { ...page.hits, total: counts.hits.total }, aggregations: counts.aggregations, took: result.took };
      return request.facets === false ? readHitsOnly(request.query, combined) : readResponse(request.query, combined, this.label);
    } catch (err) {
      // No generation committed yet: an empty library, not an error.
      if (errorType(err) === 'index_not_found_exception') {
        return request.facets === false ? readHitsOnly(request.query, undefined) : readResponse(request.query, undefined, this.label);
      }
      throw this.fail(err);
    }
  }

  count(request: EngineSearchRequest): Promise<number> {
    return this.countTogether(countBody(request));
  }

  /** Several counts in one _msearch, each cacheable (size 0); 0 before the first build. */
  private async countAll(bodies: EsSearchBody[]): Promise<(number | Error)[]> {
    const { client, names } = this.ctx;
    const header = { index: names.live, request_cache: true };
    try {
      const result = await client.msearch({ searches: bodies.flatMap((body) => [header, body]) });
      return result.responses.map((item) => {
        if (!('error' in item)) return totalOf(item.hits.total);
        if (item.error.type === 'index_not_found_exception') return 0;
        const failure = this.fail(new SearchItemError(item.status, item.error.type, item.error.reason ?? ''));
        return failure instanceof Error ? failure : new Error(String(failure));
      });
    } catch (err) {
      if (errorType(err) === 'index_not_found_exception') return bodies.map(() => 0);
      throw this.fail(err);
    }
  }

  async facetValues(request: FacetValuesRequest): Promise<FacetValuesPage> {
    const { client, names } = this.ctx;
    const selected = request.query.filters[request.facet];
    let counted: { value: string; count: number }[] = [];
    try {
      // Cacheable like the facet counts of search(): size 0, and generations never change.
      const response = await client.search({ index: names.live, request_cache: true, ...facetValuesBody(request) });
      // The aggregation results are loosely typed by the client; their shape is fixed by facet-values-query.ts.
      counted = countedOf(response.aggregations as FacetAgg | undefined, selected);
    } catch (err) {
      if (errorType(err) !== 'index_not_found_exception') throw this.fail(err);
    }
    return facetValuesPage({ ...request, counted, selected, label: this.label });
  }

  async get(id: string): Promise<ResourceDocument | null> {
    const { client, names } = this.ctx;
    try {
      const response = await client.get<EsHitSource>({ index: names.live, id: esId(id), _source: ['doc', 'changed'] });
      const doc = response._source?.doc;
      if (!doc || doc.id !== id) return null;
      const changed = response._source?.changed ?? (await this.liveGeneration())?.builtAt;
      return changed ? { ...fromStored(doc), changed } : fromStored(doc);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw this.fail(err);
    }
  }

  /** The index the live alias points at, and its `_meta`; throws a not-found error before the first build. */
  private async liveIndex(): Promise<{ name: string | undefined; meta: GenerationMeta | undefined }> {
    const info = (await this.ctx.client.indices.get({ index: this.ctx.names.live, filter_path: ['*.mappings._meta'] })) as Record<
      string,
      { mappings?: { _meta?: { corridor?: GenerationMeta } } }
    >;
    const [name, details] = Object.entries(info)[0] ?? [];
    return { name, meta: details?.mappings?._meta?.corridor };
  }

  /** The live generation's index name and commit time (as a datestamp); undefined before the first build. */
  private async liveGeneration(): Promise<{ name: string; builtAt: string } | undefined> {
    try {
      const { name, meta } = await this.liveIndex();
      if (name === undefined) return undefined;
      // A generation always has its commit time; without one, "now" keeps datestamps well-formed.
      return { name, builtAt: toDatestamp(meta?.builtAt ? new Date(meta.builtAt) : new Date()) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.fail(err);
    }
  }

  async wordFrequency(word: string): Promise<number> {
    const { client, names } = this.ctx;
    try {
      const response = await client.count({ index: names.live, query: { term: { [WORDS_FIELD]: word } } });
      return response.count;
    } catch (err) {
      if (isNotFound(err)) return 0;
      throw this.fail(err);
    }
  }

  async listChanges(request: ChangeListRequest): Promise<ChangeListPage> {
    const live = await this.liveGeneration();
    if (!live) return { documents: [], total: 0 };
    const { client } = this.ctx;
    const filter = changeListFilter(request, live.builtAt);
    const sort = changeListSort(live.builtAt);
    try {
      let offset = request.offset ?? 0;
      let searchAfter: estypes.FieldValue[] | undefined;
      // Past the result window, walk the order by its sort values alone until the offset.
      while (offset + request.limit > RESULT_WINDOW) {
        const step = Math.min(offset, RESULT_WINDOW);
        const skipped = await client.search({
          index: live.name,
          size: step,
          _source: false,
          track_total_hits: false,
          query: { bool: { filter } },
          sort,
          ...(searchAfter ? { search_after: searchAfter } : {}),
        });
        const hits = skipped.hits.hits;
        if (hits.length < step) return { documents: [], total: await this.countChanges(live.name, filter), generation: live.name };
        searchAfter = hits[hits.length - 1]!.sort;
        offset -= step;
      }
      const cursor = request.after ? [afterCursor(request.after, live.builtAt)] : [];
      const [page, total] = await Promise.all([
        client.search<EsHitSource>({
          index: live.name,
          size: request.limit,
          from: offset,
          _source: ['doc', 'changed'],
          track_total_hits: false,
          query: { bool: { filter: [...filter, ...cursor] } },
          sort,
          ...(searchAfter ? { search_after: searchAfter } : {}),
        }),
        this.countChanges(live.name, filter),
      ]);
      const documents = page.hits.hits.flatMap((hit) =>
        hit._source?.doc ? [{ ...fromStored(hit._source.doc), changed: hit._source.changed ?? live.builtAt }] : [],
      );
      return { documents, total, generation: live.name };
    } catch (err) {
      if (errorType(err) === 'index_not_found_exception') return { documents: [], total: 0 };
      throw this.fail(err);
    }
  }

  private async countChanges(index: string, filter: estypes.QueryDslQueryContainer[]): Promise<number> {
    return (await this.ctx.client.count({ index, query: { bool: { filter } } })).count;
  }

  async complete(request: CompletionRequest): Promise<Completions> {
    const { client, names } = this.ctx;
    try {
      // Only the fields the suggestions show are fetched with each completion option.
      const response = await client.search({ index: names.live, _source: ['doc.id', 'doc.title', 'doc.year'], ...completionSearch(request) });
      return readCompletions(request, response);
    } catch (err) {
      if (errorType(err) === 'index_not_found_exception') return readCompletions(request, undefined);
      throw this.fail(err);
    }
  }

  async related(request: RelatedRequest): Promise<ResourceDocument[]> {
    const doc = request.document;
    if (request.limit <= 0) return [];
    const { client, names } = this.ctx;
    try {
      const response = await client.search<EsHitSource>({ index: names.live, ...relatedSearch(esId(doc.id), doc, request.limit) });
      // Related records are listed by title, type, publisher and year: a record changed in this
      // build (no stored datestamp) is not worth another request for the generation's commit time.
      return response.hits.hits.flatMap((hit) => {
        const stored = hit._source?.doc;
        if (!stored) return [];
        const changed = hit._source?.changed;
        return [changed ? { ...fromStored(stored), changed } : fromStored(stored)];
      });
    } catch (err) {
      if (errorType(err) === 'index_not_found_exception') return [];
      throw this.fail(err);
    }
  }

  async suggestWords(word: string, limit: number): Promise<string[]> {
    if (word.length < MIN_SUGGEST_WORD) return [];
    const { client, names } = this.ctx;
    try {
      const response = await client.search({
        index: names.live,
        size: 0,
        suggest: {
          words: {
            text: word,
            term: {
              // Unstemmed, folded words of titles, abstracts and keywords (see mappings.ts).
              field: WORDS_FIELD,
              // Only words more frequent than the typed one (a common word needs no suggestion).
              suggest_mode: 'popular',
              max_edits: word.length <= 4 ? 1 : 2,
              prefix_length: 1,
              min_word_length: MIN_SUGGEST_WORD,
              string_distance: 'damerau_levenshtein',
              sort: 'score',
              size: limit,
            },
          },
        },
      });
      // The suggest section is typed loosely by the client; term suggestions have text + freq options.
      type Option = { text: string; freq?: number };
      const entries = (response.suggest?.words ?? []) as { options?: Option[] | Option }[];
      const options = entries.flatMap((e) => (Array.isArray(e.options) ? e.options : e.options ? [e.options] : []));
      // Found in two documents at least, as the embedded engine requires.
      return options
        .filter((o) => (o.freq ?? 0) >= 2 && o.text !== word)
        .map((o) => o.text)
        .slice(0, limit);
    } catch (err) {
      if (errorType(err) === 'index_not_found_exception') return [];
      throw this.fail(err);
    }
  }

  async status(): Promise<IndexStatus> {
    const { client, names } = this.ctx;
    try {
      const { name: generation, meta } = await this.liveIndex();
      const { count } = await client.count({ index: names.live });
      return { engine: this.name, documents: count, builtAt: meta?.builtAt, runId: meta?.runId, generation };
    } catch (err) {
      if (isNotFound(err)) return { engine: this.name, documents: 0 };
      throw this.fail(err);
    }
  }

  async health(): Promise<EngineHealth> {
    const { client } = this.ctx;
    try {
      // Cluster health, not ping()/info(): GET / is not available on every distribution (405).
      const health = await client.cluster.health();
      const where = `cluster "${health.cluster_name}" (${health.number_of_nodes} node${health.number_of_nodes === 1 ? '' : 's'})`;
      if (health.status === 'red') {
        return { ok: false, engine: this.name, detail: `${where} is red: ${health.unassigned_shards} shard(s) have no available copy` };
      }
      return { ok: true, engine: this.name, detail: `${where} is ${health.status}` };
    } catch (err) {
      return { ok: false, engine: this.name, detail: describeFailure(err, this.ctx.nodes, this.ctx.timeoutMs) };
    }
  }

  /** The live generation through a scroll, which keeps reading the generation it started on. */
  async *exportDocuments(): AsyncIterable<ResourceDocument> {
    const { client, names } = this.ctx;
    let scrollId: string | undefined;
    try {
      let response = await client.search<EsHitSource>({
        index: names.live,
        scroll: EXPORT_KEEP_ALIVE,
        size: EXPORT_PAGE,
        sort: ['_doc'],
        _source: ['doc'],
        query: { match_all: {} },
      });
      for (;;) {
        scrollId = response._scroll_id ?? scrollId;
        for (const hit of response.hits.hits) if (hit._source?.doc) yield fromStored(hit._source.doc);
        if (response.hits.hits.length === 0 || !scrollId) break;
        response = await client.scroll<EsHitSource>({ scroll_id: scrollId, scroll: EXPORT_KEEP_ALIVE });
      }
    } catch (err) {
      if (errorType(err) === 'index_not_found_exception') return;
      throw this.fail(err);
    } finally {
      if (scrollId) await client.clearScroll({ scroll_id: scrollId }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await (this.ctx.close ? this.ctx.close() : this.ctx.client.close());
  }
}
