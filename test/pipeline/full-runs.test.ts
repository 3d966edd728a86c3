/**
 * What a run does to the index, through the CLI as an operator uses it, on the embedded engine:
 * `npm run ingest` and `run-sources` are one pipeline; a full run removes the records of sources
 * that are no longer configured (and those loaded from files); it starts a new generation
 * instead of copying the live one; a refused run reports the index it kept; an index file left by
 * a killed build is removed by the next run; a run that died right after its index went live is
 * not reported as "nothing committed".
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { openOperationsStore } from '../../src/backends/sqlite/operations-store';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { makeDocument } from '../contract/contract-documents';
import { tempDir } from '../jobs/helpers';
import { runCli, writeRecords } from '../support/processes';

let dir: string;
let env: Record<string, string>;
const sourcesFile = () => path.join(dir, 'sources.json');
const dataDir = () => path.join(dir, 'data');

function writeSources(sources: object[]): void {
  fs.writeFileSync(sourcesFile(), JSON.stringify({ sources }));
}

async function documents(): Promise<number> {
  const status = await runCli(['status'], env);
  return (JSON.parse(status.stdout) as { documents: number }).documents;
}

beforeAll(() => {
  dir = tempDir('corridor-full-runs-');
  env = { CORRIDOR_DATA_DIR: dataDir(), CORRIDOR_SOURCES_FILE: sourcesFile() };
  writeRecords(path.join(dir, 'a.ndjson'), 300, 'a');
  writeRecords(path.join(dir, 'b.ndjson'), 40, 'b');
  writeRecords(path.join(dir, 'extra.ndjson'), 10, 'extra');
  writeRecords(path.join(dir, 'tiny.ndjson'), 2, 'tiny');
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('full runs of the sources file', () => {
  it('removes the records of a source taken out of the sources file, and says so', async () => {
    writeSources([
      { id: 'a', kind: 'file', location: 'a.ndjson' },
      { id: 'b', kind: 'file', location: 'b.ndjson' },
    ]);
    expect((await runCli(['run-sources'], env)).code).toBe(0);
    expect(await documents()).toBe(340);

    writeSources([{ id: 'a', kind: 'file', location: 'a.ndjson' }]);
    const run = await runCli(['run-sources'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/b: no longer in the sources file; its 40 records were removed/);
    expect(await documents()).toBe(300);
  });

  it('removes records loaded with `npm run ingest` at the next full run', async () => {
    const added = await runCli(['ingest', path.join(dir, 'extra.ndjson'), '--incremental'], env);
    expect(added.code).toBe(0);
    expect(await documents()).toBe(310);
    const run = await runCli(['run-sources'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/extra\.ndjson: no longer in the sources file; its 10 records were removed/);
    expect(await documents()).toBe(300);
  });

  it('reports the size of the index it kept when the commit is refused', async () => {
    const refused = await runCli(['ingest', path.join(dir, 'tiny.ndjson')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused/);
    expect(refused.stderr).not.toMatch(/holds 0 documents/);
    expect(refused.stderr).toMatch(/the live index was kept \(300 documents\)/);
    expect(await documents()).toBe(300);
  });

  it('removes a generation file left by a killed build at the next run, not minutes later', async () => {
    const orphan = path.join(dataDir(), 'index', 'gen-20990101T000000Z-abcdef.building.sqlite');
    fs.writeFileSync(orphan, 'left behind by a build that was killed a moment ago');
    expect((await runCli(['run-sources'], env)).code).toBe(0);
    expect(fs.existsSync(orphan)).toBe(false);
  });

  it('builds a new generation rather than copying the live one: an index of an older layout is no obstacle', async () => {
    const pointer = JSON.parse(fs.readFileSync(path.join(dataDir(), 'index', 'current.json'), 'utf8')) as { current: { file: string } };
    const db = new Database(path.join(dataDir(), 'index', pointer.current.file));
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema_version'").run();
    db.close();
    const run = await runCli(['run-sources'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await documents()).toBe(300);
  });

  it('does not call a run that died right after its index went live "nothing committed"', async () => {
    // A run whose process died between the swap and recording its end: its generation is live,
    // its history record still says "running", and its lease has lapsed.
    const runId = 'run-20240101T000000Z-dead01';
    const vocab = loadVocabulary();
    const backend = openSqliteBackend({ dataDir: dataDir(), labels: vocab });
    const writer = await backend.admin.openWriter({ mode: 'full', runId });
    await writer.write(Array.from({ length: 300 }, (_, i) => makeDocument({ id: `a-${i}`, title: `Survey ${i}`, source: 'a' })));
    await writer.commit({ runId, maxDropShare: 0.5 });
    await backend.close();
    const store = openOperationsStore(dataDir());
    await store.history.begin({ id: runId, trigger: 'nightly', mode: 'full', holder: 'gone:1/' + runId, startedAt: new Date(Date.now() - 60_000) });
    await store.history.progress(runId, [{ source: 'a', kind: 'file', state: 'done', read: 300, indexed: 300, rejected: 0, deleted: 0, duplicates: 0 }]);
    store.close();

    expect((await runCli(['run-sources'], env)).code).toBe(0);

    const after = openOperationsStore(dataDir());
    try {
      const run = await after.history.get(runId);
      expect(run?.outcome).toBe('succeeded');
      expect(run?.error ?? '').not.toMatch(/nothing .*committed/);
      expect(run?.counts.documents).toBe(300);
    } finally {
      after.close();
    }
  });
});

describe('`npm run ingest` is a run over file sources', () => {
  let ingestDir: string;
  let ingestEnv: Record<string, string>;
  beforeAll(() => {
    ingestDir = path.join(dir, 'ingest');
    fs.mkdirSync(ingestDir);
    ingestEnv = { CORRIDOR_DATA_DIR: path.join(ingestDir, 'data'), CORRIDOR_SOURCES_FILE: path.join(ingestDir, 'none.json') };
    writeRecords(path.join(ingestDir, 'x.ndjson'), 20, 'x', (i) => (i === 0 ? { url: 'https://example.org/pubs/shared-report' } : {}));
    writeRecords(path.join(ingestDir, 'y.ndjson'), 20, 'y', (i) => (i === 0 ? { url: 'https://example.org/pubs/shared-report/' } : {}));
    fs.writeFileSync(path.join(ingestDir, 'broken.json'), '[{"id": "z-1", "title": "Unfinished');
  });

  it('merges the same publication found in two inputs, as a harvest does', async () => {
    const run = await runCli(['ingest', path.join(ingestDir, 'x.ndjson'), path.join(ingestDir, 'y.ndjson')], ingestEnv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/duplicates merged 1/);
    expect(await runCli(['status'], ingestEnv).then((s) => (JSON.parse(s.stdout) as { documents: number }).documents)).toBe(39);
  });

  it('fails an input that cannot be read at all, names it, and commits the others', async () => {
    const run = await runCli(['ingest', path.join(ingestDir, 'x.ndjson'), path.join(ingestDir, 'y.ndjson'), path.join(ingestDir, 'broken.json')], ingestEnv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/broken\.json \(file\): failed/);
    expect(run.stdout).toMatch(/partial/);
    const store = openOperationsStore(path.join(ingestDir, 'data'));
    try {
      const [latest] = (await store.history.list({ limit: 1 })).runs;
      expect(latest?.sources.map((s) => [path.basename(s.source), s.state])).toEqual([
        ['x.ndjson', 'done'],
        ['y.ndjson', 'done'],
        ['broken.json', 'failed'],
      ]);
    } finally {
      store.close();
    }
  });

  it('counts as removed only what is gone: records another input delivers again stay', async () => {
    fs.copyFileSync(path.join(ingestDir, 'x.ndjson'), path.join(ingestDir, 'x-again.ndjson'));
    const run = await runCli(['ingest', path.join(ingestDir, 'x-again.ndjson'), path.join(ingestDir, 'y.ndjson')], ingestEnv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/x\.ndjson: not among the inputs of this run; its 20 records now come from the run's sources/);
    expect(run.stdout).toMatch(/removed 0,/);
    expect(await runCli(['status'], ingestEnv).then((s) => (JSON.parse(s.stdout) as { documents: number }).documents)).toBe(39);
  });
});
