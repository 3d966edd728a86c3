/**
 * Ingestion as jobs for the JobRunner (src/jobs): the harvest of the configured sources (staff
 * console, nightly schedule, `run-sources`) and the ingestion of files (`npm run ingest`, the
 * first start). Each adapter turns its run's summary into the runner's generic JobResult, and its
 * progress into per-source figures, so every run lands in the same history.
 */
import path from 'node:path';
import type { JobFunction, JobResult, SourceProgress } from '../src/jobs/job-runner';
import type { RejectedRecord, SourceState, SourceStats } from '../src/jobs/run-history';
import type { IndexAdmin, IndexWriter } from '../src/search/ports';
import { runHarvest, type HarvestSummary, type SourceRunStatus, type SourceRunSummary } from './harvest';
import { IngestFailedError, runIngest, type IngestInput, type IngestProgress, type IngestSummary, type RecordPreparer } from './ingest-job';
import { loadSourcesFile, type SourceConfig } from './sources';
import { SourcesFileError } from './sources/config';

/** Notes kept with a run: warnings, ignored fields, merged duplicates (the history caps them). */
const MAX_NOTES = 100;
/** Longest stretch a run may keep the event loop to itself before letting requests through. */
const MAX_BUSY_MS = 50;

/**
 * In the web process a run shares the event loop with searches and the staff console. Reading,
 * validating and analysing records is synchronous work between writes (parsing a 1 MiB chunk of
 * a file takes about a second), so without a pause the console's progress requests and visitors'
 * searches would wait for seconds. This wrapper lets pending I/O run after a write whenever the
 * run has been busy for more than MAX_BUSY_MS; a batch of records is written every few hundred.
 */
