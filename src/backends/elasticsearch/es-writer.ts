/**
 * Builds a new generation index beside the live one and swaps the live alias to it on commit.
 * Searches only ever use the alias, so they see the old generation until the single `_aliases`
 * request moves it, and the new one from then on; abort (or a crash) leaves the alias untouched.
 *
 * Old generations are removed when the NEXT run starts, never right after the swap: a search
 * that resolved the alias a moment before may still be reading the generation that was live.
 */
import { commitRefusal } from '../../search/commit-guard';
import { errors, type Client } from '@elastic/elasticsearch';
import {
  CommitRefusedError,
  type CommitOptions,
  type CommitResult,
  type IndexWriter,
  type WriterOptions,
} from '../../search/ports';
import type { TagLabels } from '../../search/fields';
import type { ResourceDocument } from '../../search/types';
import { carriedDatestamp, contentHash, toDatestamp, type PreviousVersion } from '../../search/datestamp';
import { runBulk, type BulkOperation } from './bulk';
import { errorType } from './client';
import { esId, toEsDocument } from './document';
import { deleteIndices, readGenerations, staleGenerations, swapActions, type GenerationMeta } from './generations';
import { indexBody, type IndexOptions } from './mappings';
import type { IndexNames } from './names';
import type { EsHitSource } from './read-response';

export interface WriterContext {
  client: Client;
  names: IndexNames;
  labels: TagLabels;
  index: IndexOptions;
  /** Operations per bulk request. */
  bulkSize?: number;
  /** Bulk requests in flight while the caller prepares the next batch. */
  concurrency?: number;
}

const DEFAULT_BULK_SIZE = 1000;
const DEFAULT_CONCURRENCY = 2;
const COPY_PAGE = 1000;
const SCROLL_KEEP_ALIVE = '2m';
/** Page of ids when listing one source's documents (search_after on the id). */
const ID_PAGE = 5000;

/** How long a new generation may take to get its replicas started before writing begins anyway. */
const REPLICA_WAIT = '30s';

/**
 * Waits until every copy of the new index is started. Bulk writes go to primary and replicas
 * alike from then on, so a node that dies during the build takes no shard's only copy with it (a
 * replica still recovering from the primary would not be promoted, and the build would stall).
 * A cluster with fewer nodes than copies never gets there: after the wait, the build goes on.
 */
async function waitForReplicas(client: Client, index: string): Promise<void> {
  try {
    await client.cluster.health({ index, wait_for_status: 'green', timeout: REPLICA_WAIT });
  } catch (err) {
    // 408: timed out waiting; the index is usable (yellow), only less safe.
    if (!(err instanceof errors.ResponseError && err.statusCode === 408)) throw err;
  }
}

export class EsIndexWriter implements IndexWriter {
  private finished = false;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  private constructor(
    private readonly ctx: WriterContext,
    readonly generation: string,
    private readonly startedAt: string,
    /** The live generation when the build started: datestamps of unchanged documents come from it. */
    private readonly live: { name: string; builtAt?: string } | undefined,
  ) {}

  static async open(ctx: WriterContext, options: WriterOptions): Promise<EsIndexWriter> {
    const { client, names } = ctx;
    const state = await readGenerations(client, names);
    await deleteIndices(client, staleGenerations(state, Date.now()));

    const generation = names.newGeneration();
    const startedAt = new Date().toISOString();
    const body = indexBody(ctx.index);
    const meta: GenerationMeta = { state: 'building', generation, startedAt };
    try {
      await client.indices.create({
        index: generation,
        // No refreshes while building: nobody searches this index until commit refreshes it.
        settings: { ...body.settings, refresh_interval: '-1' },
        mappings: { ...body.mappings, _meta: { corridor: meta } },
      });
    } catch (err) {
      // The name is new and random: if it exists, it is this very request, retried by the client
      // on another node after the first one lost its connection (a node going down) but succeeded.
      if (errorType(err) !== 'resource_already_exists_exception') throw err;
    }
    if (ctx.index.replicas > 0) await waitForReplicas(client, generation);
    const live = state.live ? { name: state.live.name, builtAt: state.live.meta?.builtAt } : undefined;
    const writer = new EsIndexWriter(ctx, generation, startedAt, live);
    try {
      if (options.mode === 'incremental' && state.live) await writer.copyFrom(state.live.name);
    } catch (err) {
      await writer.abort();
      throw err;
    }
    return writer;
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('index writer is closed');
    if (this.failure !== undefined) throw this.failure;
  }

