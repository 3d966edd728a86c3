/**
 * The harvest: every enabled configured source, in order, into ONE new index generation that
 * starts as a copy of the live one, committed only when the run is good.
 *
 * Why a copy and not an empty generation: a source that fails this time (down, timing out,
 * answering garbage) must keep the records it had. So each source only ever adds, updates and
 * removes its own records: a full run removes those a source that was read to its end no longer
 * lists; an incremental run removes those the source reports deleted. Records a failing source
 * delivered before it failed are kept (they are valid and current); none of its records is
 * removed.
 *
 * The run fails, and the live index stays exactly as it was, when every source failed, when the
 * share of rejected records passes the limit, or when the engine refuses the commit (an empty
 * index, too large a drop). Aborting the signal discards the new generation the same way.
 */
import { CommitRefusedError, type IndexWriter } from '../src/search/ports';
import type { ResourceDocument } from '../src/search/types';
import type {
  HarvestOptions,
  HarvestOutcome,
  HarvestProgress,
  HarvestRejection,
  HarvestSummary,
  SourceRunSummary,
} from './harvest-types';
import { idOf, MAX_REPORTED, newRunId, noteTags, rejectRateExceeded, rejectRateMessage } from './run-common';
import { countFields, duplicateIdMessage, newFieldCounts, RunIds } from './run-tallies';
import type { SourceConfig } from './sources/config';
import { DuplicateRegistry, duplicateKeys, type DuplicateReason, type RecordOwner } from './sources/dedupe';
import { openSource } from './sources';
import { HarvestCancelledError, throwIfCancelled, type SourceItem } from './sources/types';

export type {
  DuplicateMerge,
  HarvestMode,
  HarvestOptions,
  HarvestOutcome,
  HarvestProgress,
  HarvestRejection,
  HarvestSummary,
  HarvestTotals,
  SourceRunCounts,
  SourceRunStatus,
  SourceRunSummary,
} from './harvest-types';

const PROGRESS_INTERVAL_MS = 200;
const HEARTBEAT_MS = 1000;
const SINCE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A source could not be read; the run goes on with the next one. */
class SourceFailure extends Error {}

