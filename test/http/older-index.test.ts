/**
 * An embedded index built by an earlier version is still served after an upgrade, until the next
 * full reindex. Layout 5 (no completion keys, documents without corridors): search, suggestions of
 * names, record pages with related publications; only titles and publishers are not completed.
 * Layout 6 (a completion key for every word start of a title): titles complete as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import request from 'supertest';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { completionKeys } from '../../src/search/completion';
import { analyseQuery } from '../../src/search/query-analyser';
import { SearchService } from '../../src/search/search-service';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { createApp } from '../../src/web/app';
import { buildTestApp, type TestApp } from '../support/test-app';

const vocab = loadVocabulary();
const opened: { backend: ReturnType<typeof openSqliteBackend>; dataDir: string }[] = [];

/** The sample data indexed by this version, its live generation then rewritten by `makeOlder`, opened again. */
async function olderIndex(makeOlder: (db: Database.Database) => void): Promise<ReturnType<typeof createApp>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-older-'));
  // On the embedded engine whatever CORRIDOR_TEST_ENGINE says.
  const built: TestApp = await buildTestApp({ backend: openSqliteBackend({ dataDir, labels: vocab }) });
  await built.close();
  const pointer = JSON.parse(fs.readFileSync(path.join(dataDir, 'index', 'current.json'), 'utf8')) as { current: { file: string } };
  const db = new Database(path.join(dataDir, 'index', pointer.current.file));
  makeOlder(db);
  db.close();
  const backend = openSqliteBackend({ dataDir, labels: vocab });
  opened.push({ backend, dataDir });
  const search = new SearchService(backend.engine, (text) => analyseQuery(vocab, text), vocab);
  return createApp({ search, labels: vocab, logger: pino({ level: 'silent' }), config: {} });
}

let app: ReturnType<typeof createApp>;
let layout6: ReturnType<typeof createApp>;

beforeAll(async () => {
  // Written before completions and corridors.
  app = await olderIndex((db) =>
    db.exec("DROP TABLE completions; DROP TABLE title_words; UPDATE meta SET value = '5' WHERE key = 'schema_version'; UPDATE docs SET body = json_remove(body, '$.corridors');"),
  );
  // Written with a completion key for every word start of each title (kind 1 from the second word on).
  layout6 = await olderIndex((db) => {
    db.exec("DROP TABLE title_words; DELETE FROM completions WHERE kind = 0; UPDATE meta SET value = '6' WHERE key = 'schema_version'");
    const insert = db.prepare('INSERT INTO completions (kind, key, ref) VALUES (?, ?, ?)');
    for (const [rowid, title] of db.prepare("SELECT rowid, json_extract(body, '$.title') FROM docs").raw().all() as [number, string][]) {
      completionKeys(title).forEach((key, i) => insert.run(i === 0 ? 0 : 1, key, rowid));
    }
  });
});
afterAll(async () => {
  for (const { backend, dataDir } of opened) {
    await backend.engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('an index of an earlier layout, after upgrading', () => {
  it('is searched, and its records are shown with their related publications', async () => {
    const body = (await request(app).get('/api/search?q=qatar').expect(200)).body;
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits[0].corridors).toEqual([]);
    const html = (await request(app).get('/resources/amnesty-dark-side-of-migration-qatar-2013').expect(200)).text;
    expect(html).toContain('Related publications');
  });

  it('suggests names it has, but completes no titles until it is rebuilt', async () => {
    const suggestions = (await request(app).get('/api/suggest?q=qat').expect(200)).body.suggestions as { kind: string; value: string }[];
    expect(suggestions).toContainEqual(expect.objectContaining({ kind: 'country', value: 'QAT' }));
    expect(suggestions.filter((s) => s.kind === 'title')).toEqual([]);
  });
});

describe('an index of layout 6, after upgrading', () => {
  it('completes titles from their start and from a word inside', async () => {
    const titles = async (typed: string) =>
      ((await request(layout6).get(`/api/suggest?q=${encodeURIComponent(typed)}`).expect(200)).body.suggestions as { kind: string; label: string }[])
        .filter((s) => s.kind === 'title')
        .map((s) => s.label);
    expect(await titles('the dark side of mig')).toContainEqual(expect.stringMatching(/^The Dark Side of Migration/));
    expect(await titles('dark side of mig')).toContainEqual(expect.stringMatching(/^The Dark Side of Migration/));
  });
});
