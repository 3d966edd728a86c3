/**
 * The ingest pipeline, the one way records reach the index: sources → validation and
 * normalisation → analysis → duplicate detection across sources → IndexWriter … commit | abort.
 * Every run goes through it: the staff console, the nightly schedule and `run-sources` read the
 * sources file; `npm run ingest` reads file sources made from its arguments; the first start
 * reads the sample data as the source "sample". It returns the run's summary (RunSummary, the
 * type the run history and the staff console show), and never throws.
 *
 * A full run builds a NEW generation: each source that is read to its end writes its records,
 * and the records it no longer lists are gone (unless it is a feed, `prune: false`, or was cut
 * short by a page limit). The records of a source that failed, or is disabled, are carried over
 * from the live generation as they were; records of sources that are not among the run's sources
 * (taken out of the sources file; files loaded with `npm run ingest`) are not, so the run removes
 * them, and says so. An incremental run starts from the live generation and applies what the
 * sources deliver: additions, updates, and the deletions a source reports; it removes nothing else.
 *
 * The run fails, and the live index stays exactly as it was, when every source failed, when the
 * share of rejected records passes the limit, or when the engine refuses the commit (an empty
 * index, too large a drop). Aborting the signal discards the new generation the same way.
 */
import { newRunId } from '../src/jobs/job-runner';
import {
  MAX_NOTES,
  MAX_STORED_REJECTIONS,
  totalsOf,
  type RejectedRecord,
  type RunCounts,
  type RunMode,
  type RunSummary,
  type SourceStats,
  type TagCounts,
} from '../src/jobs/run-history';
import { CommitRefusedError, type EncodedDocument, type IndexAdmin, type IndexWriter } from '../src/search/ports';
import type { ResourceDocument } from '../src/search/types';
import { defaultPreparationThreads, prepareChunk, TAGGED, type LineTransform, type PreparedItem, type Preparer, type RecordPreparer } from './prepare';
import { PreparePool, type RecordChunk } from './prepare-pool';
import { duplicateIdMessage, RunIds } from './run-tallies';
import type { SourceConfig } from './sources/config';
import { DuplicateRegistry, type DuplicateReason, type RecordOwner } from './sources/dedupe';
import { openSource } from './sources';
import { HarvestCancelledError, throwIfCancelled, type Source, type SourceItem } from './sources/types';

export type { PreparedRecord, RecordPreparer } from './prepare';

export type RunPhase = 'reading' | 'carrying-over' | 'committing' | 'finished';

export interface RunProgress {
  runId: string;
  mode: RunMode;
  phase: RunPhase;
  started: string;
  elapsedMs: number;
  /** The source being read. */
  current?: string;
  /** Every source of the run; durationMs grows while a source runs. */
  sources: SourceStats[];
  counts: RunCounts;
}

export interface IngestOptions {
  /** The run's sources, in order (earlier ones win duplicates). Disabled ones are carried over. */
  sources: SourceConfig[];
  /**
   * What the sources are, for the message about records of other sources that a full run removes:
   * the configured sources ("no longer in the sources file") or the command's inputs.
   */
  scope?: 'sources-file' | 'inputs';
  admin: IndexAdmin;
  /**
   * Validation, normalisation and analysis of each raw record (prepare.ts): in this thread, or on
   * worker threads (then the index writer's per-document encoding is done there too).
   */
  prepare: Preparer;
  mode: RunMode;
  /** Source id → ISO date (or date-time) of its last successful harvest; incremental runs only. */
  since?: Record<string, string>;
  maxRejectRate: number;
  maxDropShare: number;
  /** Aborting discards the new generation; the live index is untouched. */
  signal?: AbortSignal;
  /**
   * Called at every change of source or phase, at most every 200 ms while records flow, and at
   * least every second while a source is being read (elapsed time moves during slow requests).
   */
  onProgress?: (progress: RunProgress) => void;
  runId?: string;
  batchSize?: number;
  /** Tests replace the readers; the default is the reader of each source's kind. */
  openSource?: (config: SourceConfig) => Source;
}

