/**
 * JobRunner: runs one ingest job at a time under the shared lease, records it in the run
 * history, and exposes its live progress. It knows nothing about search: the job is a function
 * it is given, which reports per-source figures and returns the run's summary. The lease and the
 * history are ports (lease.ts, run-history.ts); their stores live with each engine.
 *
 * One lock for every trigger: the nightly schedule, staff and the CLI each build a JobRunner on
 * the same lease store and lock name, so a second trigger (in this process or another) gets an
 * AlreadyRunningError naming who holds the lock and since when.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { holderRunId, INGEST_LOCK, runHolder, type Lease, type LeaseStore } from './lease';
import {
  COMMITTED_OUTCOMES,
  endOfDeadRun,
  totalsOf,
  type LiveGeneration,
  type RunCounts,
  type RunHistory,
  type RunMode,
  type RunOutcome,
  type RunRecord,
  type RunSummary,
  type SourceStats,
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

/**
 * What a job returns: the run's summary (run-history.ts). succeeded / partial (committed, some
 * sources failed) / failed or cancelled (nothing committed; `error` says why). A job that stopped
 * because its signal was aborted may say failed: the runner records it as cancelled. Counts
 * default to the sum of `sources`; sources to the last progress reports.
 */
export type JobResult = Pick<RunSummary, 'outcome' | 'rejections' | 'rejectionsTotal'> &
  Partial<Pick<RunSummary, 'counts' | 'sources' | 'error' | 'notes'>>;

export type JobFunction = (ctx: JobContext) => Promise<JobResult>;

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
  /**
   * What the live index says about the run that built it (the engine's status). A run whose
   * process died after its generation went live did commit: the history must say so, not
   * "nothing was committed". It also gives every finished run the live index's real size.
   */
  liveGeneration?: () => Promise<LiveGeneration | undefined>;
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
  /** The progress write in flight; writes never overlap, and none follows the final one. */
  writing?: Promise<void>;
  /** Figures changed while a write was in flight: write again when it is done. */
  dirty: boolean;
  ended: boolean;
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
      const holder = runHolder(this.instance, runId);
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
        dirty: false,
        ended: false,
      };
      try {
        // Holding the lock proves that no other run is alive: any run still marked as running
        // belongs to a process that died.
        const ended = await this.endDeadRuns((h) => h === holder, Date.now());
        if (ended.length > 0) this.logger.warn({ runs: ended }, 'recorded the end of runs whose process died');
        await this.options.history.begin({ id: runId, trigger, mode, holder, startedAt: active.startedAt });
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
    // Read the holder's run by id, the freshest way (lists may lag behind on some stores).
    const runId = holderRunId(lease.holder);
    const byId = runId ? await this.options.history.get(runId) : null;
    const record = byId?.holder === lease.holder ? byId : (await this.options.history.running()).find((r) => r.holder === lease.holder);
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
   * At process start: runs left "running" by a process that died are ended (interrupted, or
   * committed when the live generation is theirs). A run whose holder still has the live lease
   * (the CLI running right now), or that started after the lease was read, is left alone.
   */
  async recover(): Promise<string[]> {
    const checkedAt = Date.now();
    const lease = await this.options.leases.current(this.lockName);
    return this.endDeadRuns((holder) => holder === lease?.holder || holder === this.active?.holder, checkedAt);
  }

  private async liveGeneration(): Promise<LiveGeneration | undefined> {
    if (!this.options.liveGeneration) return undefined;
    try {
      return await this.options.liveGeneration();
    } catch (err) {
      this.logger.warn({ err }, 'could not read the live index generation');
      return undefined;
    }
  }

  /** Records the end of every run still "running" whose holder is dead and that started before `before`. */
  private async endDeadRuns(isAlive: (holder: string) => boolean, before: number): Promise<string[]> {
    const dead = (await this.options.history.running()).filter((r) => !isAlive(r.holder) && r.startedAt.getTime() < before);
    if (dead.length === 0) return [];
    const live = await this.liveGeneration();
    for (const run of dead) await this.options.history.finish(run.id, endOfDeadRun(run, live, new Date()));
    return dead.map((r) => r.id);
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
    // A change of state is written at once: a run whose process dies right after its commit
    // leaves the history with every source's final state (see endOfDeadRun).
    if (next.state !== prev.state || now - a.lastProgressWrite >= (this.options.progressWriteMs ?? 1000)) this.writeProgress(a, now);
  }

  private writeProgress(a: ActiveRun, now = Date.now()): void {
    if (a.ended) return;
    a.lastProgressWrite = now;
    if (a.writing) {
      a.dirty = true;
      return;
    }
    a.writing = (async () => {
      do {
        a.dirty = false;
        try {
          await this.options.history.progress(a.runId, [...a.sources.values()]);
        } catch (err) {
          // Live figures for other processes are a nicety; a busy store must not stop the run.
          this.logger.warn({ err, runId: a.runId }, 'could not record progress');
        }
      } while (a.dirty && !a.ended);
    })().finally(() => {
      a.writing = undefined;
    });
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
      if (result && COMMITTED_OUTCOMES.includes(result.outcome)) {
        // The job finished (and committed) before it noticed: that is what happened.
        outcome = result.outcome;
        error = result.error;
      }
    }
    clearInterval(a.heartbeat);
    a.ended = true;
    await a.writing;

    let sources = mergeSources(a, result?.sources, outcome);
    const counts: RunCounts = { ...(result?.counts ?? totalsOf(sources)) };
    const notes = [...(result?.notes ?? [])];
    const live = await this.liveGeneration();
    if (live?.runId === a.runId && !COMMITTED_OUTCOMES.includes(outcome)) {
      // The generation went live, then the job failed to say so (its process died): it committed.
      sources = sources.map((s) => (s.state === 'cancelled' ? { ...s, state: 'done' } : s));
      outcome = sources.some((s) => s.state === 'failed') ? 'partial' : 'succeeded';
      notes.unshift(`The new index went live, but the run could not report its end (${error ?? 'no reason given'}): the figures are the last ones it reported.`);
      error = undefined;
    }
    if (live !== undefined && (counts.documents === undefined || !COMMITTED_OUTCOMES.includes(outcome))) counts.documents = live.documents;
    try {
      await this.options.history.finish(a.runId, {
        outcome,
        finishedAt: new Date(),
        counts,
        sources,
        rejections: result?.rejections ?? [],
        rejectionsTotal: result?.rejectionsTotal ?? 0,
        error,
        notes,
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

    const record = await this.options.history.get(a.runId).catch(() => null);
    return (
      record ?? {
        id: a.runId,
        trigger: a.trigger,
        mode: a.mode,
        holder: a.holder,
        startedAt: a.startedAt,
        finishedAt: new Date(),
        outcome,
        counts,
        sources,
        rejectionsTotal: result?.rejectionsTotal ?? 0,
        error,
        notes,
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
