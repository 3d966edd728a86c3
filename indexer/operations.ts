/**
 * The ingest operations shared by both composition roots (src/main.ts and indexer/cli.ts): the
 * operations store in the data directory, the one lease every trigger takes, and job runners
 * for the harvest and for file ingestion. The web process and the CLI build them the same way,
 * so they lock each other out and write the same history.
 */
import type { Logger } from 'pino';
import type { Backend } from '../src/backends/open-backend';
import type { Config } from '../src/config';
import { JobRunner, type JobFunction } from '../src/jobs/job-runner';
import type { LeaseStore } from '../src/jobs/lease';
import { openOperationsStore, type OperationsStore } from '../src/jobs/operations-store';
import type { SqliteRunHistory } from '../src/jobs/run-history';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import { recordPreparer } from './prepare';
import { harvestJob } from './run-jobs';

export interface Operations {
  store: OperationsStore;
  /** The engine's own lease store when it has one (Elasticsearch), else operations.sqlite's. */
  leases: LeaseStore;
  history: SqliteRunHistory;
  runner(job: JobFunction): JobRunner;
  harvest: JobFunction;
  close(): Promise<void>;
}

export function openOperations(config: Config, backend: Backend, vocab: Vocabulary, logger?: Logger): Operations {
  const store = openOperationsStore(config.dataDir);
  const leases = backend.leases ?? store.leases;
  const runner = (job: JobFunction) =>
    new JobRunner({ leases, history: store.history, job, ttlMs: config.lockTtlMs, logger });
  return {
    store,
    leases,
    history: store.history,
    runner,
    harvest: harvestJob({
      sourcesFile: config.sourcesFile,
      admin: backend.admin,
      prepare: recordPreparer(vocab),
      maxRejectRate: config.maxRejectRate,
      maxDropShare: config.maxDropShare,
      lastHarvested: () => store.history.lastHarvested(),
    }),
    // The engine's lease store, if used, closes with the engine.
    close: async () => store.close(),
  };
}
