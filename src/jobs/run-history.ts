/**
 * The run history: one record per ingest run, whoever started it (the nightly schedule, a staff
 * member, the CLI), with its counts, per-source figures, the rejected records and why, and how it
 * ended. This module is the port and the one summary type every run produces; the stores live
 * with the engines (src/backends/sqlite: operations.sqlite in the data directory; Elasticsearch:
 * an index in the cluster, so that every web process of a deployment shows the same history).
 */

export type RunMode = 'full' | 'incremental';
/** partial: committed, but some sources failed (they kept their records from earlier runs). */
export type RunOutcome = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'interrupted';
/**
 * not-run: the run ended before reaching the source; disabled: switched off in the sources file;
 * retired: its records were in the index, but it is no longer one of the run's sources (taken out
 * of the sources file, or a file loaded with `npm run ingest`), so a full run removed them.
 */
export type SourceState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'not-run' | 'disabled' | 'retired';
/** Outcomes whose index generation was committed. */
export const COMMITTED_OUTCOMES: readonly RunOutcome[] = ['succeeded', 'partial'];

export interface TagCounts {
  countries: number;
  regions: number;
  themes: number;
}

export interface RunCounts {
  /** Records and unreadable items the sources delivered. */
  read: number;
  /** Records accepted and written to the new index generation (added or updated) by this run. */
  indexed: number;
  rejected: number;
  /**
   * Records that were in the live index and are not in the new one: withdrawn at their source,
   * no longer listed by it (full runs), or belonging to a source that is no longer configured.
   */
  deleted: number;
  /** Records that duplicated one from an earlier source and were merged into it. */
  duplicates: number;
  /**
   * Records kept as they were from the live index, because their source was not read to its end
   * this time (it failed, is disabled, is a feed that lists only its latest items …).
   */
  carried?: number;
  /** Documents in the live index when the run ended: the new generation's, or the one kept. */
  documents?: number;
  /** Records to which the analysers added at least one country, region or theme. */
  tagged?: TagCounts;
}

export interface SourceStats {
  source: string;
  kind?: string;
  label?: string;
  state: SourceState;
  read: number;
  indexed: number;
  rejected: number;
  deleted: number;
  duplicates: number;
  carried?: number;
  /** Why the source failed, starting with its id: "ilo-feed: GET https://… failed after 3 attempts: …". */
  error?: string;
  durationMs?: number;
  /** The date changes were asked from (incremental runs). */
  since?: string;
  /** The source was not read to its end (a page limit), so nothing of it was removed. */
  incomplete?: boolean;
}

export interface RejectedRecord {
  source: string;
  /** Line, row or item number within the source, when known. */
  position?: number;
  recordId?: string;
  /** The file or page URL the record came from. */
  location?: string;
  reason: string;
}

/** How a run ended, as the ingest pipeline reports it: the one summary type of every run. */
export interface RunSummary {
  outcome: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  counts: RunCounts;
  sources: SourceStats[];
  /** Capped (MAX_STORED_REJECTIONS); `rejectionsTotal` counts them all. */
  rejections: RejectedRecord[];
  rejectionsTotal: number;
  /** Why the run failed or was cancelled; the live index was kept. */
  error?: string;
  /** Warnings worth a look (ignored fields, merged duplicates, failed sources …), capped. */
  notes: string[];
}

export interface RunStart {
  id: string;
  /** "nightly", "staff:<name>", "cli" or "startup". */
  trigger: string;
  mode: RunMode;
  /** The lease holder of the process that runs it. */
  holder: string;
  startedAt: Date;
}

export interface RunResult extends Omit<RunSummary, 'outcome' | 'notes'> {
  outcome: Exclude<RunOutcome, 'running'>;
  finishedAt: Date;
  notes?: string[];
}

export interface RunRecord extends RunStart {
  finishedAt?: Date;
  durationMs?: number;
  outcome: RunOutcome;
  counts: RunCounts;
  sources: SourceStats[];
  /** All rejections of the run; at most MAX_STORED_REJECTIONS of them are kept with reasons. */
  rejectionsTotal: number;
  error?: string;
  notes: string[];
}

/** Per-source figures from the latest finished run that included the source. */
export interface SourceLastRun extends SourceStats {
  runId: string;
  runOutcome: RunOutcome;
  finishedAt?: Date;
  startedAt: Date;
}

/** What the live index says about the run that built it (engine status). */
export interface LiveGeneration {
  runId?: string;
  documents: number;
}

