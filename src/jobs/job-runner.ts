/**
 * JobRunner: runs one ingest job at a time under the shared lease, records it in the run
 * history, and exposes its live progress. It knows nothing about search: the job is a function
 * it is given, which reports per-source figures and returns a result.
 *
 * One lock for every trigger: the nightly schedule, staff and the CLI each build a JobRunner on
 * the same lease store and lock name, so a second trigger (in this process or another) gets an
 * AlreadyRunningError naming who holds the lock and since when.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { INGEST_LOCK, type Lease, type LeaseStore } from './lease';
import {
  totalsOf,
  type RejectedRecord,
  type RunCounts,
  type RunMode,
  type RunOutcome,
  type RunRecord,
  type SourceStats,
  type SqliteRunHistory,
} from './run-history';

/** A progress report for one source: the figures so far (not increments). */
export type SourceProgress = Partial<Omit<SourceStats, 'source'>> & { source: string };

export interface JobContext {
  runId: string;
  mode: RunMode;
  trigger: string;
  /** Aborted on shutdown or when the lease is lost: stop, commit nothing, and return or throw. */
  signal: AbortSignal;
  onProgress(progress: SourceProgress): void;
}

export interface JobResult {
  /**
   * succeeded / partial (committed, some sources failed) / failed (nothing committed; `error`
   * says why). A job that stopped because its signal was aborted may say failed: the runner
   * records it as cancelled.
   */
  outcome: 'succeeded' | 'partial' | 'failed';
  /** Defaults to the sum of `sources`. */
  counts?: RunCounts;
  /** Final per-source figures; defaults to the last progress reports. */
  sources?: SourceStats[];
  rejections: RejectedRecord[];
  rejectionsTotal: number;
  error?: string;
  notes?: string[];
}

export type JobFunction = (ctx: JobContext) => Promise<JobResult>;

export type RunHistory = Pick<SqliteRunHistory, 'begin' | 'progress' | 'finish' | 'get' | 'running' | 'markInterrupted'>;

export class AlreadyRunningError extends Error {
  constructor(readonly lease: Pick<Lease, 'owner' | 'acquiredAt' | 'expiresAt'> | null) {
    super(
      lease
        ? `An ingest run is already in progress (${lease.owner}, since ${lease.acquiredAt.toISOString()}); ` +
            'try again when it has finished.'
        : 'An ingest run is already in progress; try again when it has finished.',
    );
    this.name = 'AlreadyRunningError';
  }
}

export class RunnerClosedError extends Error {
  constructor() {
    super('The job runner is shutting down; no new run can start.');
    this.name = 'RunnerClosedError';
  }
}

/** A run in progress, in this process (`local`) or another one sharing the lease store. */
export interface LiveRun {
  runId: string;
  trigger: string;
  mode: RunMode;
  startedAt: Date;
  elapsedMs: number;
  sources: SourceStats[];
  counts: RunCounts;
  local: boolean;
  owner: string;
}

export interface JobRunnerOptions {
  leases: LeaseStore;
  history: RunHistory;
  job: JobFunction;
  /** How long the lease lasts without a heartbeat; the runner renews it every ttl/3. */
  ttlMs: number;
  lockName?: string;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Live figures are written to the history at most this often, for other processes to show. */
  progressWriteMs?: number;
  newRunId?: () => string;
}

interface ActiveRun {
  runId: string;
  trigger: string;
  mode: RunMode;
  holder: string;
  owner: string;
  startedAt: Date;
  controller: AbortController;
  /** Why the run was aborted, when it was; 'shutdown' and 'cancel' end it as "cancelled". */
  abortCause?: { kind: 'shutdown' | 'cancel' | 'lease-lost'; message: string };
  sources: Map<string, SourceStats>;
  lastProgressWrite: number;
  heartbeat?: NodeJS.Timeout;
  finished?: Promise<RunRecord>;
}

