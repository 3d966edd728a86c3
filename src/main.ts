/**
 * Web process composition root: configuration, engine, the first index from the sample data
 * when none exists, the web app with the staff console, the nightly schedule, and a clean
 * shutdown (a running ingest is aborted; the live index stays as it was). Ingestion runs in an
 * ingest process of its own (indexer/operations.ts), so searches never wait for it.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config';
import { describeStartupFailure, StartupError, waitForEngine } from './startup';
import { openBackend, type Backend } from './backends/open-backend';
import { createLogger, type Logger } from './logger';
import { analyseQuery } from './search/query-analyser';
import { SearchService } from './search/search-service';
import { loadVocabulary } from './search/vocabulary/vocabulary';
import { createApp } from './web/app';
import { AlreadyRunningError } from './jobs/job-runner';
import { startNightly, validateNightly, type NightlySchedule } from './jobs/scheduler';
import { StaffAccounts, staffRouter } from './web/staff';
import { fileSourceConfig } from '../indexer/file-inputs';
import { ingestProcessJob, jobRunner } from '../indexer/operations';
import { formatRunRecord } from '../indexer/report';
import { describeSources } from '../indexer/run-jobs';

/**
 * An index to start with: on a fresh clone, built from the project's sample data; after an
 * upgrade that left an index too old to search, rebuilt from the configured sources (as a
 * nightly run would). Either takes the ingest lock like any run (and is recorded as one); if
 * another process holds it, that process is building an index and this one starts without.
 */
async function seedIfEmpty(config: Config, backend: Backend, logger: Logger): Promise<void> {
  const status = await backend.engine.status();
  let job: Parameters<typeof ingestProcessJob>[1];
  if (status.outdated) {
    logger.warn({ reason: status.outdated }, 'rebuilding the index from the configured sources');
    job = { sourcesFile: config.sourcesFile };
  } else {
    if (status.documents > 0 || status.generation) return;
    if (!fs.existsSync(config.sampleData)) {
      logger.warn({ sampleData: config.sampleData }, 'no index and no sample data: the portal starts empty');
      return;
    }
    logger.info({ sampleData: config.sampleData }, 'no index yet: building it from the sample data');
    // The sample data is the source "sample", as in the project's sources.json: a later full run of
    // that file finds its records already there.
    job = { sources: [{ ...fileSourceConfig(config.sampleData, 'sample'), label: 'Corridor sample data' }], scope: 'sources-file' };
  }
  const runner = jobRunner(config, backend, ingestProcessJob(backend, job, logger), logger);
  try {
    const record = await runner.run('startup', 'full');
    logger.info({ runId: record.id, outcome: record.outcome, documents: record.counts.documents }, formatRunRecord(record));
  } catch (err) {
    if (!(err instanceof AlreadyRunningError)) throw err;
    logger.warn({ reason: err.message }, 'not building the index: another process is ingesting');
  }
}

async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let accounts: StaffAccounts;
  try {
    // Fail fast, like the rest of the configuration: a bad account list is a start-up error.
    accounts = StaffAccounts.parse(config.staff.accounts);
    validateNightly(config.nightly);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (accounts.size === 0) logger.warn('no staff accounts are configured (CORRIDOR_STAFF_ACCOUNTS): the staff console cannot be used');

  const vocab = loadVocabulary();
  const backend = openBackend(config, vocab, { searchWorkers: config.searchWorkers });
  await waitForEngine(backend.engine, {
    retries: config.engine === 'elasticsearch' ? config.elasticsearch.startupRetries : 0,
    delayMs: config.elasticsearch.startupDelayMs,
    logger,
  });
  const runner = jobRunner(config, backend, ingestProcessJob(backend, { sourcesFile: config.sourcesFile }, logger), logger);
  const ended = await runner.recover();
  if (ended.length > 0) logger.warn({ runs: ended }, 'runs left unfinished by a stopped process were given their outcome');
  await seedIfEmpty(config, backend, logger);

  const search = new SearchService(backend.engine, (text) => analyseQuery(vocab, text), vocab);
  let nightly: NightlySchedule | undefined;
  const staff = staffRouter({
    accounts,
    // With the engine: in the cluster (web processes on several machines agree), or beside the run history.
    sessions: backend.sessions,
    sessionSecret: config.staff.sessionSecret,
    runner,
    history: backend.history,
    indexStatus: () => search.status(),
    listSources: async () => describeSources(config.sourcesFile),
    schedule: { ...config.nightly, nextRun: () => nightly?.nextRun() ?? null },
    timeZone: config.nightly.timezone,
    logger,
  });
  const app = createApp({
    search,
    labels: vocab,
    logger,
    config: {
      siteName: config.siteName,
      trustProxy: config.trustProxy,
      publicUrl: config.publicUrl,
      tokenSecret: config.tokenSecret,
      adminEmail: config.adminEmail,
    },
    extraRouters: [staff],
  });

  const server: Server = app.listen(config.port, config.host ?? '::', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ engine: backend.engine.name, dataDir: config.dataDir }, `Corridor is serving http://localhost:${port}`);
  });
  server.on('error', (err) => {
    logger.fatal({ err }, 'the web server could not start');
    process.exit(1);
  });
  nightly = startNightly(config.nightly, runner, logger);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Stop accepting connections and abort the running ingest at the same time: the run
    // discards its unfinished generation (the live index is untouched) and lets go of the lock.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // server.close() waits for open connections, and a keep-alive connection that keeps being
    // used (the console polls every second) would never end: close each as soon as it is idle.
    const closeIdle = setInterval(() => server.closeIdleConnections(), 200);
    server.closeIdleConnections();
    void closed.then(() => clearInterval(closeIdle));
    void Promise.all([closed, nightly?.stop(), runner.shutdown()])
      .then(() => backend.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'error while shutting down');
          process.exit(1);
        },
      );
    // Keep-alive connections or a stuck source must not hold the process open for ever; the
    // lease then simply expires.
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

start().catch((err: unknown) => {
  // What is wrong and what to do, in a few lines (as the CLI does); the details for debugging
  // go to the log at debug level only.
  process.stderr.write(describeStartupFailure(err));
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  process.exit(err instanceof StartupError ? 2 : 1);
});