function messageOf(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

function sourceEntry(config: SourceConfig): SourceRunSummary {
  const entry: SourceRunSummary = {
    id: config.id,
    kind: config.kind,
    status: config.enabled ? 'pending' : 'disabled',
    read: 0,
    indexed: 0,
    rejected: 0,
    deleted: 0,
    duplicates: 0,
    durationMs: 0,
  };
  if (config.label !== undefined) entry.label = config.label;
  return entry;
}

/** Harvests the sources into the index; never throws: the outcome is in the summary. */
export async function runHarvest(options: HarvestOptions): Promise<HarvestSummary> {
  return new HarvestRun(options).execute();
}

class HarvestRun {
  private readonly summary: HarvestSummary;
  private readonly startedAt = Date.now();
  private readonly duplicates = new DuplicateRegistry();
  private readonly ids = new RunIds();
  private readonly batchSize: number;
  private writer: IndexWriter | undefined;
  private phase: HarvestProgress['phase'] = 'harvesting';
  private current: SourceRunSummary | undefined;
  private currentStarted = 0;
  private lastProgress = 0;

  constructor(private readonly options: HarvestOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.summary = {
      runId: options.runId ?? newRunId(),
      mode: options.mode,
      started: new Date(this.startedAt).toISOString(),
      finished: '',
      durationMs: 0,
      outcome: 'failed',
      committed: false,
      read: 0,
      written: 0,
      rejected: 0,
      deleted: 0,
      duplicates: 0,
      indexed: 0,
      sources: options.sources.map(sourceEntry),
      merges: [],
      rejections: [],
      tagged: { countries: 0, regions: 0, themes: 0 },
      unknownFields: newFieldCounts(),
      warnings: [],
    };
  }

  async execute(): Promise<HarvestSummary> {
    const { options, summary } = this;
    const enabled = options.sources.filter((s) => s.enabled);
    this.progress(true);
    if (enabled.length === 0) return this.finish('failed', 'no enabled sources to harvest; the live index was kept');
    if (options.signal?.aborted) return this.finish('cancelled', 'the run was cancelled before it started; the live index was kept');
    try {
      this.writer = await options.admin.openWriter({ mode: 'incremental' });
    } catch (err) {
      return this.finish('failed', `the index could not be opened for writing: ${messageOf(err)}`);
    }
    const writer = this.writer;
    // A request may take a while (a slow repository, retries): the elapsed time keeps moving.
    const heartbeat = options.onProgress ? setInterval(() => this.tick(), HEARTBEAT_MS) : undefined;
    heartbeat?.unref();
    try {
      for (const config of enabled) {
        throwIfCancelled(options.signal);
        const entry = summary.sources[options.sources.indexOf(config)]!;
        try {
          // Keys are kept only for later sources to check against: a single-source run (the
          // sample data, one big file) keeps none, so memory does not grow with the record count.
          await this.harvestSource(config, entry, writer, config !== enabled[enabled.length - 1]);
        } catch (err) {
          if (!(err instanceof SourceFailure)) throw err;
          entry.status = 'failed';
          entry.error = err.message;
          this.warn(err.message);
        } finally {
          this.current = undefined;
          this.progress(true);
        }
      }
      throwIfCancelled(options.signal);

      const failed = summary.sources.filter((s) => s.status === 'failed');
      if (failed.length === enabled.length) {
        await this.discard();
        return this.finish('failed', `every source failed; the live index was kept (${failed.map((s) => s.error).join('; ')})`);
      }
      if (options.mode === 'full') await this.removeRetiredSources(writer);
      if (rejectRateExceeded(summary.rejected, summary.read, options.maxRejectRate)) {
        await this.discard();
        return this.finish('failed', rejectRateMessage(summary.rejected, summary.read, options.maxRejectRate));
      }
      this.phase = 'committing';
      this.progress(true);
      const result = await writer.commit({ runId: summary.runId, maxDropShare: options.maxDropShare });
      summary.committed = true;
      summary.indexed = result.documents;
      summary.generation = result.generation;
      return this.finish(failed.length > 0 ? 'partial' : 'succeeded');
    } catch (err) {
      await this.discard();
      if (err instanceof HarvestCancelledError || options.signal?.aborted) {
        return this.finish('cancelled', 'the run was cancelled; the live index was kept');
      }
      const reason = err instanceof CommitRefusedError ? `the commit was refused: ${err.message}` : `${messageOf(err)}; the live index was kept`;
      return this.finish('failed', reason);
    } finally {
      if (heartbeat !== undefined) clearInterval(heartbeat);
    }
  }

  private tick(): void {
    if (this.phase === 'finished') return;
    if (this.current !== undefined) this.current.durationMs = Date.now() - this.currentStarted;
    this.progress(true);
  }

  private async harvestSource(config: SourceConfig, entry: SourceRunSummary, writer: IndexWriter, registerKeys: boolean): Promise<void> {
    const { options, summary } = this;
    const started = Date.now();
    entry.status = 'running';
    this.current = entry;
    this.currentStarted = started;
    const since = options.mode === 'incremental' ? this.sinceOf(config.id) : undefined;
    if (since !== undefined) entry.since = since;
    this.progress(true);

    // Ids this source has in the index: only these may be removed on its behalf.
    const existing = new Set(await writer.sourceIds(config.id));
    const seen = new Set<string>();
    let batch: ResourceDocument[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const documents = batch;
      batch = [];
      await writer.write(documents);
      summary.written += documents.length;
    };
    const remove = async (id: string) => {
      await flush();
      await writer.delete([id]);
      existing.delete(id);
      seen.delete(id);
    };

    const source = (options.openSource ?? openSource)(config);
    const iterator = source.harvest({ since, signal: options.signal })[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        throwIfCancelled(options.signal);
        const item = await this.next(config, iterator);
        if (item === undefined) break;
        switch (item.kind) {
          case 'warning':
            this.warn(item.message);
            if (item.incomplete) entry.incomplete = true;
            break;
          case 'deleted':
            if (existing.has(item.id) || seen.has(item.id)) {
              await remove(item.id);
              entry.deleted++;
              summary.deleted++;
            }
            break;
          case 'error':
            this.count(entry);
            this.reject(entry, { source: config.id, position: item.position, reason: item.error, location: item.location });
            break;
          case 'record': {
            this.count(entry);
            const document = this.prepare(config, entry, item);
            if (document === undefined) break;
            const duplicate =
              registerKeys || !this.duplicates.empty ?
                this.duplicates.claim({ source: config.id, id: document.doc.id }, duplicateKeys(document.doc), registerKeys)
              : undefined;
            if (duplicate !== undefined) {
              this.noteDuplicate(entry, document.doc.id, duplicate.owner, duplicate.reason);
              // Its own earlier copy would otherwise stay beside the record it duplicates.
              if (document.doc.id !== duplicate.owner.id && existing.has(document.doc.id)) await remove(document.doc.id);
              break;
            }
            batch.push(document.doc);
            seen.add(document.doc.id);
            entry.indexed++;
            if (batch.length >= this.batchSize) await flush();
            break;
          }
        }
        entry.durationMs = Date.now() - started;
        this.progress(false);
      }
      finished = true;
      await flush();
    } catch (err) {
      if (!(err instanceof SourceFailure)) throw err;
      // What the source delivered before it failed is valid and current: keep it.
      await flush();
      throw err;
    } finally {
      entry.durationMs = Date.now() - started;
      if (!finished) await iterator.return?.().catch(() => undefined);
    }

    if (options.mode === 'full' && config.prune && !entry.incomplete) {
      const vanished = (await writer.sourceIds(config.id)).filter((id) => !seen.has(id));
      if (entry.indexed + entry.duplicates === 0 && vanished.length > 0) {
        // An empty answer (or one whose every record is rejected) is far more often a broken
        // endpoint, a wrong set or a changed API than a source that withdrew everything: as for
        // the index as a whole, an empty result never replaces a populated one.
        this.warn(`${config.id}: listed no valid records; its ${vanished.length} records in the index were kept`);
      } else {
        await this.removeIds(writer, vanished);
        entry.deleted += vanished.length;
        summary.deleted += vanished.length;
      }
    }
    entry.status = 'succeeded';
    entry.durationMs = Date.now() - started;
  }

  private async removeIds(writer: IndexWriter, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += this.batchSize) await writer.delete(ids.slice(i, i + this.batchSize));
  }

  /** Full runs: the records of sources no longer in the sources file go with them. */
  private async removeRetiredSources(writer: IndexWriter): Promise<void> {
    const configured = new Set(this.options.sources.map((s) => s.id));
    for (const id of new Set(this.options.retiredSources ?? [])) {
      if (configured.has(id)) continue;
      const ids = await writer.sourceIds(id);
      if (ids.length === 0) continue;
      await this.removeIds(writer, ids);
      this.summary.deleted += ids.length;
      this.warn(`${id}: no longer in the sources file; its ${ids.length} records were removed`);
    }
  }

  /** The next item; a failure of the source itself becomes a SourceFailure. */
  private async next(config: SourceConfig, iterator: AsyncIterator<SourceItem>): Promise<SourceItem | undefined> {
    try {
      const step = await iterator.next();
      return step.done ? undefined : step.value;
    } catch (err) {
      if (err instanceof HarvestCancelledError || this.options.signal?.aborted) throw new HarvestCancelledError();
      const message = messageOf(err);
      throw new SourceFailure(message.startsWith(`${config.id}:`) ? message : `${config.id}: ${message}`);
    }
  }

  private prepare(
    config: SourceConfig,
    entry: SourceRunSummary,
    item: Extract<SourceItem, { kind: 'record' }>,
  ): { doc: ResourceDocument } | undefined {
    const raw = item.raw;
    const prepared = this.options.prepare(raw, config.id);
    if (!prepared.ok) {
      this.reject(entry, { source: config.id, position: item.position, id: idOf(raw), reason: prepared.reason, location: item.location });
      return undefined;
    }
    const doc = prepared.document;
    // sourceIds() and pruning depend on it, whatever source name the preparer was built with.
    doc.source = config.id;
    noteTags(this.summary.tagged, doc);
    countFields(this.summary.unknownFields, prepared.unknownFields);
    const place = { source: item.location ?? config.id, position: item.position };
    const earlier = this.ids.see(doc.id, place);
    if (earlier !== undefined) this.warn(`${config.id}: ${duplicateIdMessage(doc.id, earlier, place)}`);
    for (const warning of prepared.warnings) this.warn(`${config.id}:${item.position}: ${warning}`);
    return { doc };
  }

  private sinceOf(sourceId: string): string | undefined {
    const since = this.options.since?.[sourceId];
    if (since === undefined) return undefined;
    if (SINCE.test(since.trim())) return since.trim();
    this.warn(`${sourceId}: ignored the last-harvest date ${JSON.stringify(since)} (not an ISO date); all its records were read`);
    return undefined;
  }

  private count(entry: SourceRunSummary): void {
    entry.read++;
    this.summary.read++;
  }

  private reject(entry: SourceRunSummary, rejection: HarvestRejection): void {
    entry.rejected++;
    this.summary.rejected++;
    if (rejection.location === undefined) delete rejection.location;
    if (rejection.id === undefined) delete rejection.id;
    if (this.summary.rejections.length < MAX_REPORTED) this.summary.rejections.push(rejection);
  }

  private noteDuplicate(entry: SourceRunSummary, id: string, keptAs: RecordOwner, reason: DuplicateReason): void {
    entry.duplicates++;
    this.summary.duplicates++;
    if (this.summary.merges.length < MAX_REPORTED) this.summary.merges.push({ source: entry.id, id, reason, keptAs });
  }

  private warn(message: string): void {
    if (this.summary.warnings.length < MAX_REPORTED) this.summary.warnings.push(message);
  }

  private async discard(): Promise<void> {
    try {
      await this.writer?.abort();
    } catch {
      // The generation being built is private to this run; failing to remove it changes nothing
      // live, and the writer removes stale generations on the next run.
    }
  }

  private finish(outcome: HarvestOutcome, failure?: string): HarvestSummary {
    const { summary } = this;
    const now = Date.now();
    summary.outcome = outcome;
    if (failure !== undefined) summary.failure = failure;
    summary.finished = new Date(now).toISOString();
    summary.durationMs = now - this.startedAt;
    for (const entry of summary.sources) {
      if (entry.status === 'pending') entry.status = 'not-run';
      else if (entry.status === 'running') entry.status = outcome === 'cancelled' ? 'cancelled' : 'not-run';
    }
    this.phase = 'finished';
    this.progress(true);
    return summary;
  }

  private progress(force: boolean): void {
    const listener = this.options.onProgress;
    if (listener === undefined) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    const { summary } = this;
    const snapshot: HarvestProgress = {
      runId: summary.runId,
      mode: summary.mode,
      phase: this.phase,
      started: summary.started,
      elapsedMs: now - this.startedAt,
      sources: summary.sources.map((s) => ({ ...s })),
      totals: { read: summary.read, written: summary.written, rejected: summary.rejected, deleted: summary.deleted, duplicates: summary.duplicates },
    };
    if (this.current !== undefined) snapshot.current = this.current.id;
    try {
      listener(snapshot);
    } catch {
      // A failing progress display must not fail the run it displays.
    }
  }
}
