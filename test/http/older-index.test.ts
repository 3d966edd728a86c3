/**
 * An embedded index built by an earlier version (layout 5: no completion keys, documents without
 * corridors) is still served after an upgrade, until the next full reindex: search, suggestions
 * of names, record pages with related publications. Only titles and publishers are not completed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import request from 'supertest';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { analyseQuery } from '../../src/search/query-analyser';
import { SearchService } from '../../src/search/search-service';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { createApp } from '../../src/web/app';
import { buildTestApp, type TestApp } from '../support/test-app';

const vocab = loadVocabulary();
let built: TestApp;
let app: ReturnType<typeof createApp>;
let backend: ReturnType<typeof openSqliteBackend>;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-older-'));
  // The sample data indexed by this version, on the embedded engine whatever CORRIDOR_TEST_ENGINE says.
  built = await buildTestApp({ backend: openSqliteBackend({ dataDir, labels: vocab }) });
  await built.close();
  // Make the live generation look like one written before completions and corridors.
  const pointer = JSON.parse(fs.readFileSync(path.join(dataDir, 'index', 'current.json'), 'utf8')) as { current: { file: string } };
  const db = new Database(path.join(dataDir, 'index', pointer.current.file));
  db.exec("DROP TABLE completions; UPDATE meta SET value = '5' WHERE key = 'schema_version'; UPDATE docs SET body = json_remove(body, '$.corridors');");
  db.close();
  backend = openSqliteBackend({ dataDir, labels: vocab });
  const search = new SearchService(backend.engine, (text) => analyseQuery(vocab, text), vocab);
  app = createApp({ search, labels: vocab, logger: pino({ level: 'silent' }), config: {} });
});
afterAll(async () => {
  await backend?.engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
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