  /** Sends one bulk request, keeping at most `concurrency` in flight; a failure surfaces on the next call. */
  private async send(operations: BulkOperation[]): Promise<void> {
    const limit = this.ctx.concurrency ?? DEFAULT_CONCURRENCY;
    while (this.inFlight.size >= limit) await Promise.race(this.inFlight);
    this.assertOpen();
    const request: Promise<void> = runBulk(this.ctx.client, this.generation, operations)
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }

  /** Waits for every bulk request sent so far; throws the first failure. */
  private async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
    this.assertOpen();
  }

  private async sendAll(operations: BulkOperation[]): Promise<void> {
    const size = this.ctx.bulkSize ?? DEFAULT_BULK_SIZE;
    for (let i = 0; i < operations.length; i += size) await this.send(operations.slice(i, i + size));
  }

  /** Incremental mode: the live generation's documents, re-analysed into the new index (no _reindex needed). */
  private async copyFrom(live: string): Promise<void> {
    const { client } = this.ctx;
    let response = await client.search<EsHitSource>({
      index: live,
      scroll: SCROLL_KEEP_ALIVE,
      size: COPY_PAGE,
      sort: ['_doc'],
      _source: ['doc', 'hash', 'changed'],
      query: { match_all: {} },
    });
    const scrollIds = new Set<string>();
    try {
      while (response.hits.hits.length > 0) {
        if (response._scroll_id) scrollIds.add(response._scroll_id);
        const operations: BulkOperation[] = [];
        for (const hit of response.hits.hits) {
          const source = hit._source;
          if (!source?.doc) continue;
          // Copied as they are: each keeps its datestamp (the live build's commit time when it changed then).
          const version = { hash: source.hash ?? contentHash(source.doc), changed: source.changed ?? this.liveStamp() };
          operations.push({ action: 'index', id: esId(source.doc.id), document: toEsDocument(source.doc, this.ctx.labels, version) });
        }
        await this.sendAll(operations);
        if (!response._scroll_id) break;
        response = await client.scroll<EsHitSource>({ scroll_id: response._scroll_id, scroll: SCROLL_KEEP_ALIVE });
      }
      if (response._scroll_id) scrollIds.add(response._scroll_id);
    } finally {
      if (scrollIds.size > 0) await client.clearScroll({ scroll_id: [...scrollIds] }).catch(() => undefined);
    }
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
    this.assertOpen();
    const ids = documents.map((doc) => esId(doc.id));
    const previous = await this.liveVersions([...new Set(ids)]);
    const operations: BulkOperation[] = documents.map((doc, i) => {
      const hash = contentHash({ ...doc, changed: undefined });
      const changed = carriedDatestamp(hash, previous.get(ids[i]!), this.live?.builtAt);
      return { action: 'index', id: ids[i]!, document: toEsDocument(doc, this.ctx.labels, { hash, changed }) };
    });
    await this.sendAll(operations);
  }

  async delete(ids: string[]): Promise<void> {
    // After every write sent so far, so a delete never overtakes the write it undoes.
    await this.flush();
    await this.sendAll(ids.map((id) => ({ action: 'delete', id: esId(id) })));
    await this.flush();
  }

  async sourceIds(source: string): Promise<string[]> {
    await this.flush();
    const { client } = this.ctx;
    await client.indices.refresh({ index: this.generation });
    const ids: string[] = [];
    let after: (string | number)[] | undefined;
    for (;;) {
      const response = await client.search({
        index: this.generation,
        size: ID_PAGE,
        query: { term: { source } },
        sort: [{ id: { order: 'asc' } }],
        _source: false,
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
      const hits = response.hits.hits;
      // The sort value is the document's id itself.
      for (const hit of hits) ids.push(String(hit.sort?.[0]));
      if (hits.length < ID_PAGE) break;
      after = hits[hits.length - 1].sort as (string | number)[];
    }
    return ids;
  }

  async commit(options: CommitOptions): Promise<CommitResult> {
    await this.flush();
    const { client, names } = this.ctx;
    await client.indices.putSettings({ index: this.generation, settings: { refresh_interval: '1s' } });
    await client.indices.refresh({ index: this.generation });
    const documents = (await client.count({ index: this.generation })).count;
    const state = await readGenerations(client, names);
    const previousDocuments = state.live ? (await client.count({ index: state.live.name })).count : 0;

    const refusal = commitRefusal(documents, previousDocuments, options.maxDropShare);
    if (refusal) {
      await this.abort();
      throw new CommitRefusedError(refusal);
    }

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
    await Promise.allSettled([...this.inFlight]);
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
