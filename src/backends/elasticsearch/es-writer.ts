/**
 * Builds a new generation index beside the live one and swaps the live alias to it on commit.
 * Searches only ever use the alias, so they see the old generation until the single `_aliases`
 * request moves it, and the new one from then on; abort (or a crash) leaves the alias untouched.
 * Records are copied from the live generation (carried over, or all of them for an incremental
 * run) with the client's scroll and bulk helpers, stored as the current version stores them.
 *
 * Old generations are removed when the NEXT run starts, never right after the swap: a search
 * that resolved the alias a moment before may still be reading the generation that was live.
 *
 * Building is set up for writing: no refreshes, no replicas, the translog synced in the
 * background; commit restores what searches and safety need (refreshes, the configured replicas,
 * a synced translog, everything flushed to disk), optionally merges the index's segments into
 * one (the generation never changes again), and only then moves the alias.
 */
import { commitRefusal } from '../../search/commit-guard';
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import {
  CommitRefusedError,
  type CommitOptions,
  type CommitResult,
  type EncodedDocument,
  type EncodedWrites,
  type IndexWriter,
  type WriterOptions,
} from '../../search/ports';
import type { TagLabels } from '../../search/fields';
import type { ResourceDocument } from '../../search/types';
import { carriedDatestamp, contentHash, toDatestamp, type PreviousVersion } from '../../search/datestamp';
import { BulkError, BulkStream, type BulkSettings } from './bulk';
import { errorType } from './client';
import { encodeDocument, esId, toEsDocument, withDatestamp, type EncodedEsDocument } from './document';
import { deleteIndices, readGenerations, staleGenerations, swapActions, type GenerationMeta } from './generations';
import { indexBody, type IndexOptions } from './mappings';
import type { IndexNames } from './names';
import type { EsHitSource } from './read-response';

export interface WriterContext {
  client: Client;
  names: IndexNames;
  labels: TagLabels;
  index: IndexOptions;
  /** Bulk helper settings (see bulk.ts); defaults below. */
  bulk?: Partial<BulkSettings>;
  /**
   * Merge a committed generation's segments into one before it goes live (CORRIDOR_ES_FORCE_MERGE):
   * it never changes again. Off by default: at 100,000 records a build ends with a few segments,
   * and searches measured no faster merged, while the merge took 2-5 s of the build.
   */
  forceMerge?: boolean;
  /** Run ids that may be building a generation now (the ingest lease holder's). */
  buildsInProgress?: () => Promise<(string | undefined)[]>;
}

const DEFAULT_BULK: BulkSettings = { flushBytes: 5 * 1024 * 1024, concurrency: 3, retries: 8, waitMs: 500 };
const COPY_PAGE = 1000;
const SCROLL_KEEP_ALIVE = '2m';
/** Page of ids when listing one source's documents (search_after on the id). */
const ID_PAGE = 5000;
/** The force merge of a large generation takes minutes, not the write client's minute. */
const FORCE_MERGE_TIMEOUT_MS = 60 * 60_000;
/**
 * Versions of the documents a build writes start above 1, the version `create` gives the
 * documents copied from the live generation: a record written after its copy (an incremental
 * run) must replace it.
 */
const FIRST_VERSION = 1000;

/** How long a committed generation may take to get its replicas started before it goes live anyway. */
const REPLICA_WAIT = '30s';

/**
 * Waits until every copy of the new index is started, so that the generation going live is as
 * safe as the one it replaces. A cluster with fewer nodes than copies never gets there: after
 * the wait, the commit goes on (the index is usable, only less safe).
 */
async function waitForReplicas(client: Client, index: string): Promise<void> {
  try {
    await client.cluster.health({ index, wait_for_status: 'green', timeout: REPLICA_WAIT });
  } catch (err) {
    // 408: timed out waiting; the index is usable (yellow), only less safe.
    if (!(err instanceof errors.ResponseError && err.statusCode === 408)) throw err;
  }
}

/** The document encoder, for threads that encode documents for this writer (EncodedWrites). */
const ENCODER_MODULE = require.resolve('./document');

