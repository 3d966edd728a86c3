/**
 * Records prepared on worker threads (indexer/prepare-pool.ts) give exactly the run a single
 * thread gives: the same documents in the index, the same rejections with their source, line
 * and reason, in the same order, the same repeated-id and duplicate reports, tallies and notes.
 * A thread that fails fails the run and commits nothing; a run through the CLI with threads ends
 * (nothing keeps the process alive) and reports as usual.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openSqliteBackend, type SqliteBackend } from '../../src/backends/sqlite';
import type { RunSummary } from '../../src/jobs/run-history';
import type { ResourceDocument } from '../../src/search/types';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { fileSourceConfig } from '../../indexer/file-inputs';
import { runIngest } from '../../indexer/pipeline';
import { recordPreparer, type Preparer } from '../../indexer/prepare';
import type { SourceConfig } from '../../indexer/sources/config';
import { PROJECT_ROOT, SAMPLE_DATA } from '../support/test-app';

const run = promisify(execFile);
const vocab = loadVocabulary();
const COUNTRIES = ['Nepal', 'Qatar', 'Lao PDR', 'Burma', 'Viet Nam', 'Atlantis', 'Filipino workers', 'ASEAN'];

let dir: string;
let sources: SourceConfig[];

/** Records of every kind a run has to tell apart, spread over two sources and three formats. */
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-parallel-'));
  const lines: string[] = [];
  for (let i = 1; i <= 1500; i++) {
    if (i % 97 === 0) lines.push('{"id": "broken-json", "title": ');
    else if (i % 89 === 0) lines.push(JSON.stringify({ id: `p-${i}`, url: 'not a url' }));
    else if (i % 83 === 0) lines.push(JSON.stringify({ id: `p-${i - 1}`, title: `A second record with the id of line ${i - 1}` }));
    else if (i % 79 === 0) lines.push('');
    else {
      lines.push(
        JSON.stringify({
          id: `p-${i}`,
          title: `Recruitment of ${COUNTRIES[i % COUNTRIES.length]} migrant workers, report ${i}`,
          abstract: i % 3 === 0 ? `Remittances and domestic work in the Gulf (${i}).` : undefined,
          published: String(1990 + (i % 30)),
          countries: i % 5 === 0 ? [COUNTRIES[(i + 1) % COUNTRIES.length]] : [],
          doi: i % 11 === 0 ? `10.1234/p${i}` : undefined,
          nickname: i % 13 === 0 ? 'unknown field' : undefined,
        }),
      );
    }
  }
  fs.writeFileSync(path.join(dir, 'a.ndjson'), `${lines.join('\n')}\n`);
  // A second source whose NDJSON uses its own field names (mapping) and defaults, and that
  // lists again, by DOI, some of the first source's records (duplicates across sources).
  const mapped = Array.from({ length: 400 }, (_, i) =>
    JSON.stringify({ ref: `m-${i}`, name: `Kafala and labour migration to Saudi Arabia, part ${i}`, doi: i % 50 === 0 ? `10.1234/p${(i / 50 + 1) * 11}` : undefined }),
  );
  fs.mkdirSync(path.join(dir, 'mapped'));
  fs.writeFileSync(path.join(dir, 'mapped', 'b.ndjson'), `${mapped.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'mapped', 'c.csv'), 'ref,name,doi\nc-1,A CSV record about Nepal,\nc-2,,\nc-3,Another one about Qatar,10.1234/p22\n');
  sources = [
    fileSourceConfig(path.join(dir, 'a.ndjson'), 'first'),
    { ...fileSourceConfig(path.join(dir, 'mapped'), 'second'), mapping: { id: 'ref', title: 'name', doi: 'doi' }, defaults: { publisher: 'Mapped Press', type: 'Report' } },
  ];
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  summary: RunSummary;
  documents: ResourceDocument[];
}

async function ingest(prepare: Preparer): Promise<Outcome> {
  const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
  const backend: SqliteBackend = openSqliteBackend({ dataDir, labels: vocab });
  try {
    const summary = await runIngest({ sources, admin: backend.admin, prepare, mode: 'full', maxRejectRate: 0.5, maxDropShare: 1, batchSize: 100 });
    const documents: ResourceDocument[] = [];
    for (let after: { changed: string; id: string } | undefined; ; ) {
      const page = await backend.engine.listChanges({ limit: 500, after });
      documents.push(...page.documents);
      if (page.documents.length < 500) break;
      const last = page.documents[page.documents.length - 1]!;
      after = { changed: last.changed, id: last.id };
    }
    documents.sort((a, b) => (a.id < b.id ? -1 : 1)).forEach((d) => delete d.changed);
    return { summary, documents };
  } finally {
    await backend.close();
  }
}

/** The summary without what differs between any two runs (timings). */
function comparable(summary: RunSummary): unknown {
  return { ...summary, sources: summary.sources?.map(({ durationMs: _d, ...s }) => s) };
}

const threaded = (startAfter: number): Preparer => ({ threads: 2, vocabulary: vocab.files, prepare: recordPreparer(vocab), startAfter });

describe('records prepared on worker threads', () => {
  let single: Outcome;
  beforeAll(async () => {
    single = await ingest(recordPreparer(vocab));
  }, 60_000);

  it('the single-threaded run is the reference: it has rejections, repeated ids, duplicates and notes to compare', () => {
    expect(single.summary.outcome).toBe('succeeded');
    expect(single.summary.rejectionsTotal).toBeGreaterThan(20);
    expect(single.summary.rejections.some((r) => /^invalid JSON/.test(r.reason))).toBe(true);
    expect(single.summary.rejections.some((r) => r.recordId !== undefined && /url/.test(r.reason))).toBe(true);
    expect(single.summary.notes.some((n) => /appears twice in this run/.test(n))).toBe(true);
    expect(single.summary.notes.some((n) => /^Merged duplicate second:/.test(n))).toBe(true);
    expect(single.summary.notes.some((n) => /^Ignored unknown fields: nickname/.test(n))).toBe(true);
    expect(single.documents.find((d) => d.id === 'm-1')).toMatchObject({ title: expect.stringMatching(/^Kafala/), publisher: 'Mapped Press', type: 'Report' });
  });

  it.each([
    ['from the first record', 0],
    ['from the middle of the first source (the first records in this thread)', 700],
  ])('give the same index and the same report %s', async (_label, startAfter) => {
    const parallel = await ingest(threaded(startAfter));
    expect(comparable(parallel.summary)).toEqual(comparable(single.summary));
    expect(parallel.documents).toEqual(single.documents);
  }, 60_000);

  it('fail the run, keeping the live index, when a thread fails', async () => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
    const backend = openSqliteBackend({ dataDir, labels: vocab });
    try {
      const seeded = await runIngest({ sources: [fileSourceConfig(SAMPLE_DATA, 'sample')], admin: backend.admin, prepare: recordPreparer(vocab), mode: 'full', maxRejectRate: 0.5, maxDropShare: 1 });
      expect(seeded.outcome).toBe('succeeded');
      const before = await backend.engine.status();
      // A vocabulary a thread cannot build: it fails as it starts.
      const broken: Preparer = { threads: 2, vocabulary: { ...vocab.files, countries: { countries: null } } as never, prepare: recordPreparer(vocab), startAfter: 0 };
      const summary = await runIngest({ sources, admin: backend.admin, prepare: broken, mode: 'full', maxRejectRate: 0.5, maxDropShare: 1 });
      expect(summary.outcome).toBe('failed');
      expect(summary.error).toMatch(/a record preparation thread failed: .*; the live index was kept$/);
      expect(await backend.engine.status()).toEqual(before);
      expect(fs.readdirSync(path.join(dataDir, 'index')).filter((f) => f.includes('.building.'))).toEqual([]);
    } finally {
      await backend.close();
    }
  }, 60_000);
});

test('npm run ingest with threads reports its run and ends', async () => {
  const dataDir = fs.mkdtempSync(path.join(dir, 'cli-'));
  // More records than a run reads before it starts its threads.
  const big = path.join(dir, 'big.ndjson');
  const records = Array.from({ length: 8000 }, (_, i) => JSON.stringify({ id: `big-${i}`, title: `Migrant workers from Nepal in Qatar, survey ${i}`, published: '2020' }));
  fs.writeFileSync(big, `${records.join('\n')}\n{"id": "big-bad"}\n`);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'indexer/cli.ts', 'ingest', big], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CORRIDOR_DATA_DIR: dataDir, CORRIDOR_INGEST_THREADS: '2', LOG_LEVEL: 'silent' },
    timeout: 120_000,
  });
  expect(stdout).toMatch(/succeeded/);
  expect(stdout).toMatch(/read 8001, indexed 8000, rejected 1\b/);
  expect(stdout).toMatch(/big\.ndjson:8001 \[big-bad\]: title/);
}, 150_000);
