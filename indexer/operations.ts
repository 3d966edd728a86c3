/**
 * The ingest operations shared by the composition roots (src/main.ts and indexer/cli.ts): a job
 * runner on the backend's lease and history (so that every trigger, in every process using the
 * same index, takes the same lock and writes the same history), and the ingest job, run in this
 * process (the CLI) or in an ingest process of its own (the web process, whose searches must
 * never wait for a run).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Backend } from '../src/backends/open-backend';
import type { Config } from '../src/config';
import { childProcessJob, type ChildCommand } from '../src/jobs/child-job';
import { JobRunner, type JobFunction } from '../src/jobs/job-runner';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import type { RunProgress } from './pipeline';
import { preparerFor } from './prepare';
import { ingestJob, type RunRequest } from './run-jobs';

export function jobRunner(config: Config, backend: Backend, job: JobFunction, logger?: Logger): JobRunner {
  return new JobRunner({
    leases: backend.leases,
    history: backend.history,
    job,
    ttlMs: config.lockTtlMs,
    logger,
    liveGeneration: async () => {
      const status = await backend.engine.status();
      return { runId: status.runId, documents: status.documents };
    },
  });
}

/** The run, in this process. */
export function inProcessIngestJob(
  config: Config,
  backend: Backend,
  vocab: Vocabulary,
  request: RunRequest,
  onProgress?: (progress: RunProgress) => void,
): JobFunction {
  return ingestJob(request, {
    admin: backend.admin,
    prepare: preparerFor(vocab, config.ingestThreads),
    maxRejectRate: config.maxRejectRate,
    maxDropShare: config.maxDropShare,
    lastHarvested: () => backend.history.lastHarvested(),
    onProgress,
  });
}

/** The command that runs an ingest process: the CLI's `ingest-worker`, from sources or compiled. */
export function ingestWorkerCommand(): ChildCommand {
  const typescript = path.extname(__filename) === '.ts';
  const modulePath = path.join(__dirname, `cli${typescript ? '.ts' : '.js'}`);
  // From TypeScript sources (development, tests) the child needs the same loader as this process.
  const hasLoader = process.execArgv.some((a) => a.includes('tsx'));
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  return { modulePath, args: ['ingest-worker'], execArgv: typescript && !hasLoader ? [...execArgv, '--import', 'tsx'] : execArgv };
}

/**
 * The run, in an ingest process of its own (`cli.ts ingest-worker`, which opens the same engine
 * from the same configuration): the web process only relays its progress. The dates incremental
 * runs ask for are read here, from this process's history, and sent with the request.
 */
export function ingestProcessJob(backend: Backend, request: RunRequest, logger?: Logger): JobFunction {
  return childProcessJob({
    command: ingestWorkerCommand(),
    request: async (ctx): Promise<RunRequest> =>
      ctx.mode === 'incremental' ? { ...request, since: await backend.history.lastHarvested() } : request,
    onStart: (pid) => logger?.info({ pid }, 'ingest process started'),
    // Searches first: on a machine with few cores the run takes the CPU the web process leaves.
    niceness: 10,
  });
}
