/**
 * Ingestion as a job for the JobRunner (src/jobs): what to read (the sources file, or sources
 * given by the caller), run through the one pipeline (pipeline.ts), whose summary is the job's
 * result, so that every run lands in the same history with the same figures.
 */
import path from 'node:path';
import type { JobFunction, JobResult } from '../src/jobs/job-runner';
import type { IndexAdmin } from '../src/search/ports';
import { runIngest, type RunProgress } from './pipeline';
import type { Preparer } from './prepare';
import { loadSourcesFile, type SourceConfig } from './sources';
import { SourcesFileError } from './sources/config';

/**
 * What a run reads: the sources file (read at every run, so edits apply without a restart), or
 * sources given with the request (`npm run ingest`'s files, the sample data of a first start).
 * Plain data: a web process sends it to the ingest process that runs it.
 */
export type RunRequest =
  | { sourcesFile: string; since?: Record<string, string> }
  | { sources: SourceConfig[]; scope: 'inputs' | 'sources-file'; since?: Record<string, string> };

export interface IngestJobDeps {
  admin: IndexAdmin;
  prepare: Preparer;
  maxRejectRate: number;
  maxDropShare: number;
  /** Source id → when it was last harvested by a committed run; asked for by incremental runs without `since`. */
  lastHarvested?: () => Promise<Record<string, string>>;
  /** The CLI's progress bar, besides the runner's figures. */
  onProgress?: (progress: RunProgress) => void;
}

function failedToStart(error: string): JobResult {
  return { outcome: 'failed', rejections: [], rejectionsTotal: 0, error: `${error}\nThe live index was kept.`, sources: [] };
}

export function ingestJob(request: RunRequest, deps: IngestJobDeps): JobFunction {
  return async (ctx) => {
    let sources: SourceConfig[];
    let scope: 'inputs' | 'sources-file' = 'sources-file';
    if ('sourcesFile' in request) {
      try {
        sources = loadSourcesFile(request.sourcesFile);
      } catch (err) {
        return failedToStart(err instanceof SourcesFileError ? err.message : `the sources file could not be read: ${(err as Error).message}`);
      }
    } else {
      sources = request.sources;
      scope = request.scope;
    }
    const since = ctx.mode === 'incremental' ? (request.since ?? (await deps.lastHarvested?.())) : undefined;
    return runIngest({
      sources,
      scope,
      admin: deps.admin,
      prepare: deps.prepare,
      mode: ctx.mode,
      since,
      maxRejectRate: deps.maxRejectRate,
      maxDropShare: deps.maxDropShare,
      signal: ctx.signal,
      runId: ctx.runId,
      onProgress: (p) => {
        for (const s of p.sources) ctx.onProgress(s);
        deps.onProgress?.(p);
      },
    });
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