export class EsIndexWriter implements IndexWriter {
  private finished = false;
  /** The bulk helper run taking this build's writes, started by the first write after a flush. */
  private stream: BulkStream | undefined;
  /** The version of the next operation (see bulk.ts and FIRST_VERSION). */
  private version = FIRST_VERSION;
  private readonly bulk: BulkSettings;
  readonly encoded: EncodedWrites = {
    module: ENCODER_MODULE,
    // The cluster does the work; this thread mostly waits for its answers.
    inThisThread: false,
    write: (documents) => this.writeEncoded(documents),
  };

  private constructor(
    private readonly ctx: WriterContext,
    readonly generation: string,
    private readonly startedAt: string,
    /** The live generation when the build started: datestamps of unchanged documents come from it. */
    private readonly live: { name: string; builtAt?: string } | undefined,
  ) {
    this.bulk = { ...DEFAULT_BULK, ...ctx.bulk };
  }

  static async open(ctx: WriterContext, options: WriterOptions): Promise<EsIndexWriter> {
    const { client, names } = ctx;
    const state = await readGenerations(client, names);
    await deleteIndices(client, staleGenerations(state, (await ctx.buildsInProgress?.()) ?? []));

    const generation = names.newGeneration();
    const startedAt = new Date().toISOString();
    const body = indexBody(ctx.index);
    const meta: GenerationMeta = { state: 'building', generation, startedAt };
    if (options.runId !== undefined) meta.runId = options.runId;
    try {
      await client.indices.create({
        index: generation,
        settings: { ...body.settings, ...BUILDING_SETTINGS },
        mappings: { ...body.mappings, _meta: { corridor: meta } },
      });
    } catch (err) {
      // The name is new and random: if it exists, it is this very request, retried by the client
      // on another node after the first one lost its connection (a node going down) but succeeded.
      if (errorType(err) !== 'resource_already_exists_exception') throw err;
    }
    const live = state.live ? { name: state.live.name, builtAt: state.live.meta?.builtAt } : undefined;
    const writer = new EsIndexWriter(ctx, generation, startedAt, live);
    try {
      if (options.mode === 'incremental' && state.live) await writer.copyLive(undefined, new Set());
    } catch (err) {
      await writer.abort();
      throw err;
    }
    return writer;
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('index writer is closed');
  }

  private writes(): BulkStream {
    this.stream ??= new BulkStream(this.ctx.client, this.generation, this.bulk);
    return this.stream;
  }

  /** Waits until every write sent so far is acknowledged; throws what Elasticsearch refused. */
  private async flush(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    await stream?.end();
    this.assertOpen();
  }

  /**
   * Copies the live generation's documents (of one source, or all of them) into the new index,
   * skipping `except` and, with `create`, every id already written: records delivered this time win.
   * Each keeps its datestamp (the live build's commit time when it changed then), and is stored as
   * this version stores documents (toEsDocument), not copied verbatim.
   */
  private async copyLive(source: string | undefined, except: ReadonlySet<string>): Promise<number> {
    if (this.live === undefined) return 0;
    await this.flush();
    const { client } = this.ctx;
    const scroll = client.helpers.scrollDocuments<EsHitSource>({
      index: this.live.name,
      query: source === undefined ? { match_all: {} } : sourceQuery(source),
      _source: ['doc', 'hash', 'changed'],
      size: COPY_PAGE,
      sort: ['_doc'],
      scroll: SCROLL_KEEP_ALIVE,
    });
    async function* documents(): AsyncGenerator<EsHitSource> {
      for await (const hit of scroll) if (hit.doc && !except.has(hit.doc.id)) yield hit;
    }
    const failures: string[] = [];
    const stats = await client.helpers.bulk<EsHitSource>({
      datasource: documents(),
      onDocument: (hit) => {
        const version = { hash: hit.hash ?? contentHash(hit.doc), changed: hit.changed ?? this.liveStamp() };
        return [{ create: { _index: this.generation, _id: esId(hit.doc.id) } }, toEsDocument(hit.doc, this.ctx.labels, version)];
      },
      onDrop: (dropped) => {
        // 409: written by this run already; the record it delivered wins.
        if (dropped.status !== 409) failures.push(`${dropped.document.doc.id}: ${dropped.error?.type ?? dropped.status}: ${dropped.error?.reason ?? ''}`);
      },
      flushBytes: this.bulk.flushBytes,
      concurrency: this.bulk.concurrency,
      retries: this.bulk.retries,
      wait: this.bulk.waitMs,
    });
    if (failures.length > 0) throw new BulkError(`Elasticsearch refused ${failures.length} carried-over document(s): ${failures.slice(0, 5).join('; ')}`);
    return stats.successful;
  }

