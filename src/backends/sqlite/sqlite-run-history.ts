/**
 * RunHistory (src/jobs/run-history.ts) in `<dataDir>/operations.sqlite`: the embedded engine's
 * run history, shared by every process using the data directory (the web process, the CLI).
 */
import {
  clip,
  DEFAULT_KEEP_RUNS,
  MAX_NOTES,
  MAX_STORED_REJECTIONS,
  totalsOf,
  type RejectedRecord,
  type RunHistory,
  type RunMode,
  type RunOutcome,
  type RunRecord,
  type RunResult,
  type RunStart,
  type SourceLastRun,
  type SourceState,
  type SourceStats,
  type TagCounts,
} from '../../jobs/run-history';
import { openOperationsDb, type OperationsDb } from './operations-db';

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
  carried: number;
  documents: number | null;
  tagged_json: string | null;
  rejections_total: number;
  error: string | null;
  notes_json: string;
}

interface SourceRow {
  run_id: string;
  source: string;
  kind: string | null;
  label: string | null;
  state: string;
  read: number;
  indexed: number;
  rejected: number;
  deleted: number;
  duplicates: number;
  carried: number;
  error: string | null;
  duration_ms: number | null;
  since: string | null;
  incomplete: number;
}

function toSourceStats(row: SourceRow): SourceStats {
  const stats: SourceStats = {
    source: row.source,
    state: row.state as SourceState,
    read: row.read,
    indexed: row.indexed,
    rejected: row.rejected,
    deleted: row.deleted,
    duplicates: row.duplicates,
  };
  // Only what was recorded, so that a record reads back as it was written.
  if (row.kind !== null) stats.kind = row.kind;
  if (row.label !== null) stats.label = row.label;
  if (row.carried !== 0) stats.carried = row.carried;
  if (row.error !== null) stats.error = row.error;
  if (row.duration_ms !== null) stats.durationMs = row.duration_ms;
  if (row.since !== null) stats.since = row.since;
  if (row.incomplete !== 0) stats.incomplete = true;
  return stats;
}

