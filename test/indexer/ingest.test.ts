import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openSqliteBackend, type SqliteBackend } from '../../src/backends/sqlite';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { fileSourceConfig } from '../../indexer/file-inputs';
import { runIngest } from '../../indexer/pipeline';
import { recordPreparer } from '../../indexer/prepare';
import { query } from '../contract/engine-contract';
import { ingestFiles, PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';

const run = promisify(execFile);
const vocab = loadVocabulary();
const MIXED = path.join(PROJECT_ROOT, 'test/fixtures/ingest/mixed.ndjson');

describe('a run over a file', () => {
  let dataDir: string;
  let backend: SqliteBackend;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-ingest-'));
    backend = openSqliteBackend({ dataDir, labels: vocab });
  });
  afterEach(async () => {
    await backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const ingest = (file: string, maxRejectRate = 0.5) =>
    runIngest({
      sources: [fileSourceConfig(file, path.basename(file))],
      admin: backend.admin,
      prepare: recordPreparer(vocab),
      mode: 'full',
      maxRejectRate,
      maxDropShare: 0.5,
    });

  it('indexes good records and reports each bad one with its source, line and reason', async () => {
    const summary = await ingest(MIXED);
    expect(summary).toMatchObject({ outcome: 'succeeded', counts: { read: 7, indexed: 4, rejected: 3, documents: 4 }, rejectionsTotal: 3 });
    const byLine = Object.fromEntries(summary.rejections.map((r) => [r.position, r]));
    expect(byLine[3]).toMatchObject({ source: 'mixed.ndjson', recordId: 'm-3', location: path.relative(process.cwd(), MIXED) });
    expect(byLine[3]!.reason).toMatch(/title/);
    expect(byLine[4]!.reason).toMatch(/^url: /);
    expect(byLine[6]!.source).toBe('mixed.ndjson');
    expect(summary.notes).toContain('Ignored unknown fields: nickname (1 records)');
    expect(summary.counts.tagged?.countries).toBeGreaterThanOrEqual(3);
    expect(summary.sources).toEqual([expect.objectContaining({ source: 'mixed.ndjson', kind: 'file', state: 'done', read: 7, indexed: 4, rejected: 3 })]);
  });

  it('tags records with the countries their text names, so a demonym search finds them', async () => {
    await ingest(MIXED);
    const doc = await backend.engine.get('m-2');
    expect(doc?.tagging.countries.found).toContain('BGD');
    const page = await backend.engine.search({ query: query('Filipino'), analysed: analyseQuery(vocab, 'Filipino') });
    expect(page.hits.map((h) => h.id)).toContain('m-5');
  });

  it('fails and changes nothing when too many records are rejected', async () => {
    await ingest(path.join(SAMPLE_DATA, 'publications.ndjson'));
    const before = await backend.engine.status();
    const failed = await ingest(MIXED, 0.1);
    expect(failed).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^3 of 7 records were rejected \(42\.9%\), more than the allowed 10%; nothing was changed$/) });
    const after = await backend.engine.status();
    expect(after).toEqual(before);
  });

  it('gives the same index for the same input', async () => {
    const snapshot = async () => {
      await ingestFiles(backend.admin, [SAMPLE_DATA]);
      const page = await backend.engine.search({ query: query('', { size: 100, page: 1 }), analysed: analyseQuery(vocab, '') });
      const second = await backend.engine.search({ query: query('', { size: 100, page: 2 }), analysed: analyseQuery(vocab, '') });
      return { total: page.total, docs: [...page.hits, ...second.hits].map((h) => h.document), facets: page.facets };
    };
    const first = await snapshot();
    const again = await snapshot();
    expect(again).toEqual(first);
    expect(first.total).toBeGreaterThanOrEqual(60);
  });
});

describe('ingest CLI', () => {
  const cli = (args: string[], dataDir: string) =>
    run(process.execPath, [require.resolve('tsx/cli'), 'indexer/cli.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CORRIDOR_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-cli-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds the index from a folder and prints a summary', async () => {
    const result = await cli(['ingest', 'data-sample'], dataDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/read \d+, indexed \d+, rejected 0/);
    const status = await cli(['status'], dataDir);
    expect(JSON.parse(status.stdout).documents).toBeGreaterThanOrEqual(60);
  });

  it('names the problem and exits 2 for a missing path or an unknown option', async () => {
    const missing = await cli(['ingest', 'no/such/folder'], dataDir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: no/such/folder');
    const flag = await cli(['ingest', 'data-sample', '--frobnicate'], dataDir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--frobnicate');
  });

  it('exits 1 and keeps the live index when the rejection rate is exceeded', async () => {
    const before = JSON.parse((await cli(['status'], dataDir)).stdout);
    const failed = await cli(['ingest', MIXED], dataDir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('FAILED: 3 of 7 records were rejected');
    // Each rejected record with its file and line, its id and the reason.
    expect(failed.stderr).toMatch(/test\/fixtures\/ingest\/mixed\.ndjson:3 \[m-3\]: title/);
    expect(failed.stderr).toMatch(/the live index was kept \(\d+ documents\)/);
    const after = JSON.parse((await cli(['status'], dataDir)).stdout);
    expect(after.generation).toBe(before.generation);
  });
});