const PROGRESS_INTERVAL_MS = 200;
/** Records sent to a preparation thread at a time. */
const CHUNK_RECORDS = 256;
/** Chunks (and other items) read ahead of the one being applied: what the threads have queued. */
const READ_AHEAD = 16;
/** Records a run reads before it starts preparation threads (ThreadedPreparer.startAfter). */
const START_THREADS_AFTER = 5000;
const HEARTBEAT_MS = 1000;
const SINCE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** Merged duplicates listed one by one in the notes; beyond this only counted. */
const LISTED_MERGES = 20;

/** A source could not be read; the run goes on with the next one. */
class SourceFailure extends Error {}

function messageOf(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function emptyStats(source: string, state: SourceStats['state'], kind?: string): SourceStats {
  const stats: SourceStats = { source, state, read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 };
  if (kind !== undefined) stats.kind = kind;
  return stats;
}

function sourceEntry(config: SourceConfig): SourceStats {
  const entry = emptyStats(config.id, config.enabled ? 'pending' : 'disabled', config.kind);
  if (config.label !== undefined) entry.label = config.label;
  entry.durationMs = 0;
  return entry;
}

interface Merge {
  source: string;
  id: string;
  reason: DuplicateReason;
  keptAs: RecordOwner;
}

/** A record as a source delivered it: parsed, or as an NDJSON line. */
type RecordItem = Extract<SourceItem, { kind: 'record' | 'line' }>;

/**
 * A source's items in the order it delivered them: records in chunks being prepared (perhaps on
 * another thread), other items as they are. They are applied in this order, whatever order the
 * chunks finish in.
 */
type Step =
  | { kind: 'records'; items: RecordItem[]; prepared: Promise<PreparedItem[]>; ready: boolean }
  | { kind: 'item'; item: Exclude<SourceItem, RecordItem> };

/** A chunk's records as the preparation takes them (RecordChunk). */
function chunkOf(source: string, items: RecordItem[], keys: boolean): RecordChunk {
  const records: unknown[] = new Array<unknown>(items.length);
  let lines: Uint8Array | undefined;
  let transform: LineTransform | undefined;
  items.forEach((item, i) => {
    if (item.kind === 'record') {
      records[i] = item.raw;
      return;
    }
    records[i] = item.text;
    lines ??= new Uint8Array(items.length);
    lines[i] = 1;
    transform ??= { mapping: item.mapping, defaults: item.defaults };
  });
  return { source, records, lines, transform, keys };
}

/** Whether `item` can join a chunk whose lines are transformed by `transform`. */
function sameTransform(item: RecordItem, transform: LineTransform | undefined): boolean {
  return item.kind !== 'line' || transform === undefined || (item.mapping === transform.mapping && item.defaults === transform.defaults);
}

/** Runs the sources into the index; never throws: the outcome is in the summary. */
export async function runIngest(options: IngestOptions): Promise<RunSummary> {
  return new IngestRun(options).execute();
}

class IngestRun {
  private readonly runId: string;
  private readonly startedAt = Date.now();
  private readonly entries: SourceStats[];
  private readonly duplicates = new DuplicateRegistry();
  /**
   * Every id accepted in this run, with where it was first seen (a repeated id is reported with
   * both places) and the source that wrote it to the new generation.
   */
  private readonly ids = new RunIds();
  private readonly batchSize: number;
  private readonly rejections: RejectedRecord[] = [];
  private readonly warnings: string[] = [];
  private readonly merges: Merge[] = [];
  private readonly tagged: TagCounts = { countries: 0, regions: 0, themes: 0 };
  /** A Map, not an object: a record's field may be called "__proto__" or "constructor". */
  private readonly unknownFields = new Map<string, number>();
  /** Ids withdrawn at their source, or dropped as duplicates: never carried over. */
  private readonly removed = new Set<string>();
  /** Sources of the live index that are not the run's (full runs), for the notes. */
  private readonly retired: { source: string; removed: number; moved: number }[] = [];
  private documents: number | undefined;
  private writer: IndexWriter | undefined;
  private phase: RunPhase = 'reading';
  private current: SourceStats | undefined;
  private currentStarted = 0;
  private lastProgress = 0;
  /** Preparation in this thread: the whole run's, or the first records' (see startAfter). */
  private readonly inThread: RecordPreparer;
  /** The preparation threads, once started. */
  private pool: PreparePool | undefined;
  /** Records sent to preparation so far. */
  private submitted = 0;

  constructor(private readonly options: IngestOptions) {
    this.runId = options.runId ?? newRunId();
    this.batchSize = options.batchSize ?? 1000;
    this.entries = options.sources.map(sourceEntry);
    this.inThread = typeof options.prepare === 'function' ? options.prepare : options.prepare.prepare;
  }

  async execute(): Promise<RunSummary> {
    const { options } = this;
    const enabled = options.sources.filter((s) => s.enabled);
    this.progress(true);
    if (enabled.length === 0) return this.finish('failed', 'no enabled sources to read; the live index was kept');
    if (options.signal?.aborted) return this.finish('cancelled', 'the run was cancelled before it started; the live index was kept');
    try {
      this.writer = await options.admin.openWriter({ mode: options.mode, runId: this.runId });
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
        const index = options.sources.indexOf(config);
        const entry = this.entries[index]!;
        try {
          // Keys are kept only for later sources to check against: a single-source run (the
          // sample data, one big file) keeps none, so memory does not grow with the record count.
          await this.readSource(config, index, writer, config !== enabled[enabled.length - 1]);
        } catch (err) {
          if (!(err instanceof SourceFailure)) throw err;
          entry.state = 'failed';
          entry.error = err.message;
          this.warn(err.message);
        } finally {
          this.current = undefined;
          this.progress(true);
        }
      }
      throwIfCancelled(options.signal);
      // Every record is read: the threads' memory is better left to the commit.
      await this.closePool();

      const failed = this.entries.filter((s) => s.state === 'failed');
      if (failed.length === enabled.length) {
        await this.discard();
        return this.finish('failed', `every source failed; the live index was kept (${failed.map((s) => s.error).join('; ')})`);
      }
      const { read, rejected } = totalsOf(this.entries);
      const rate = read === 0 ? 0 : rejected / read;
      if (rate > options.maxRejectRate) {
        await this.discard();
        return this.finish(
          'failed',
          `${rejected} of ${read} records were rejected (${percent(rate)}), more than the allowed ${percent(options.maxRejectRate)}; nothing was changed`,
        );
      }
      if (options.mode === 'full') {
        this.phase = 'carrying-over';
        this.progress(true);
        await this.completeFullRun(writer);
        throwIfCancelled(options.signal);
      }
      this.phase = 'committing';
      this.progress(true);
      const result = await writer.commit({ runId: this.runId, maxDropShare: options.maxDropShare });
      this.documents = result.documents;
      return this.finish(failed.length > 0 ? 'partial' : 'succeeded');
    } catch (err) {
      await this.discard();
      if (err instanceof HarvestCancelledError || options.signal?.aborted) {
        return this.finish('cancelled', 'the run was cancelled; the live index was kept');
      }
      if (err instanceof CommitRefusedError) {
        this.documents = err.liveDocuments;
        return this.finish('failed', `the commit was refused: ${err.message}`);
      }
      return this.finish('failed', `${messageOf(err)}; the live index was kept`);
    } finally {
      if (heartbeat !== undefined) clearInterval(heartbeat);
      // However the run ended: threads left running would keep the process alive.
      await this.closePool();
    }
  }

  private tick(): void {
    if (this.phase === 'finished') return;
    if (this.current !== undefined) this.current.durationMs = Date.now() - this.currentStarted;
    this.progress(true);
  }

  private async readSource(config: SourceConfig, index: number, writer: IndexWriter, registerKeys: boolean): Promise<void> {
    const { options } = this;
    const entry = this.entries[index]!;
    const started = Date.now();
    const full = options.mode === 'full';
    entry.state = 'running';
    this.current = entry;
    this.currentStarted = started;
    const since = full ? undefined : this.sinceOf(config.id);
    if (since !== undefined) entry.since = since;
    this.progress(true);
    // Duplicate keys are compared when this source registers them for later ones, or when an
    // earlier source did (the registry only grows while a source that registers is read).
    const compareKeys = registerKeys || !this.duplicates.empty;

    // What goes to the writer: documents, or documents its encoder encoded (EncodedWrites).
    let documents: ResourceDocument[] = [];
    let encoded: EncodedDocument[] = [];
    const flush = async () => {
      if (documents.length > 0) {
        const batch = documents;
        documents = [];
        await writer.write(batch);
      }
      if (encoded.length > 0) {
        const batch = encoded;
        encoded = [];
        await writer.encoded!.write(batch);
      }
    };
    /** Takes a record out of the new generation; true when it was there. */
    const remove = async (id: string): Promise<boolean> => {
      this.removed.add(id);
      // A full run's generation holds only what this run wrote; an incremental one the live records too.
      if (full && this.ids.writer(id) !== index) return false;
      await flush();
      const removedNow = (await writer.delete([id])) > 0;
      this.ids.unwritten(id);
      return removedNow;
    };
    /** Takes the records of a prepared chunk in order (awaiting only when the writer is called). */
    const accept = async (items: RecordItem[], results: PreparedItem[]): Promise<void> => {
      for (let i = 0; i < items.length; i++) {
        const prepared = results[i]!;
        if (!this.tally(config, entry, index, items[i]!, prepared)) continue;
        const id = prepared.id;
        const duplicate = compareKeys ? this.duplicates.claim({ source: config.id, id }, prepared.keys ?? [], registerKeys) : undefined;
        if (duplicate !== undefined) {
          this.noteDuplicate(entry, id, duplicate.owner, duplicate.reason);
          // Its own earlier copy would otherwise stay beside the record it duplicates.
          if (id !== duplicate.owner.id) await remove(id);
          continue;
        }
        // Documents and encoded documents go to the writer in the order they came.
        if (prepared.encoded !== undefined) {
          if (documents.length > 0) await flush();
          encoded.push(prepared.encoded);
        } else {
          if (encoded.length > 0) await flush();
          documents.push(prepared.document!);
        }
        this.ids.wrote(id, index);
        this.removed.delete(id);
        entry.indexed++;
        if (documents.length + encoded.length >= this.batchSize) await flush();
      }
    };
    const apply = async (step: Step): Promise<void> => {
      if (step.kind === 'records') {
        await accept(step.items, await step.prepared);
        // Encoded documents go to the writer chunk by chunk: they are large, and the writer keeps
        // its own batches (a transaction, the bulk helper's requests); held here, they would
        // outlive the young generation of the heap and have to be collected from the old.
        if (encoded.length > 0) await flush();
        return;
      }
      const item = step.item;
      switch (item.kind) {
        case 'warning':
          this.warn(item.message);
          if (item.incomplete) entry.incomplete = true;
          break;
        case 'deleted':
          // Full runs count the removal when they compare with the live generation (completeFullRun).
          if ((await remove(item.id)) && !full) entry.deleted++;
          break;
        case 'error':
          this.reject(entry, { source: config.id, position: item.position, reason: item.error, location: item.location });
          break;
      }
    };

    const steps: Step[] = [];
    let chunk: RecordItem[] = [];
    let chunkTransform: LineTransform | undefined;
    const submit = () => {
      if (chunk.length === 0) return;
      steps.push(this.prepareChunk(config.id, chunk, compareKeys));
      chunk = [];
      chunkTransform = undefined;
    };
    /** Applies the steps that are ready at the head of the queue, and waits for others past `keep`. */
    const settle = async (keep: number) => {
      while (steps.length > 0) {
        const head = steps[0]!;
        if (steps.length <= keep && head.kind === 'records' && !head.ready) return;
        steps.shift();
        await apply(head);
      }
    };

    const source = (options.openSource ?? openSource)(config);
    // NDJSON records come as lines: they are parsed where they are prepared (another thread).
    const iterator = source.harvest({ since, signal: options.signal, lines: true })[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        throwIfCancelled(options.signal);
        const item = await this.next(config, iterator);
        if (item === undefined) break;
        if (item.kind === 'record' || item.kind === 'line') {
          entry.read++;
          // One chunk, one mapping (a source has one; this only guards the assumption).
          if (!sameTransform(item, chunkTransform)) submit();
          if (item.kind === 'line') chunkTransform ??= { mapping: item.mapping, defaults: item.defaults };
          chunk.push(item);
          // A full chunk, or a thread with nothing to do: a slow source's records are not kept waiting.
          if (chunk.length >= CHUNK_RECORDS || this.preparationIdle()) submit();
        } else {
          if (item.kind === 'error') entry.read++;
          submit();
          steps.push({ kind: 'item', item });
        }
        await settle(READ_AHEAD);
        entry.durationMs = Date.now() - started;
        this.progress(false);
      }
      finished = true;
      submit();
      await settle(0);
      await flush();
    } catch (err) {
      if (!(err instanceof SourceFailure)) throw err;
      // What the source delivered before it failed is valid and current: keep it.
      submit();
      await settle(0);
      await flush();
      throw err;
    } finally {
      entry.durationMs = Date.now() - started;
      if (!finished) await iterator.return?.().catch(() => undefined);
    }
    entry.state = 'done';
  }

  /** True when records are best sent for preparation at once: in this thread, or a thread without work. */
  private preparationIdle(): boolean {
    return this.pool === undefined || this.pool.inFlight < this.pool.size;
  }

  /** Starts preparing a chunk of records: on the threads once they are started, else here and now. */
  private prepareChunk(source: string, items: RecordItem[], keys: boolean): Step {
    const chunk = chunkOf(source, items, keys);
    const pool = this.poolFor(items.length);
    let prepared: Promise<PreparedItem[]>;
    if (pool !== undefined) {
      prepared = pool.prepare(chunk);
    } else {
      try {
        prepared = Promise.resolve(prepareChunk(this.inThread, chunk));
      } catch (err) {
        prepared = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
    const step: Step = { kind: 'records', items, prepared, ready: false };
    // Also handles the rejection of a chunk that a cancelled or failed run never applies.
    prepared.then(
      () => (step.ready = true),
      () => (step.ready = true),
    );
    return step;
  }

  private async closePool(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }

  private poolFor(records: number): PreparePool | undefined {
    const threaded = this.options.prepare;
    if (typeof threaded === 'function') return undefined;
    if (this.pool === undefined) {
      this.submitted += records;
      if (this.submitted <= (threaded.startAfter ?? START_THREADS_AFTER)) return undefined;
      const encoded = this.writer?.encoded;
      const threads = threaded.threads ?? defaultPreparationThreads(encoded?.inThisThread === true);
      this.pool = new PreparePool(threads, { vocabulary: threaded.vocabulary, encoder: encoded?.module });
    }
    return this.pool;
  }

  /**
   * A full run's new generation holds what the sources wrote. Each source's records in the live
   * generation that it did not deliver again are now either removed (it was read to its end and
   * prunes) or carried over as they were (it failed, is disabled, is a feed, was cut short, or
   * suddenly listed nothing valid). Records of sources that are not the run's are removed.
   */
  private async completeFullRun(writer: IndexWriter): Promise<void> {
    const { options } = this;
    for (const [index, config] of options.sources.entries()) {
      throwIfCancelled(options.signal);
      const entry = this.entries[index]!;
      if (entry.state === 'disabled') {
        entry.carried = await writer.carryOver(config.id, this.removed);
        continue;
      }
      let unlisted = 0;
      for await (const id of writer.liveIds(config.id)) {
        if (this.ids.writer(id) !== undefined) continue;
        if (this.removed.has(id)) entry.deleted++;
        else unlisted++;
      }
      if (unlisted === 0) continue;
      const failed = entry.state === 'failed';
      const listedNothing = !failed && entry.indexed + entry.duplicates === 0;
      if (failed || !config.prune || entry.incomplete || listedNothing) {
        // An empty answer (or one whose every record is rejected) is far more often a broken
        // endpoint, a wrong set or a changed API than a source that withdrew everything: as for
        // the index as a whole, an empty result never replaces a populated one.
        if (listedNothing && config.prune && !entry.incomplete) {
          this.warn(`${config.id}: listed no valid records; its ${unlisted} records in the index were kept`);
        }
        entry.carried = await writer.carryOver(config.id, this.removed);
      } else {
        entry.deleted += unlisted;
      }
    }
    const ours = new Set(options.sources.map((s) => s.id));
    for (const source of (await writer.liveSources()).keys()) {
      if (ours.has(source)) continue;
      // Its records that a source of this run delivered again stay, under that source.
      let removed = 0;
      let moved = 0;
      for await (const id of writer.liveIds(source)) {
        if (this.ids.writer(id) !== undefined) moved++;
        else removed++;
      }
      const retired = emptyStats(source, 'retired');
      retired.deleted = removed;
      this.entries.push(retired);
      this.retired.push({ source, removed, moved });
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

  /**
   * Counts a prepared record into the run's figures and reports what concerns it; false when it
   * was rejected.
   */
  private tally(config: SourceConfig, entry: SourceStats, index: number, item: RecordItem, prepared: PreparedItem): prepared is Extract<PreparedItem, { ok: true }> {
    if (!prepared.ok) {
      this.reject(entry, { source: config.id, position: item.position, recordId: prepared.recordId, reason: prepared.reason, location: item.location });
      return false;
    }
    if (prepared.tagged & TAGGED.countries) this.tagged.countries++;
    if (prepared.tagged & TAGGED.regions) this.tagged.regions++;
    if (prepared.tagged & TAGGED.themes) this.tagged.themes++;
    for (const field of prepared.unknownFields) this.unknownFields.set(field, (this.unknownFields.get(field) ?? 0) + 1);
    const place = { source: item.location ?? config.id, position: item.position };
    const earlier = this.ids.see(prepared.id, place);
    // Within one source the later record replaces the earlier (same id, the last one wins); across
    // sources the earlier source keeps it, and the merge is reported as a duplicate instead.
    if (earlier !== undefined && this.ids.writer(prepared.id) === index) {
      this.warn(`${place.source === config.id ? '' : `${config.id}: `}${duplicateIdMessage(prepared.id, earlier, place)}`);
    }
    for (const warning of prepared.warnings) this.warn(`${item.location ?? config.id}:${item.position}: ${warning}`);
    return true;
  }

  private sinceOf(sourceId: string): string | undefined {
    const since = this.options.since?.[sourceId];
    if (since === undefined) return undefined;
    if (SINCE.test(since.trim())) return since.trim();
    this.warn(`${sourceId}: ignored the last-harvest date ${JSON.stringify(since)} (not an ISO date); all its records were read`);
    return undefined;
  }

  private reject(entry: SourceStats, rejection: RejectedRecord): void {
    entry.rejected++;
    if (rejection.location === undefined) delete rejection.location;
    if (rejection.recordId === undefined) delete rejection.recordId;
    if (this.rejections.length < MAX_STORED_REJECTIONS) this.rejections.push(rejection);
  }

  private noteDuplicate(entry: SourceStats, id: string, keptAs: RecordOwner, reason: DuplicateReason): void {
    entry.duplicates++;
    if (this.merges.length < LISTED_MERGES) this.merges.push({ source: entry.source, id, reason, keptAs });
  }

  private warn(message: string): void {
    if (this.warnings.length < MAX_STORED_REJECTIONS) this.warnings.push(message);
  }

  private async discard(): Promise<void> {
    try {
      await this.writer?.abort();
    } catch {
      // The generation being built is private to this run; failing to remove it changes nothing
      // live, and the next run removes it as an orphan.
    }
  }

  private counts(): RunCounts {
    const counts = totalsOf(this.entries);
    counts.tagged = { ...this.tagged };
    if (this.documents !== undefined) counts.documents = this.documents;
    return counts;
  }

  /** "reports: no longer in the sources file; its 2 records were removed" (or would have been). */
  private retiredNote(r: { source: string; removed: number; moved: number }, committed: boolean): string {
    const where =
      r.source === '' ? 'records without a source'
      : `${r.source}: ${this.options.scope === 'inputs' ? 'not among the inputs of this run' : 'no longer in the sources file'}`;
    const what = [
      r.removed > 0 ? `its ${r.removed} records ${committed ? 'were removed' : 'would have been removed (nothing was changed)'}` : '',
      r.moved > 0 ? `${r.removed > 0 ? `${r.moved} more` : `its ${r.moved} records`} ${committed ? 'now come' : 'came'} from the run's sources` : '',
    ].filter(Boolean);
    return `${where}; ${what.join('; ')}`;
  }

  private notes(committed: boolean): string[] {
    const duplicates = this.entries.reduce((n, s) => n + s.duplicates, 0);
    const unknown = [...this.unknownFields];
    return [
      ...this.retired.map((r) => this.retiredNote(r, committed)),
      ...(unknown.length > 0 ? [`Ignored unknown fields: ${unknown.map(([f, n]) => `${f} (${n} records)`).join(', ')}`] : []),
      ...this.merges.map((m) => `Merged duplicate ${m.source}:${m.id} into ${m.keptAs.source}:${m.keptAs.id} (${m.reason})`),
      ...(duplicates > this.merges.length ? [`… and ${duplicates - this.merges.length} more duplicates merged`] : []),
      ...this.warnings,
    ].slice(0, MAX_NOTES);
  }

  private finish(outcome: RunSummary['outcome'], error?: string): RunSummary {
    for (const entry of this.entries) {
      if (entry.state === 'pending') entry.state = 'not-run';
      else if (entry.state === 'running') entry.state = outcome === 'cancelled' ? 'cancelled' : 'not-run';
    }
    this.phase = 'finished';
    this.progress(true);
    const summary: RunSummary = {
      outcome,
      counts: this.counts(),
      sources: this.entries.map((s) => ({ ...s })),
      rejections: this.rejections,
      rejectionsTotal: this.entries.reduce((n, s) => n + s.rejected, 0),
      notes: this.notes(outcome === 'succeeded' || outcome === 'partial'),
    };
    if (error !== undefined) summary.error = error;
    return summary;
  }

  private progress(force: boolean): void {
    const listener = this.options.onProgress;
    if (listener === undefined) return;
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    const snapshot: RunProgress = {
      runId: this.runId,
      mode: this.options.mode,
      phase: this.phase,
      started: new Date(this.startedAt).toISOString(),
      elapsedMs: now - this.startedAt,
      sources: this.entries.map((s) => ({ ...s })),
      counts: this.counts(),
    };
    if (this.current !== undefined) snapshot.current = this.current.source;
    try {
      listener(snapshot);
    } catch {
      // A failing progress display must not fail the run it displays.
    }
  }
}