export interface RunHistory {
  begin(run: RunStart): Promise<void>;
  /** Live figures of a running run, so other processes (the console, while the CLI runs) see them. */
  progress(runId: string, sources: SourceStats[]): Promise<void>;
  finish(runId: string, result: RunResult): Promise<void>;
  get(runId: string): Promise<RunRecord | null>;
  /** Newest first. */
  list(options: { limit: number; offset?: number }): Promise<{ runs: RunRecord[]; total: number }>;
  rejections(runId: string, options?: { limit: number; offset?: number }): Promise<RejectedRecord[]>;
  /** Runs recorded as running (some may belong to processes that died: see JobRunner.recover). */
  running(): Promise<RunRecord[]>;
  /** Source id → ISO start time of the latest committed run that read it to its end. */
  lastHarvested(): Promise<Record<string, string>>;
  lastPerSource(): Promise<Map<string, SourceLastRun>>;
  close(): Promise<void>;
}

/** Enough to tell a staff member what a broken feed did, without letting it fill the disk. */
export const MAX_STORED_REJECTIONS = 1000;
export const MAX_NOTES = 100;
export const MAX_TEXT = 2000;
/** Older runs are pruned when a run finishes. */
export const DEFAULT_KEEP_RUNS = 1000;

export function clip(text: string, max?: number): string;
export function clip(text: string | undefined, max?: number): string | undefined;
export function clip(text: string | undefined, max = MAX_TEXT): string | undefined {
  if (text === undefined) return undefined;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function totalsOf(sources: SourceStats[]): RunCounts {
  const counts: RunCounts = { read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0, carried: 0 };
  for (const s of sources) {
    counts.read += s.read;
    counts.indexed += s.indexed;
    counts.rejected += s.rejected;
    counts.deleted += s.deleted;
    counts.duplicates += s.duplicates;
    counts.carried! += s.carried ?? 0;
  }
  return counts;
}

const DIED_UNCOMMITTED = 'the process running it stopped before the run finished; nothing from it was committed';
const DIED_COMMITTED =
  'The process running this run stopped right after its new index went live, before it could record its end: ' +
  'the figures are the last ones it recorded.';

/**
 * How a run whose process died is recorded. When the live generation was built by this very run,
 * the process died after the swap: the run did commit, and saying "nothing was committed" would be
 * false. Pure.
 */
export function endOfDeadRun(run: RunRecord, live: LiveGeneration | undefined, now: Date): RunResult {
  const committed = live?.runId !== undefined && live.runId === run.id;
  const sources = run.sources.map((s): SourceStats => {
    if (s.state === 'running') return { ...s, state: committed ? 'done' : 'cancelled' };
    if (s.state === 'pending') return { ...s, state: 'not-run' };
    return s;
  });
  const base = { finishedAt: now, sources, rejections: [], rejectionsTotal: run.rejectionsTotal };
  if (!committed) {
    return { ...base, outcome: 'interrupted', counts: { ...run.counts }, error: run.error ?? DIED_UNCOMMITTED, notes: run.notes };
  }
  return {
    ...base,
    outcome: sources.some((s) => s.state === 'failed') ? 'partial' : 'succeeded',
    counts: { ...run.counts, documents: live.documents },
    error: run.error,
    notes: [DIED_COMMITTED, ...run.notes],
  };
}

/**
 * Source id → ISO start of the newest committed run that read the source to its end, from runs
 * listed newest first: incremental runs ask for changes since then (the run's start, not its end:
 * changes made during it are read again). Pure; stores that cannot query this directly use it.
 */
export function lastHarvestedOf(runs: Iterable<Pick<RunRecord, 'outcome' | 'startedAt' | 'sources'>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const run of runs) {
    if (!COMMITTED_OUTCOMES.includes(run.outcome)) continue;
    for (const s of run.sources) {
      if (s.state !== 'done') continue;
      const at = run.startedAt.toISOString();
      if (out[s.source] === undefined || out[s.source]! < at) out[s.source] = at;
    }
  }
  return out;
}

/** Source id → its figures in the newest finished run that included it, from runs newest first. Pure. */
export function lastPerSourceOf(runs: Iterable<RunRecord>): Map<string, SourceLastRun> {
  const out = new Map<string, SourceLastRun>();
  for (const run of runs) {
    if (run.outcome === 'running') continue;
    for (const s of run.sources) {
      if (out.has(s.source)) continue;
      out.set(s.source, { ...s, runId: run.id, runOutcome: run.outcome, startedAt: run.startedAt, finishedAt: run.finishedAt });
    }
  }
  return out;
}