  private liveStamp(): string | undefined {
    return this.live?.builtAt ? toDatestamp(new Date(this.live.builtAt)) : undefined;
  }

  /** Each document's version in the live generation (by Elasticsearch id), when it has one. */
  private async liveVersions(ids: string[]): Promise<Map<string, PreviousVersion>> {
    const versions = new Map<string, PreviousVersion>();
    if (!this.live || ids.length === 0) return versions;
    const response = await this.ctx.client.mget<EsHitSource>({ index: this.live.name, ids, _source: ['hash', 'changed'] });
    for (const item of response.docs) {
      // A generation written before datestamps has no hash: its documents count as changed.
      if ('found' in item && item.found && item._source?.hash) {
        versions.set(item._id, { hash: item._source.hash, changed: item._source.changed });
      }
    }
    return versions;
  }

  async write(documents: ResourceDocument[]): Promise<void> {
    await this.writeEncoded(documents.map((doc) => encodeDocument(doc, this.ctx.labels)));
  }

  private async writeEncoded(documents: EncodedDocument[]): Promise<void> {
    this.assertOpen();
    const ids = documents.map((doc) => esId(doc.id));
    const previous = await this.liveVersions([...new Set(ids)]);
    const stream = this.writes();
    for (let i = 0; i < documents.length; i++) {
      // Made by encodeDocument (this writer's encoder).
      const { json, hash } = documents[i]!.payload as EncodedEsDocument;
      const changed = carriedDatestamp(hash, previous.get(ids[i]!), this.live?.builtAt);
      await stream.push({ action: 'index', id: ids[i]!, version: this.version++, json: withDatestamp(json, changed) });
    }
  }

  async delete(ids: string[]): Promise<number> {
    // After every write sent so far: external versions already keep a delete from being overtaken
    // (bulk.ts), but whether the record was there, which the count says, is known only then.
    await this.flush();
    const deletes = new BulkStream(this.ctx.client, this.generation, this.bulk, { countDeleted: true });
    try {
      for (const id of ids) await deletes.push({ action: 'delete', id: esId(id), version: this.version++ });
    } finally {
      await deletes.end();
    }
    return deletes.deleted;
  }

