/**
 * Run history in `<dataDir>/operations.sqlite`: one record per ingest run, whoever started it
 * (the nightly schedule, a staff member, the CLI), with its counts, per-source figures, the
 * rejected records and why, and how it ended. It outlives the processes that wrote it; a run
 * whose process died is found and marked "interrupted".
 */
import { openOperationsDb, type OperationsDb } from './operations-db';

export type RunMode = 'full' | 'incremental';
/** partial: committed, but some sources failed (they kept their records from earlier runs). */
export type RunOutcome = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'interrupted';
/** not-run: the run ended before reaching the source; disabled: switched off in the sources file. */
export type SourceState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'not-run' | 'disabled';
/** Outcomes whose index generation was committed. */
export const COMMITTED_OUTCOMES: readonly RunOutcome[] = ['succeeded', 'partial'];

export interface RunCounts {
  read: number;
  /** Records accepted and written to the new index generation. */
  indexed: number;
  rejected: number;
  /** Records removed because they disappeared from (or were deleted at) their source. */
  deleted: number;
  /** Records that duplicated one from another source and were merged into it. */
  duplicates: number;
  /** Documents in the live index after the run committed. */
  documents?: number;
}

export interface SourceStats {
  source: string;
  kind?: string;
  state: SourceState;
  read: number;
  indexed: number;
  rejected: number;
  deleted: number;
  duplicates: number;
  error?: string;
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

export interface RunRecord {
  id: string;
  /** "nightly", "staff:<name>", "cli" or "startup". */
  trigger: string;
  mode: RunMode;
  /** The lease holder of the process that ran it. */
  holder: string;
  startedAt: Date;
  finishedAt?: Date;
  durationMs?: number;
  outcome: RunOutcome;
  counts: RunCounts;
  sources: SourceStats[];
  /** All rejections of the run; at most MAX_STORED_REJECTIONS of them are kept with reasons. */
  rejectionsTotal: number;
  error?: string;
  /** Warnings worth a look (ignored fields, records without a year …), capped. */
  notes: string[];
}

export interface RunResult {
  outcome: Exclude<RunOutcome, 'running'>;
  finishedAt: Date;
  counts: RunCounts;
  sources: SourceStats[];
  rejections: RejectedRecord[];
  rejectionsTotal: number;
  error?: string;
  notes?: string[];
}

/** Per-source figures from the latest finished run that included the source. */
export interface SourceLastRun extends SourceStats {
  runId: string;
  runOutcome: RunOutcome;
  finishedAt?: Date;
  startedAt: Date;
}

/** Enough to tell a staff member what a broken feed did, without letting it fill the disk. */
export const MAX_STORED_REJECTIONS = 1000;
const MAX_NOTES = 100;
const MAX_TEXT = 2000;
/** Older runs are pruned when a run finishes. */
const DEFAULT_KEEP_RUNS = 1000;

interface RunRow {
  id: string;
  trigger: string;
  mode: string;
  holder: string;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  outcome: string;
  read: number;
  indexed: number;
  rejected: number;
  deleted: number;
  duplicates: number;
  documents: number | null;
  rejections_total: number;
  error: string | null;
  notes_json: string;
}

interface SourceRow {
  run_id: string;
  source: string;
  kind: string | null;
  state: string;
  read: number;
  indexed: number;
  rejected: number;
  deleted: number;
  duplicates: number;
  error: string | null;
}

function clip(text: string | undefined, max = MAX_TEXT): string | null {
  if (text === undefined) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function toSourceStats(row: SourceRow): SourceStats {
  return {
    source: row.source,
    kind: row.kind ?? undefined,
    state: row.state as SourceState,
    read: row.read,
    indexed: row.indexed,
    rejected: row.rejected,
    deleted: row.deleted,
    duplicates: row.duplicates,
    error: row.error ?? undefined,
  };
}

export function totalsOf(sources: SourceStats[]): RunCounts {
  const counts: RunCounts = { read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 };
  for (const s of sources) {
    counts.read += s.read;
    counts.indexed += s.indexed;
    counts.rejected += s.rejected;
    counts.deleted += s.deleted;
    counts.duplicates += s.duplicates;
  }
  return counts;
}

export class SqliteRunHistory {
  private readonly stmt;

  constructor(
    private readonly db: OperationsDb,
    private readonly ownsDb = false,
    private readonly keepRuns = DEFAULT_KEEP_RUNS,
  ) {
    this.stmt = {
      begin: db.prepare(
        `INSERT INTO runs (id, trigger, mode, holder, started_at, outcome) VALUES (@id, @trigger, @mode, @holder, @startedAt, 'running')`,
      ),
      counts: db.prepare(
        `UPDATE runs SET read = @read, indexed = @indexed, rejected = @rejected, deleted = @deleted, duplicates = @duplicates
         WHERE id = @id`,
      ),
      finish: db.prepare(
        `UPDATE runs SET finished_at = @finishedAt, duration_ms = @durationMs, outcome = @outcome, read = @read,
           indexed = @indexed, rejected = @rejected, deleted = @deleted, duplicates = @duplicates, documents = @documents,
           rejections_total = @rejectionsTotal, error = @error, notes_json = @notes
         WHERE id = @id`,
      ),
      clearSources: db.prepare('DELETE FROM run_sources WHERE run_id = ?'),
      insertSource: db.prepare(
        `INSERT INTO run_sources (run_id, seq, source, kind, state, read, indexed, rejected, deleted, duplicates, error)
         VALUES (@runId, @seq, @source, @kind, @state, @read, @indexed, @rejected, @deleted, @duplicates, @error)`,
      ),
      insertRejection: db.prepare(
        `INSERT INTO run_rejections (run_id, seq, source, position, record_id, location, reason)
         VALUES (@runId, @seq, @source, @position, @recordId, @location, @reason)`,
      ),
      get: db.prepare('SELECT * FROM runs WHERE id = ?'),
      sources: db.prepare('SELECT * FROM run_sources WHERE run_id = ? ORDER BY seq'),
      list: db.prepare('SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?'),
      count: db.prepare('SELECT count(*) AS n FROM runs'),
      running: db.prepare(`SELECT * FROM runs WHERE outcome = 'running' ORDER BY started_at`),
      interrupt: db.prepare(
        `UPDATE runs SET outcome = 'interrupted', finished_at = @now, duration_ms = @now - started_at,
           error = coalesce(error, @reason)
         WHERE id = @id AND outcome = 'running'`,
      ),
      interruptSources: db.prepare(
        `UPDATE run_sources SET state = CASE state WHEN 'running' THEN 'cancelled' ELSE 'not-run' END
         WHERE run_id = ? AND state IN ('pending', 'running')`,
      ),
      rejections: db.prepare('SELECT * FROM run_rejections WHERE run_id = ? ORDER BY seq LIMIT ? OFFSET ?'),
      lastSucceeded: db.prepare(
        `SELECT * FROM runs WHERE outcome = 'succeeded' ORDER BY started_at DESC LIMIT 1`,
      ),
      // When each source was last read to its end by a run that committed: incremental runs ask
      // for changes since then. The run's start, not its end: changes made during it are re-read.
      lastHarvested: db.prepare(`
        SELECT s.source, max(r.started_at) AS started_at
        FROM run_sources s JOIN runs r ON r.id = s.run_id
        WHERE s.state = 'done' AND r.outcome IN ('succeeded', 'partial')
        GROUP BY s.source`),
      // The newest finished run per source; the window picks one row per source name.
      lastPerSource: db.prepare(`
        SELECT * FROM (
          SELECT s.*, r.outcome AS run_outcome, r.started_at, r.finished_at,
                 row_number() OVER (PARTITION BY s.source ORDER BY r.started_at DESC, r.id DESC) AS n
          FROM run_sources s JOIN runs r ON r.id = s.run_id
          WHERE r.outcome <> 'running'
        ) WHERE n = 1`),
      prune: db.prepare(
        `DELETE FROM runs WHERE outcome <> 'running' AND id NOT IN (SELECT id FROM runs ORDER BY started_at DESC LIMIT ?)`,
      ),
    };
  }

  static open(dataDir: string): SqliteRunHistory {
    return new SqliteRunHistory(openOperationsDb(dataDir), true);
  }

  begin(run: { id: string; trigger: string; mode: RunMode; holder: string; startedAt: Date }): void {
    this.stmt.begin.run({ ...run, startedAt: run.startedAt.getTime() });
  }

  /** Live figures of a running run, so other processes (the console, while the CLI runs) see them. */
  progress(runId: string, sources: SourceStats[]): void {
    this.db.transaction(() => {
      this.writeSources(runId, sources);
      this.stmt.counts.run({ id: runId, ...totalsOf(sources) });
    })();
  }

  finish(runId: string, result: RunResult): void {
    const run = this.stmt.get.get(runId) as RunRow | undefined;
    if (!run) throw new Error(`no run ${runId} in the history`);
    this.db.transaction(() => {
      this.writeSources(runId, result.sources);
      result.rejections.slice(0, MAX_STORED_REJECTIONS).forEach((r, seq) => {
        this.stmt.insertRejection.run({
          runId,
          seq,
          source: clip(r.source, 500),
          position: r.position ?? null,
          recordId: clip(r.recordId, 500),
          location: clip(r.location, 1000),
          reason: clip(r.reason),
        });
      });
      this.stmt.finish.run({
        id: runId,
        finishedAt: result.finishedAt.getTime(),
        durationMs: Math.max(0, result.finishedAt.getTime() - run.started_at),
        outcome: result.outcome,
        read: result.counts.read,
        indexed: result.counts.indexed,
        rejected: result.counts.rejected,
        deleted: result.counts.deleted,
        duplicates: result.counts.duplicates,
        documents: result.counts.documents ?? null,
        rejectionsTotal: Math.max(result.rejectionsTotal, result.rejections.length),
        error: clip(result.error),
        notes: JSON.stringify((result.notes ?? []).slice(0, MAX_NOTES).map((n) => clip(n, 500))),
      });
      this.stmt.prune.run(this.keepRuns);
    })();
  }

  get(runId: string): RunRecord | null {
    const row = this.stmt.get.get(runId) as RunRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  list(options: { limit: number; offset?: number }): { runs: RunRecord[]; total: number } {
    const rows = this.stmt.list.all(options.limit, options.offset ?? 0) as RunRow[];
    const { n } = this.stmt.count.get() as { n: number };
    return { runs: rows.map((r) => this.toRecord(r)), total: n };
  }

  rejections(runId: string, options: { limit: number; offset?: number } = { limit: MAX_STORED_REJECTIONS }): RejectedRecord[] {
    const rows = this.stmt.rejections.all(runId, options.limit, options.offset ?? 0) as {
      source: string;
      position: number | null;
      record_id: string | null;
      location: string | null;
      reason: string;
    }[];
    return rows.map((r) => ({
      source: r.source,
      position: r.position ?? undefined,
      recordId: r.record_id ?? undefined,
      location: r.location ?? undefined,
      reason: r.reason,
    }));
  }

  running(): RunRecord[] {
    return (this.stmt.running.all() as RunRow[]).map((r) => this.toRecord(r));
  }

  /**
   * Marks as interrupted every run still "running" whose holder is not alive (its process died
   * mid-run: a crash, SIGKILL, a power cut). Returns the ids it marked.
   */
  markInterrupted(isAlive: (holder: string) => boolean, now = new Date()): string[] {
    const marked: string[] = [];
    this.db.transaction(() => {
      for (const row of this.stmt.running.all() as RunRow[]) {
        if (isAlive(row.holder)) continue;
        const { changes } = this.stmt.interrupt.run({
          id: row.id,
          now: now.getTime(),
          reason: 'the process running it stopped before the run finished; nothing from it was committed',
        });
        if (changes === 1) {
          this.stmt.interruptSources.run(row.id);
          marked.push(row.id);
        }
      }
    })();
    return marked;
  }

  lastSucceeded(): RunRecord | null {
    const row = this.stmt.lastSucceeded.get() as RunRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  /** Source id → ISO start time of the latest committed run that read it to its end. */
  lastHarvested(): Record<string, string> {
    const rows = this.stmt.lastHarvested.all() as { source: string; started_at: number }[];
    return Object.fromEntries(rows.map((r) => [r.source, new Date(r.started_at).toISOString()]));
  }

  lastPerSource(): Map<string, SourceLastRun> {
    const rows = this.stmt.lastPerSource.all() as (SourceRow & {
      run_outcome: string;
      started_at: number;
      finished_at: number | null;
    })[];
    return new Map(
      rows.map((row) => [
        row.source,
        {
          ...toSourceStats(row),
          runId: row.run_id,
          runOutcome: row.run_outcome as RunOutcome,
          startedAt: new Date(row.started_at),
          finishedAt: row.finished_at === null ? undefined : new Date(row.finished_at),
        },
      ]),
    );
  }

  close(): void {
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private writeSources(runId: string, sources: SourceStats[]): void {
    this.stmt.clearSources.run(runId);
    sources.forEach((s, seq) => {
      this.stmt.insertSource.run({
        runId,
        seq,
        source: clip(s.source, 500),
        kind: s.kind ?? null,
        state: s.state,
        read: s.read,
        indexed: s.indexed,
        rejected: s.rejected,
        deleted: s.deleted,
        duplicates: s.duplicates,
        error: clip(s.error),
      });
    });
  }

  private toRecord(row: RunRow): RunRecord {
    return {
      id: row.id,
      trigger: row.trigger,
      mode: row.mode as RunMode,
      holder: row.holder,
      startedAt: new Date(row.started_at),
      finishedAt: row.finished_at === null ? undefined : new Date(row.finished_at),
      durationMs: row.duration_ms ?? undefined,
      outcome: row.outcome as RunOutcome,
      counts: {
        read: row.read,
        indexed: row.indexed,
        rejected: row.rejected,
        deleted: row.deleted,
        duplicates: row.duplicates,
        documents: row.documents ?? undefined,
      },
      sources: (this.stmt.sources.all(row.id) as SourceRow[]).map(toSourceStats),
      rejectionsTotal: row.rejections_total,
      error: row.error ?? undefined,
      notes: JSON.parse(row.notes_json) as string[],
    };
  }
}
