/**
 * RunHistory (src/jobs/run-history.ts) as one document per run in `<prefix>-runs`: with the
 * Elasticsearch engine, every web process and CLI of a deployment (whatever machine and data
 * directory) writes and reads the same history, so the consoles agree and incremental runs agree
 * on when each source was last harvested.
 *
 * Writes that others must see at once (a run begins or ends) refresh the small index; live
 * figures do not, and are read by id (real time) wherever it matters.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import {
  clip,
  DEFAULT_KEEP_RUNS,
  lastHarvestedOf,
  lastPerSourceOf,
  MAX_NOTES,
  MAX_STORED_REJECTIONS,
  totalsOf,
  type RejectedRecord,
  type RunCounts,
  type RunHistory,
  type RunMode,
  type RunOutcome,
  type RunRecord,
  type RunResult,
  type RunStart,
  type SourceLastRun,
  type SourceStats,
} from '../../jobs/run-history';
import { indexCreator, isNotFound } from './client';

/** A run as stored: times in epoch milliseconds, snake_case like the lease documents. */
interface RunDoc {
  id: string;
  trigger: string;
  mode: RunMode;
  holder: string;
  started_at: number;
  finished_at?: number;
  duration_ms?: number;
  outcome: RunOutcome;
  counts: RunCounts;
  sources: SourceStats[];
  rejections_total: number;
  error?: string;
  notes: string[];
  rejections?: RejectedRecord[];
}

export interface EsRunHistoryOptions {
  replicas?: number;
  keepRuns?: number;
}

function toRecord(doc: RunDoc): RunRecord {
  const record: RunRecord = {
    id: doc.id,
    trigger: doc.trigger,
    mode: doc.mode,
    holder: doc.holder,
    startedAt: new Date(doc.started_at),
    outcome: doc.outcome,
    counts: doc.counts,
    sources: doc.sources,
    rejectionsTotal: doc.rejections_total,
    notes: doc.notes,
  };
  if (doc.finished_at !== undefined) record.finishedAt = new Date(doc.finished_at);
  if (doc.duration_ms !== undefined) record.durationMs = doc.duration_ms;
  if (doc.error !== undefined) record.error = doc.error;
  return record;
}

const clipSources = (sources: SourceStats[]): SourceStats[] =>
  sources.map((s) => {
    const out: SourceStats = { ...s, source: clip(s.source, 500) };
    if (s.error !== undefined) out.error = clip(s.error);
    return out;
  });

export class ElasticsearchRunHistory implements RunHistory {
  private readonly ensureIndex: () => Promise<void>;
  private readonly keepRuns: number;

  constructor(
    private readonly client: Client,
    private readonly index: string,
    options: EsRunHistoryOptions = {},
  ) {
    this.keepRuns = options.keepRuns ?? DEFAULT_KEEP_RUNS;
    this.ensureIndex = indexCreator(client, index, {
      settings: { number_of_shards: 1, number_of_replicas: options.replicas ?? 0 },
      // Only what is searched or sorted on is indexed; the figures are kept in _source.
      mappings: {
        dynamic: false,
        properties: {
          id: { type: 'keyword' },
          trigger: { type: 'keyword' },
          holder: { type: 'keyword' },
          outcome: { type: 'keyword' },
          started_at: { type: 'long' },
        },
      },
    });
  }

  async begin(run: RunStart): Promise<void> {
    await this.ensureIndex();
    const doc: RunDoc = {
      id: run.id,
      trigger: run.trigger,
      mode: run.mode,
      holder: run.holder,
      started_at: run.startedAt.getTime(),
      outcome: 'running',
      counts: { read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 },
      sources: [],
      rejections_total: 0,
      notes: [],
    };
    await this.client.index({ index: this.index, id: run.id, document: doc, op_type: 'create', refresh: true });
  }

  async progress(runId: string, sources: SourceStats[]): Promise<void> {
    await this.ensureIndex();
    const { carried, ...counts } = totalsOf(sources);
    await this.client.update<RunDoc, Partial<RunDoc>>({
      index: this.index,
      id: runId,
      doc: { sources: clipSources(sources), counts: { ...counts, carried } },
    });
  }

