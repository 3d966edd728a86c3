/**
 * Web process composition root: configuration, engine, the first index from the sample data
 * when none exists, the web app, and a clean shutdown.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config';
import { openBackend, type Backend } from './backends/open-backend';
import { createLogger, type Logger } from './logger';
import { analyseQuery } from './search/query-analyser';
import { SearchService } from './search/search-service';
import { loadVocabulary, type Vocabulary } from './search/vocabulary/vocabulary';
import { createApp } from './web/app';
import { fileInput, listInputFiles } from '../indexer/file-inputs';
import { runIngest } from '../indexer/ingest-job';
import { recordPreparer } from '../indexer/prepare';
import { formatSummary } from '../indexer/report';

/** First start on a fresh clone: build the index from the project's sample data. */
async function seedIfEmpty(config: Config, backend: Backend, vocab: Vocabulary, logger: Logger): Promise<void> {
  const status = await backend.engine.status();
  if (status.documents > 0 || status.generation) return;
  if (!fs.existsSync(config.sampleData)) {
    logger.warn({ sampleData: config.sampleData }, 'no index and no sample data: the portal starts empty');
    return;
  }
  logger.info({ sampleData: config.sampleData }, 'no index yet: building it from the sample data');
  const summary = await runIngest({
    inputs: listInputFiles([config.sampleData]).map((f) => fileInput(f)),
    admin: backend.admin,
    prepare: recordPreparer(vocab, 'sample'),
    maxRejectRate: config.maxRejectRate,
    maxDropShare: config.maxDropShare,
  });
  logger.info({ runId: summary.runId, indexed: summary.indexed, rejected: summary.rejected }, formatSummary(summary));
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
  const vocab = loadVocabulary();
  const backend = await openBackend(config, vocab);
  await seedIfEmpty(config, backend, vocab, logger);

  const search = new SearchService(backend.engine, (text) => analyseQuery(vocab, text));
  const app = createApp({
    search,
    labels: vocab,
    logger,
    config: { siteName: config.siteName, trustProxy: config.trustProxy },
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

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void backend.engine.close().then(() => process.exit(0));
    });
    // Keep-alive connections must not hold the process open for ever.
    setTimeout(() => process.exit(0), 10_000).unref();
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void start();