export class SqliteRunHistory implements RunHistory {
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
        `UPDATE runs SET read = @read, indexed = @indexed, rejected = @rejected, deleted = @deleted, duplicates = @duplicates,
           carried = @carried
         WHERE id = @id`,
      ),
      finish: db.prepare(
        `UPDATE runs SET finished_at = @finishedAt, duration_ms = @durationMs, outcome = @outcome, read = @read,
           indexed = @indexed, rejected = @rejected, deleted = @deleted, duplicates = @duplicates, carried = @carried,
           documents = @documents, tagged_json = @tagged, rejections_total = @rejectionsTotal, error = @error, notes_json = @notes
         WHERE id = @id`,
      ),
      clearSources: db.prepare('DELETE FROM run_sources WHERE run_id = ?'),
      clearRejections: db.prepare('DELETE FROM run_rejections WHERE run_id = ?'),
      insertSource: db.prepare(
        `INSERT INTO run_sources (run_id, seq, source, kind, label, state, read, indexed, rejected, deleted, duplicates, carried,
           error, duration_ms, since, incomplete)
         VALUES (@runId, @seq, @source, @kind, @label, @state, @read, @indexed, @rejected, @deleted, @duplicates, @carried,
           @error, @durationMs, @since, @incomplete)`,
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
      rejections: db.prepare('SELECT * FROM run_rejections WHERE run_id = ? ORDER BY seq LIMIT ? OFFSET ?'),
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

  async begin(run: RunStart): Promise<void> {
    this.stmt.begin.run({ id: run.id, trigger: run.trigger, mode: run.mode, holder: run.holder, startedAt: run.startedAt.getTime() });
  }

  async progress(runId: string, sources: SourceStats[]): Promise<void> {
    this.db.transaction(() => {
      this.writeSources(runId, sources);
      const totals = totalsOf(sources);
      this.stmt.counts.run({ id: runId, ...totals, carried: totals.carried ?? 0 });
    })();
  }

  async finish(runId: string, result: RunResult): Promise<void> {
    const run = this.stmt.get.get(runId) as RunRow | undefined;
    if (!run) throw new Error(`no run ${runId} in the history`);
    this.db.transaction(() => {
      this.writeSources(runId, result.sources);
      this.stmt.clearRejections.run(runId);
      result.rejections.slice(0, MAX_STORED_REJECTIONS).forEach((r, seq) => {
        this.stmt.insertRejection.run({
          runId,
          seq,
          source: clip(r.source, 500),
          position: r.position ?? null,
          recordId: clip(r.recordId, 500) ?? null,
          location: clip(r.location, 1000) ?? null,
          reason: clip(r.reason),
        });
      });
      const c = result.counts;
      this.stmt.finish.run({
        id: runId,
        finishedAt: result.finishedAt.getTime(),
        durationMs: Math.max(0, result.finishedAt.getTime() - run.started_at),
        outcome: result.outcome,
        read: c.read,
        indexed: c.indexed,
        rejected: c.rejected,
        deleted: c.deleted,
        duplicates: c.duplicates,
        carried: c.carried ?? 0,
        documents: c.documents ?? null,
        tagged: c.tagged ? JSON.stringify(c.tagged) : null,
        rejectionsTotal: Math.max(result.rejectionsTotal, result.rejections.length),
        error: clip(result.error) ?? null,
        notes: JSON.stringify((result.notes ?? []).slice(0, MAX_NOTES).map((n) => clip(n, 500))),
      });
      this.stmt.prune.run(this.keepRuns);
    })();
  }

  async get(runId: string): Promise<RunRecord | null> {
    const row = this.stmt.get.get(runId) as RunRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  async list(options: { limit: number; offset?: number }): Promise<{ runs: RunRecord[]; total: number }> {
    const rows = this.stmt.list.all(options.limit, options.offset ?? 0) as RunRow[];
    const { n } = this.stmt.count.get() as { n: number };
    return { runs: rows.map((r) => this.toRecord(r)), total: n };
  }

  async rejections(runId: string, options: { limit: number; offset?: number } = { limit: MAX_STORED_REJECTIONS }): Promise<RejectedRecord[]> {
    const rows = this.stmt.rejections.all(runId, options.limit, options.offset ?? 0) as {
      source: string;
      position: number | null;
      record_id: string | null;
      location: string | null;
      reason: string;
    }[];
    return rows.map((r) => {
      const rejection: RejectedRecord = { source: r.source, reason: r.reason };
      if (r.position !== null) rejection.position = r.position;
      if (r.record_id !== null) rejection.recordId = r.record_id;
      if (r.location !== null) rejection.location = r.location;
      return rejection;
    });
  }

  async running(): Promise<RunRecord[]> {
    return (this.stmt.running.all() as RunRow[]).map((r) => this.toRecord(r));
  }

  async lastHarvested(): Promise<Record<string, string>> {
    const rows = this.stmt.lastHarvested.all() as { source: string; started_at: number }[];
    return Object.fromEntries(rows.map((r) => [r.source, new Date(r.started_at).toISOString()]));
  }

  async lastPerSource(): Promise<Map<string, SourceLastRun>> {
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

  async close(): Promise<void> {
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
        label: clip(s.label, 200) ?? null,
        state: s.state,
        read: s.read,
        indexed: s.indexed,
        rejected: s.rejected,
        deleted: s.deleted,
        duplicates: s.duplicates,
        carried: s.carried ?? 0,
        error: clip(s.error) ?? null,
        durationMs: s.durationMs ?? null,
        since: s.since ?? null,
        incomplete: s.incomplete ? 1 : 0,
      });
    });
  }

  private toRecord(row: RunRow): RunRecord {
    const record: RunRecord = {
      id: row.id,
      trigger: row.trigger,
      mode: row.mode as RunMode,
      holder: row.holder,
      startedAt: new Date(row.started_at),
      outcome: row.outcome as RunOutcome,
      counts: {
        read: row.read,
        indexed: row.indexed,
        rejected: row.rejected,
        deleted: row.deleted,
        duplicates: row.duplicates,
        carried: row.carried,
      },
      sources: (this.stmt.sources.all(row.id) as SourceRow[]).map(toSourceStats),
      rejectionsTotal: row.rejections_total,
      notes: JSON.parse(row.notes_json) as string[],
    };
    if (row.finished_at !== null) record.finishedAt = new Date(row.finished_at);
    if (row.duration_ms !== null) record.durationMs = row.duration_ms;
    if (row.documents !== null) record.counts.documents = row.documents;
    if (row.tagged_json !== null) record.counts.tagged = JSON.parse(row.tagged_json) as TagCounts;
    if (row.error !== null) record.error = row.error;
    return record;
  }
}