  async finish(runId: string, result: RunResult): Promise<void> {
    const stored = await this.read(runId, true);
    if (!stored) throw new Error(`no run ${runId} in the history`);
    const finishedAt = result.finishedAt.getTime();
    const doc: RunDoc = {
      id: stored.id,
      trigger: stored.trigger,
      mode: stored.mode,
      holder: stored.holder,
      started_at: stored.started_at,
      finished_at: finishedAt,
      duration_ms: Math.max(0, finishedAt - stored.started_at),
      outcome: result.outcome,
      counts: result.counts,
      sources: clipSources(result.sources),
      rejections_total: Math.max(result.rejectionsTotal, result.rejections.length),
      notes: (result.notes ?? []).slice(0, MAX_NOTES).map((n) => clip(n, 500)),
      rejections: result.rejections.slice(0, MAX_STORED_REJECTIONS).map((r) => {
        const out: RejectedRecord = { ...r, source: clip(r.source, 500), reason: clip(r.reason) };
        if (r.recordId !== undefined) out.recordId = clip(r.recordId, 500);
        if (r.location !== undefined) out.location = clip(r.location, 1000);
        return out;
      }),
    };
    if (result.error !== undefined) doc.error = clip(result.error);
    await this.client.index({ index: this.index, id: runId, document: doc, refresh: true });
    await this.prune();
  }

  async get(runId: string): Promise<RunRecord | null> {
    const doc = await this.read(runId, false);
    return doc ? toRecord(doc) : null;
  }

  async list(options: { limit: number; offset?: number }): Promise<{ runs: RunRecord[]; total: number }> {
    const response = await this.search({
      from: options.offset ?? 0,
      size: options.limit,
      sort: [{ started_at: 'desc' }, { id: 'desc' }],
      track_total_hits: true,
    });
    const total = response.hits.total;
    return { runs: this.records(response), total: typeof total === 'number' ? total : (total?.value ?? 0) };
  }

  async rejections(runId: string, options: { limit: number; offset?: number } = { limit: MAX_STORED_REJECTIONS }): Promise<RejectedRecord[]> {
    const doc = await this.read(runId, true);
    const offset = options.offset ?? 0;
    return (doc?.rejections ?? []).slice(offset, offset + options.limit);
  }

  async running(): Promise<RunRecord[]> {
    const response = await this.search({ size: 100, query: { term: { outcome: 'running' } }, sort: [{ started_at: 'asc' }], _source: false });
    const ids = response.hits.hits.map((h) => h._id!);
    if (ids.length === 0) return [];
    // Searches see the index as of its last refresh; live figures are written without one.
    const docs = await this.client.mget<RunDoc>({ index: this.index, ids, _source_excludes: ['rejections'] });
    return docs.docs.flatMap((d) => ('found' in d && d.found && d._source?.outcome === 'running' ? [toRecord(d._source)] : []));
  }

  async lastHarvested(): Promise<Record<string, string>> {
    const response = await this.search({
      size: this.keepRuns,
      query: { terms: { outcome: ['succeeded', 'partial'] } },
      sort: [{ started_at: 'desc' }],
    });
    return lastHarvestedOf(this.records(response));
  }

  async lastPerSource(): Promise<Map<string, SourceLastRun>> {
    const response = await this.search({
      size: this.keepRuns,
      query: { bool: { must_not: { term: { outcome: 'running' } } } },
      sort: [{ started_at: 'desc' }, { id: 'desc' }],
    });
    return lastPerSourceOf(this.records(response));
  }

  /** The client is shared with the backend; the engine's close() closes it. */
  async close(): Promise<void> {}

  private async read(runId: string, withRejections: boolean): Promise<RunDoc | undefined> {
    await this.ensureIndex();
    try {
      const response = await this.client.get<RunDoc>({
        index: this.index,
        id: runId,
        ...(withRejections ? {} : { _source_excludes: ['rejections'] }),
      });
      return response.found ? response._source : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async search(request: Omit<estypes.SearchRequest, 'index'>): Promise<estypes.SearchResponse<RunDoc>> {
    await this.ensureIndex();
    // The rejections stay out of lists: up to a thousand per run.
    return this.client.search<RunDoc>({ index: this.index, _source_excludes: ['rejections'], ...request });
  }

  private records(response: estypes.SearchResponse<RunDoc>): RunRecord[] {
    return response.hits.hits.flatMap((h) => (h._source ? [toRecord(h._source)] : []));
  }

  /** Keeps the newest `keepRuns` runs; cheap when there are fewer (a count). */
  private async prune(): Promise<void> {
    const { count } = await this.client.count({ index: this.index });
    if (count <= this.keepRuns) return;
    const response = await this.search({ from: this.keepRuns, size: 1, sort: [{ started_at: 'desc' }], _source: ['started_at'] });
    const oldestKept = response.hits.hits[0]?._source?.started_at;
    if (oldestKept === undefined) return;
    await this.client.deleteByQuery({
      index: this.index,
      query: { bool: { filter: { range: { started_at: { lte: oldestKept } } }, must_not: { term: { outcome: 'running' } } } },
      refresh: true,
      conflicts: 'proceed',
    });
  }
}