export function cooperativeAdmin(admin: IndexAdmin, maxBusyMs = MAX_BUSY_MS): IndexAdmin {
  let lastYield = Date.now();
  const pause = async () => {
    if (Date.now() - lastYield < maxBusyMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastYield = Date.now();
  };
  return {
    rollback: () => admin.rollback(),
    async openWriter(options) {
      const writer = await admin.openWriter(options);
      lastYield = Date.now();
      const wrapped: IndexWriter = {
        write: async (documents) => {
          await writer.write(documents);
          await pause();
        },
        delete: async (ids) => {
          await writer.delete(ids);
          await pause();
        },
        sourceIds: (source) => writer.sourceIds(source),
        commit: (options) => writer.commit(options),
        abort: () => writer.abort(),
      };
      return wrapped;
    },
  };
}

const STATES: Record<SourceRunStatus, SourceState> = {
  pending: 'pending',
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  disabled: 'disabled',
  'not-run': 'not-run',
  cancelled: 'cancelled',
};

function sourceStats(s: SourceRunSummary): SourceStats {
  const stats: SourceStats = {
    source: s.id,
    kind: s.kind,
    state: STATES[s.status],
    read: s.read,
    indexed: s.indexed,
    rejected: s.rejected,
    deleted: s.deleted,
    duplicates: s.duplicates,
  };
  if (s.error !== undefined) stats.error = s.error;
  return stats;
}

function unknownFieldNotes(fields: Record<string, number>): string[] {
  const entries = Object.entries(fields);
  if (entries.length === 0) return [];
  return [`Ignored unknown fields: ${entries.map(([f, n]) => `${f} (${n} records)`).join(', ')}`];
}

export function harvestResult(summary: HarvestSummary): JobResult {
  const notes = [
    ...unknownFieldNotes(summary.unknownFields),
    ...summary.merges.slice(0, 20).map(
      (m) => `Merged duplicate ${m.source}:${m.id} into ${m.keptAs.source}:${m.keptAs.id} (${m.reason})`,
    ),
    ...(summary.duplicates > 20 ? [`… and ${summary.duplicates - 20} more duplicates merged`] : []),
    ...summary.warnings,
  ].slice(0, MAX_NOTES);
  const rejections: RejectedRecord[] = summary.rejections.map((r) => {
    const rejection: RejectedRecord = { source: r.source, position: r.position, reason: r.reason };
    if (r.id !== undefined) rejection.recordId = r.id;
    if (r.location !== undefined) rejection.location = r.location;
    return rejection;
  });
  return {
    // The runner records an aborted run as cancelled whatever the job says.
    outcome: summary.outcome === 'succeeded' || summary.outcome === 'partial' ? summary.outcome : 'failed',
    counts: {
      read: summary.read,
      indexed: summary.written,
      rejected: summary.rejected,
      deleted: summary.deleted,
      duplicates: summary.duplicates,
      documents: summary.committed ? summary.indexed : undefined,
    },
    sources: summary.sources.map(sourceStats),
    rejections,
    rejectionsTotal: summary.rejected,
    error: summary.failure,
    notes,
  };
}

export interface HarvestJobDeps {
  /** Read at every run, so edits to the sources file apply without a restart. */
  sourcesFile: string;
  admin: IndexAdmin;
  prepare: RecordPreparer;
  maxRejectRate: number;
  maxDropShare: number;
  /** Source id → when it was last harvested by a committed run (the history's lastHarvested). */
  lastHarvested(): Record<string, string>;
}

export function harvestJob(deps: HarvestJobDeps): JobFunction {
  return async (ctx) => {
    let sources: SourceConfig[];
    try {
      sources = loadSourcesFile(deps.sourcesFile);
    } catch (err) {
      const message = err instanceof SourcesFileError ? err.message : `the sources file could not be read: ${(err as Error).message}`;
      return { outcome: 'failed', rejections: [], rejectionsTotal: 0, error: `${message}\nThe live index was kept.`, sources: [] };
    }
    const summary = await runHarvest({
      sources,
      admin: cooperativeAdmin(deps.admin),
      prepare: deps.prepare,
      mode: ctx.mode,
      since: ctx.mode === 'incremental' ? deps.lastHarvested() : undefined,
      maxRejectRate: deps.maxRejectRate,
      maxDropShare: deps.maxDropShare,
      signal: ctx.signal,
      runId: ctx.runId,
      onProgress: (p) => {
        for (const s of p.sources) ctx.onProgress(sourceStats(s));
      },
    });
    return harvestResult(summary);
  };
}

export interface FileIngestJobDeps {
  inputs: IngestInput[];
  admin: IndexAdmin;
  prepare: RecordPreparer;
  maxRejectRate: number;
  maxDropShare: number;
  /** The CLI's progress bar, besides the runner's figures. */
  onProgress?: (progress: IngestProgress) => void;
  /** The finished summary, for the CLI's report. */
  onSummary?: (summary: IngestSummary) => void;
}

/**
 * runIngest reports running totals over all inputs; per-input figures are the differences
 * between the totals when an input started and now.
 */
class PerInputFigures {
  private readonly base = new Map<string, IngestProgress>();
  private last: IngestProgress = { source: '', read: 0, written: 0, rejected: 0 };
  private readonly finished = new Set<string>();
  readonly stats = new Map<string, SourceStats>();

  constructor(names: string[]) {
    for (const name of names) this.stats.set(name, { source: name, kind: 'file', state: 'pending', read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 });
  }

  update(p: IngestProgress): SourceProgress[] {
    const changed: SourceProgress[] = [];
    if (!this.base.has(p.source)) {
      // A new input starts where the previous one ended.
      const previous = this.stats.get(this.last.source);
      if (previous && this.last.source !== p.source) {
        previous.state = 'done';
        this.finished.add(previous.source);
        changed.push({ ...previous });
      }
      this.base.set(p.source, { ...this.last, source: p.source });
    }
    const base = this.base.get(p.source)!;
    const stats = this.stats.get(p.source) ?? { source: p.source, kind: 'file', state: 'running', read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 };
    stats.state = 'running';
    stats.read = p.read - base.read;
    stats.indexed = p.written - base.written;
    stats.rejected = p.rejected - base.rejected;
    this.stats.set(p.source, stats);
    changed.push({ ...stats });
    this.last = p;
    return changed;
  }

  final(ok: boolean): SourceStats[] {
    return [...this.stats.values()].map((s) => ({
      ...s,
      state: ok ? 'done' : s.state === 'running' ? 'cancelled' : s.state === 'pending' ? 'not-run' : s.state,
    }));
  }
}

function ingestResult(summary: IngestSummary, sources: SourceStats[], ok: boolean): JobResult {
  return {
    outcome: ok ? 'succeeded' : 'failed',
    counts: {
      read: summary.read,
      indexed: summary.written,
      rejected: summary.rejected,
      deleted: 0,
      duplicates: 0,
      documents: summary.committed ? summary.indexed : undefined,
    },
    sources,
    rejections: summary.rejections.map((r) => {
      const rejection: RejectedRecord = { source: r.source, position: r.position, reason: r.reason };
      if (r.id !== undefined) rejection.recordId = r.id;
      return rejection;
    }),
    rejectionsTotal: summary.rejected,
    error: summary.failure,
    notes: [...unknownFieldNotes(summary.unknownFields), ...summary.warnings].slice(0, MAX_NOTES),
  };
}

export function fileIngestJob(deps: FileIngestJobDeps): JobFunction {
  return async (ctx) => {
    const figures = new PerInputFigures(deps.inputs.map((i) => i.name));
    for (const s of figures.stats.values()) ctx.onProgress(s);
    try {
      const summary = await runIngest({
        inputs: deps.inputs,
        admin: cooperativeAdmin(deps.admin),
        prepare: deps.prepare,
        mode: ctx.mode,
        runId: ctx.runId,
        maxRejectRate: deps.maxRejectRate,
        maxDropShare: deps.maxDropShare,
        signal: ctx.signal,
        onProgress: (p) => {
          for (const changed of figures.update(p)) ctx.onProgress(changed);
          deps.onProgress?.(p);
        },
      });
      deps.onSummary?.(summary);
      return ingestResult(summary, figures.final(true), true);
    } catch (err) {
      if (!(err instanceof IngestFailedError)) throw err;
      deps.onSummary?.(err.summary);
      return ingestResult(err.summary, figures.final(false), false);
    }
  };
}

/** What the staff console lists (its SourcesListing): each configured source's id, kind and location. */
export interface SourcesDescription {
  file: string;
  sources: { id: string; label?: string; kind: string; location: string }[];
  /** Why the file could not be used; the console shows it. */
  error?: string;
}

export function describeSources(sourcesFile: string): SourcesDescription {
  const file = displayPath(sourcesFile);
  try {
    const sources = loadSourcesFile(sourcesFile).map((s) => ({
      id: s.id,
      label: s.label,
      kind: s.enabled ? s.kind : `${s.kind} (disabled)`,
      location: s.kind === 'file' ? displayPath(s.location) : s.location,
    }));
    return { file, sources };
  } catch (err) {
    if (err instanceof SourcesFileError) {
      const missing = err.problems.some((p) => p.includes('ENOENT'));
      return {
        file,
        sources: [],
        error: missing
          ? 'There is no sources file yet, so "Reindex now" and "Ingest changes" have nothing to read. Create one (see docs/sources.md) and reload this page.'
          : `The sources file has problems: ${err.problems.join('; ')}`,
      };
    }
    return { file, sources: [], error: `The sources file could not be read: ${(err as Error).message}` };
  }
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
