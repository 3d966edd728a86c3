/**
 * A real Corridor app for HTTP tests: the sample data ingested into a fresh SQLite index in a
 * temporary data directory, served by createApp (supertest binds it to port 0).
 *
 * Another engine can be given (`backend`), and CORRIDOR_TEST_ENGINE=elasticsearch (with
 * CORRIDOR_ES_URL …, see test/support/elasticsearch.ts) runs every HTTP suite on Elasticsearch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import pino from 'pino';
import { openSqliteBackend } from '../../src/backends/sqlite';
import type { IndexAdmin, SearchEngine } from '../../src/search/ports';
import { elasticsearchFromEnv, openTestBackend } from './elasticsearch';
import { analyseQuery } from '../../src/search/query-analyser';
import { SearchService } from '../../src/search/search-service';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { createApp, type AppDeps } from '../../src/web/app';
import type { RunSummary } from '../../src/jobs/run-history';
import { fileSourceConfig, fileSources } from '../../indexer/file-inputs';
import { runIngest } from '../../indexer/pipeline';
import { recordPreparer } from '../../indexer/prepare';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const SAMPLE_DATA = path.join(PROJECT_ROOT, 'data-sample');

/**
 * A full run over files, as `npm run ingest` makes it (one source per file), or over the given
 * paths as one source named `source` (as the first start reads the sample data); throws unless
 * it succeeded.
 */
export async function ingestFiles(admin: IndexAdmin, paths: string[], options: { source?: string; maxDropShare?: number } = {}): Promise<RunSummary> {
  const vocab = loadVocabulary();
  const sources = options.source ? paths.map((p, i) => fileSourceConfig(p, i === 0 ? options.source : `${options.source}-${i}`)) : await fileSources(paths);
  const summary = await runIngest({
    sources,
    scope: 'inputs',
    admin,
    prepare: recordPreparer(vocab),
    mode: 'full',
    maxRejectRate: 0,
    maxDropShare: options.maxDropShare ?? 1,
  });
  if (summary.outcome !== 'succeeded') throw new Error(`the index could not be built: ${summary.error ?? summary.outcome}`);
  return summary;
}

export interface TestApp {
  app: express.Application;
  dataDir: string;
  backend: TestAppBackend;
  search: SearchService;
  close(): Promise<void>;
}

export interface TestAppBackend {
  engine: SearchEngine;
  admin: IndexAdmin;
  /** Called by close() instead of engine.close(): drop what the test created. */
  cleanup?: () => Promise<void>;
}

function sqliteBackend(dataDir: string): TestAppBackend {
  const backend = openSqliteBackend({ dataDir, labels: loadVocabulary() });
  return { engine: backend.engine, admin: backend.admin, cleanup: () => backend.close() };
}

function backendFromEnv(): TestAppBackend | undefined {
  if (process.env.CORRIDOR_TEST_ENGINE !== 'elasticsearch') return undefined;
  const settings = elasticsearchFromEnv();
  if (!settings) throw new Error('CORRIDOR_TEST_ENGINE=elasticsearch needs CORRIDOR_ES_URL (npm run es:start prints it)');
  return openTestBackend(settings, 'http');
}

export async function buildTestApp(
  options: { inputs?: string[]; extra?: Partial<AppDeps>; backend?: TestAppBackend } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-test-'));
  const vocab = loadVocabulary();
  const backend: TestAppBackend = options.backend ?? backendFromEnv() ?? sqliteBackend(dataDir);
  await ingestFiles(backend.admin, options.inputs ?? [SAMPLE_DATA], { source: 'sample' });
  const search = new SearchService(backend.engine, (text) => analyseQuery(vocab, text), vocab);
  const app = createApp({
    search,
    labels: vocab,
    logger: pino({ level: 'silent' }),
    config: { siteName: 'Corridor' },
    ...options.extra,
  });
  return {
    app,
    dataDir,
    backend,
    search,
    async close() {
      await (backend.cleanup ? backend.cleanup() : backend.engine.close());
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The sample-data app for one test file, on the engine the HTTP suites run on: built before its
 * tests, closed after them. Tests reach it as `web.app`.
 */
export function useSampleApp(): { readonly app: express.Application } {
  let built: TestApp | undefined;
  beforeAll(async () => {
    built = await buildTestApp();
  });
  afterAll(async () => {
    await built?.close();
  });
  return {
    get app(): express.Application {
      if (!built) throw new Error('the sample app is built in beforeAll, before any test runs');
      return built.app;
    },
  };
}