export function newRunId(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomBytes(3).toString('hex')}`;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class JobRunner {
  readonly lockName: string;
  /** Identifies this runner in lease holders: host, process and a random part (two runners, one process). */
  readonly instance = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  private active: ActiveRun | null = null;
  private starting = false;
  private closed = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.lockName = options.lockName ?? INGEST_LOCK;
    this.logger = options.logger ?? silent;
  }

  /**
   * Starts a run and returns once it holds the lock and is recorded; the job goes on in the
   * background (`finished` resolves with its record, never rejects).
   */
  async start(trigger: string, mode: RunMode): Promise<{ runId: string; finished: Promise<RunRecord> }> {
    if (this.closed) throw new RunnerClosedError();
    if (this.active || this.starting) {
      // Same process: no need to ask the store, and the answer is exact.
      const a = this.active;
      throw new AlreadyRunningError(a ? { owner: a.owner, acquiredAt: a.startedAt, expiresAt: a.startedAt } : null);
    }
    this.starting = true;
    try {
      const runId = (this.options.newRunId ?? newRunId)();
      const holder = `${this.instance}/${runId}`;
      const owner = `${trigger}, run ${runId}`;
      const got = await this.options.leases.acquire(this.lockName, holder, this.options.ttlMs, owner);
      if (!got.acquired) throw new AlreadyRunningError(got.current);

      const active: ActiveRun = {
        runId,
        trigger,
        mode,
        holder,
        owner,
        startedAt: got.lease.acquiredAt,
        controller: new AbortController(),
        sources: new Map(),
        lastProgressWrite: 0,
      };
      try {
        // Holding the lock proves that no other run is alive: any run still marked as running
        // belongs to a process that died.
        const interrupted = this.options.history.markInterrupted((h) => h === holder);
        if (interrupted.length > 0) this.logger.warn({ runs: interrupted }, 'marked runs of dead processes as interrupted');
        this.options.history.begin({ id: runId, trigger, mode, holder, startedAt: active.startedAt });
      } catch (err) {
        await this.options.leases.release(this.lockName, holder).catch(() => undefined);
        throw err;
      }
      this.active = active;
      active.heartbeat = setInterval(() => void this.heartbeat(active), Math.max(100, Math.floor(this.options.ttlMs / 3)));
      this.logger.info({ runId, trigger, mode }, 'ingest run started');
      active.finished = this.execute(active);
      return { runId, finished: active.finished };
    } finally {
      this.starting = false;
    }
  }

  /** Starts a run and waits for it (the CLI). */
  async run(trigger: string, mode: RunMode): Promise<RunRecord> {
    const { finished } = await this.start(trigger, mode);
    return finished;
  }

  /** The run in this process, if any. */
  current(): LiveRun | null {
    const a = this.active;
    if (!a) return null;
    const sources = [...a.sources.values()].map((s) => ({ ...s }));
    return {
      runId: a.runId,
      trigger: a.trigger,
      mode: a.mode,
      startedAt: a.startedAt,
      elapsedMs: Date.now() - a.startedAt.getTime(),
      sources,
      counts: totalsOf(sources),
      local: true,
      owner: a.owner,
    };
  }

  /** The run in progress anywhere: this process, or another one holding the same lock (the CLI). */
  async currentAnywhere(): Promise<LiveRun | null> {
    const local = this.current();
    if (local) return local;
    const lease = await this.options.leases.current(this.lockName);
    if (!lease) return null;
    const record = this.options.history.running().find((r) => r.holder === lease.holder);
    if (!record) {
      return {
        runId: '',
        trigger: lease.owner,
        mode: 'full',
        startedAt: lease.acquiredAt,
        elapsedMs: Date.now() - lease.acquiredAt.getTime(),
        sources: [],
        counts: { read: 0, indexed: 0, rejected: 0, deleted: 0, duplicates: 0 },
        local: false,
        owner: lease.owner,
      };
    }
    return {
      runId: record.id,
      trigger: record.trigger,
      mode: record.mode,
      startedAt: record.startedAt,
      elapsedMs: Date.now() - record.startedAt.getTime(),
      sources: record.sources,
      counts: record.counts,
      local: false,
      owner: lease.owner,
    };
  }

  /**
   * At process start: runs left "running" by a process that died are marked interrupted. A run
   * whose holder still has the live lease (the CLI running right now) is left alone.
   */
  async recover(): Promise<string[]> {
    const lease = await this.options.leases.current(this.lockName);
    return this.options.history.markInterrupted((holder) => holder === lease?.holder || holder === this.active?.holder);
  }

  /** Asks the running job to stop; it ends as "cancelled" and commits nothing. */
  cancel(reason = 'the run was cancelled'): boolean {
    const a = this.active;
    if (!a || a.controller.signal.aborted) return false;
    a.abortCause = { kind: 'cancel', message: reason };
    a.controller.abort(new Error(reason));
    return true;
  }

  /** Refuses new runs, aborts the running one and waits until it has finished and let go of the lock. */
  async shutdown(reason = 'the process was shutting down, so the run was stopped; nothing was committed'): Promise<void> {
    this.closed = true;
    const a = this.active;
    if (!a) return;
    if (!a.controller.signal.aborted) {
      a.abortCause = { kind: 'shutdown', message: reason };
      a.controller.abort(new Error(reason));
    }
    await a.finished;
  }

  private onProgress(a: ActiveRun, p: SourceProgress): void {
    const prev: SourceStats = a.sources.get(p.source) ?? {
      source: p.source,
      state: 'running',
      read: 0,
      indexed: 0,
      rejected: 0,
      deleted: 0,
      duplicates: 0,
    };
    const next: SourceStats = { ...prev };
    for (const [key, value] of Object.entries(p) as [keyof SourceStats, unknown][]) {
      if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
    }
    a.sources.set(p.source, next);
    const now = Date.now();
    if (now - a.lastProgressWrite >= (this.options.progressWriteMs ?? 1000)) this.writeProgress(a, now);
  }

  private writeProgress(a: ActiveRun, now = Date.now()): void {
    a.lastProgressWrite = now;
    try {
      this.options.history.progress(a.runId, [...a.sources.values()]);
    } catch (err) {
      // Live figures for other processes are a nicety; a busy database must not stop the run.
      this.logger.warn({ err, runId: a.runId }, 'could not record progress');
    }
  }

  private async heartbeat(a: ActiveRun): Promise<void> {
    if (this.active !== a) return;
    try {
      const lease = await this.options.leases.renew(this.lockName, a.holder, this.options.ttlMs);
      if (lease === null && !a.controller.signal.aborted) {
        // Another process took the lock over (this one stalled past the ttl): stop, so that two
        // runs never write at the same time.
        const message = 'the run lost its lock (no heartbeat within the lock time-to-live) and was stopped';
        a.abortCause = { kind: 'lease-lost', message };
        a.controller.abort(new Error(message));
        this.logger.error({ runId: a.runId }, message);
      }
    } catch (err) {
      this.logger.warn({ err, runId: a.runId }, 'could not renew the ingest lock; will retry');
    }
    if (this.active === a) this.writeProgress(a);
  }

  private async execute(a: ActiveRun): Promise<RunRecord> {
    const signal = a.controller.signal;
    let outcome: Exclude<RunOutcome, 'running'>;
    let result: JobResult | undefined;
    let error: string | undefined;
    // Let start()'s caller answer first (the staff member's request) before the job takes over.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      result = await this.options.job({
        runId: a.runId,
        mode: a.mode,
        trigger: a.trigger,
        signal,
        onProgress: (p) => this.onProgress(a, p),
      });
      error = result.error;
      outcome = result.outcome;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      outcome = 'failed';
    }
    if (signal.aborted && a.abortCause) {
      // A job that noticed the abort reports it as a failure; say what really happened.
      error = a.abortCause.message;
      outcome = a.abortCause.kind === 'lease-lost' ? 'failed' : 'cancelled';
      if (result && result.outcome !== 'failed') {
        // The job finished (and committed) before it noticed: that is what happened.
        outcome = result.outcome;
        error = result.error;
      }
    }
    clearInterval(a.heartbeat);

    const sources = mergeSources(a, result?.sources, outcome);
    try {
      this.options.history.finish(a.runId, {
        outcome,
        finishedAt: new Date(),
        counts: result?.counts ?? totalsOf(sources),
        sources,
        rejections: result?.rejections ?? [],
        rejectionsTotal: result?.rejectionsTotal ?? 0,
        error,
        notes: result?.notes,
      });
    } catch (err) {
      this.logger.error({ err, runId: a.runId }, 'could not record the end of the run');
    }
    try {
      await this.options.leases.release(this.lockName, a.holder);
    } catch (err) {
      // It expires by itself after the ttl.
      this.logger.warn({ err, runId: a.runId }, 'could not release the ingest lock');
    }
    this.active = null;
    const log = outcome === 'succeeded' ? 'info' : outcome === 'cancelled' ? 'warn' : 'error';
    this.logger[log]({ runId: a.runId, trigger: a.trigger, mode: a.mode, outcome, error }, `ingest run ${outcome}`);

    const record = safeGet(this.options.history, a.runId);
    return (
      record ?? {
        id: a.runId,
        trigger: a.trigger,
        mode: a.mode,
        holder: a.holder,
        startedAt: a.startedAt,
        finishedAt: new Date(),
        outcome,
        counts: result?.counts ?? totalsOf(sources),
        sources,
        rejectionsTotal: result?.rejectionsTotal ?? 0,
        error,
        notes: result?.notes ?? [],
      }
    );
  }
}

/** Final per-source figures: the job's own, else the last progress; unfinished ones marked. */
function mergeSources(a: ActiveRun, final: SourceStats[] | undefined, outcome: RunOutcome): SourceStats[] {
  const list = final ?? [...a.sources.values()];
  return list.map((s): SourceStats => {
    if (s.state === 'running') return { ...s, state: outcome === 'succeeded' ? 'done' : 'cancelled' };
    if (s.state === 'pending') return { ...s, state: 'not-run' };
    return s;
  });
}

function safeGet(history: RunHistory, runId: string): RunRecord | null {
  try {
    return history.get(runId);
  } catch {
    return null;
  }
}