  async *liveIds(source: string): AsyncIterable<string> {
    this.assertOpen();
    if (this.live === undefined) return;
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await this.ctx.client.search({
        index: this.live.name,
        size: ID_PAGE,
        query: sourceQuery(source),
        sort: [{ id: { order: 'asc' } }],
        _source: false,
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
      const hits = response.hits.hits;
      // The sort value is the document's id itself.
      for (const hit of hits) yield String(hit.sort?.[0]);
      if (hits.length < ID_PAGE) return;
      after = hits[hits.length - 1]!.sort;
    }
  }

  async liveSources(): Promise<Map<string, number>> {
    this.assertOpen();
    const sources = new Map<string, number>();
    if (this.live === undefined) return sources;
    let after: Record<string, estypes.FieldValue> | undefined;
    for (;;) {
      const response = await this.ctx.client.search({
        index: this.live.name,
        size: 0,
        aggs: {
          sources: {
            composite: { size: 1000, sources: [{ source: { terms: { field: 'source', missing_bucket: true } } }], ...(after ? { after } : {}) },
          },
        },
      });
      const agg = response.aggregations?.sources as estypes.AggregationsCompositeAggregate | undefined;
      // Keyed buckets are an object; composite aggregations always answer with an array.
      const buckets = Array.isArray(agg?.buckets) ? agg.buckets : [];
      for (const bucket of buckets) sources.set(bucket.key.source === null ? '' : String(bucket.key.source), bucket.doc_count);
      if (!agg?.after_key || buckets.length === 0) return sources;
      after = agg.after_key;
    }
  }

  async carryOver(source: string, except: ReadonlySet<string>): Promise<number> {
    this.assertOpen();
    return this.copyLive(source, except);
  }

  async commit(options: CommitOptions): Promise<CommitResult> {
    await this.flush();
    const { client, names } = this.ctx;
    const before = await readGenerations(client, names);
    if (!before.indices.some((i) => i.name === this.generation && i.meta?.generation === this.generation)) {
      await this.abort();
      throw new Error('this build was removed as abandoned by a run that took over the ingest lock; nothing was committed');
    }
    await client.indices.putSettings({ index: this.generation, settings: { ...LIVE_SETTINGS, number_of_replicas: this.ctx.index.replicas } });
    await client.indices.refresh({ index: this.generation });
    const documents = (await client.count({ index: this.generation })).count;
    const state = await readGenerations(client, names);
    const previousDocuments = state.live ? (await client.count({ index: state.live.name })).count : 0;

    const refusal = commitRefusal(documents, previousDocuments, options.maxDropShare);
    if (refusal) {
      await this.abort();
      throw new CommitRefusedError(refusal, previousDocuments);
    }
    if (this.ctx.forceMerge === true) {
      await client.indices.forcemerge({ index: this.generation, max_num_segments: 1 }, { requestTimeout: FORCE_MERGE_TIMEOUT_MS });
    }
    // On disk before it goes live: while building, the translog was only synced in the background.
    await client.indices.flush({ index: this.generation });
    // The flush is a new Lucene commit: without this refresh the first scheduled one (a second
    // after going live) would open a new reader, and the request cache, keyed by reader, would
    // lose everything the warm-up put in it.
    await client.indices.refresh({ index: this.generation });
    if (this.ctx.index.replicas > 0) await waitForReplicas(client, this.generation);

    const meta: GenerationMeta = {
      state: 'committed',
      generation: this.generation,
      startedAt: this.startedAt,
      builtAt: new Date().toISOString(),
      runId: options.runId,
      documents,
    };
    try {
      await client.indices.putMapping({ index: this.generation, _meta: { corridor: meta } });
      // One request moves both aliases: searches see the old generation or the new, never neither.
      // If another process moved them since they were read, a remove fails and nothing changes.
      await client.indices.updateAliases({ actions: swapActions(names, state, this.generation) });
    } catch (err) {
      // The swap may have happened even so: the client retries a request whose connection broke
      // (a node going down), and the retry fails because the aliases already moved. Never delete
      // an index the live alias points at.
      const now = await readGenerations(client, names).catch(() => undefined);
      if (now?.live?.name !== this.generation) {
        await this.abort();
        throw err;
      }
    }
    this.finished = true;
    return { documents, generation: this.generation, previousDocuments };
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.stream?.abort();
    this.stream = undefined;
    try {
      // Never an index an alias points at (a commit whose answer was lost may have swapped it in).
      const state = await readGenerations(this.ctx.client, this.ctx.names);
      if (state.live?.name === this.generation || state.previous?.name === this.generation) return;
      await deleteIndices(this.ctx.client, [this.generation]);
    } catch {
      // The cluster may be what failed. Left behind, the index is removed as an orphan when a
      // later run starts (see staleGenerations); the live alias never pointed at it.
    }
  }
}

/**
 * Index settings while a generation is built: nobody searches it until commit (no refreshes),
 * replicas would only double the work (they are added at commit, copied from the finished
 * index), and a crash loses the build whatever is synced (the translog is synced in the background).
 */
export const BUILDING_SETTINGS = { refresh_interval: '-1', number_of_replicas: 0, 'index.translog.durability': 'async' } as const;
/** What commit restores before the alias moves (the replicas: as configured). */
const LIVE_SETTINGS = { refresh_interval: '1s', 'index.translog.durability': 'request' } as const;

/** The documents of one source; "" stands for those without a source. */
function sourceQuery(source: string): estypes.QueryDslQueryContainer {
  return source === '' ? { bool: { must_not: { exists: { field: 'source' } } } } : { term: { source } };
}
