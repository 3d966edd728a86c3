/**
 * Harvests over real HTTP on loopback into a real SQLite index: RSS, Atom, OAI-PMH, a paginated
 * JSON API and a local file, with sources that go down, time out, answer garbage or 500. Each
 * test builds on the index the previous ones left, as successive nightly runs would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteBackend, type SqliteBackend } from '../../src/backends/sqlite';
import { analyseQuery } from '../../src/search/query-analyser';
import { FACET_NAMES, type FacetFilters, type SearchQuery } from '../../src/search/types';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import type { RunSummary } from '../../src/jobs/run-history';
import { runIngest, type IngestOptions, type RunProgress } from '../../indexer/pipeline';
import { recordPreparer } from '../../indexer/prepare';
import { ingestFiles } from '../support/test-app';
import { loadSourcesFile, parseSourcesConfig, type SourceConfig } from '../../indexer/sources/config';
import { chunked, fixture, hang, send, sendFixture, SOURCE_FIXTURES, startFixtureServer, status, type FixtureServer, type Handler } from './fixture-server';

const vocab = loadVocabulary();
const XML = 'application/xml; charset=utf-8';
const JSON_TYPE = 'application/json';

function query(text = '', size = 100): SearchQuery {
  const filters = Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as FacetFilters;
  return { text, filters, sort: text ? 'relevance' : 'newest', page: 1, size };
}

/** The OAI-PMH endpoint: two pages by resumption token; with `from`, only the changes. */
function oaiHandler(): Handler {
  return (req, res, url) => {
    const token = url.searchParams.get('resumptionToken');
    if (token === 'tok-2') return sendFixture('oai-page2.xml', XML)(req, res, url);
    if (token !== null) return send('<OAI-PMH><error code="badResumptionToken"/></OAI-PMH>', XML)(req, res, url);
    if (url.searchParams.get('metadataPrefix') !== 'oai_dc') return sendFixture('oai-bad-argument.xml', XML)(req, res, url);
    const from = url.searchParams.get('from');
    if (from === null) return sendFixture('oai-page1.xml', XML)(req, res, url);
    return sendFixture(from <= '2024-03-05' ? 'oai-changes.xml' : 'oai-no-records.xml', XML)(req, res, url);
  };
}

/** The JSON API: two pages of two items, then an empty page. `drop` leaves items out. */
function apiHandler(drop: string[] = []): Handler {
  const pages = [fixture('api-page1.json'), fixture('api-page2.json'), fixture('api-empty.json')].map((text) => {
    const body = JSON.parse(text) as { data: { items: { key: string }[] } };
    body.data.items = body.data.items.filter((i) => !drop.includes(i.key));
    return JSON.stringify(body);
  });
  return (req, res, url) => {
    const page = Number(url.searchParams.get('page') ?? '1');
    send(pages[Math.min(page, 3) - 1]!, JSON_TYPE)(req, res, url);
  };
}

describe('harvest over HTTP into the SQLite index', () => {
  let server: FixtureServer;
  let dataDir: string;
  let backend: SqliteBackend;
  let sources: SourceConfig[];

  const http = { timeoutMs: 300, retries: 1, retryDelayMs: 10, maxRetryDelayMs: 50 };
  const harvest = (overrides: Partial<IngestOptions> = {}): Promise<RunSummary> =>
    runIngest({
      sources,
      admin: backend.admin,
      prepare: recordPreparer(vocab),
      mode: 'full',
      maxRejectRate: 0.2,
      maxDropShare: 0.5,
      ...overrides,
    });
  const ids = async (): Promise<string[]> => (await backend.engine.search({ query: query(), analysed: analyseQuery(vocab, '') })).hits.map((h) => h.id).sort();
  const find = async (text: string): Promise<string[]> =>
    (await backend.engine.search({ query: query(text), analysed: analyseQuery(vocab, text) })).hits.map((h) => h.id);
  const bySource = (summary: RunSummary) => Object.fromEntries(summary.sources.map((s) => [s.source, s]));

  function serveEverything(): void {
    server.route('/rss.xml', sendFixture('rss.xml', 'application/rss+xml'));
    server.route('/atom.xml', sendFixture('atom.xml', 'application/atom+xml'));
    server.route('/oai', oaiHandler());
    server.route('/api/items', apiHandler());
  }

  beforeAll(async () => {
    server = await startFixtureServer();
    serveEverything();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-harvest-'));
    backend = openSqliteBackend({ dataDir, labels: vocab });
    sources = parseSourcesConfig(
      {
        sources: [
          { id: 'local', kind: 'file', location: 'local' },
          { id: 'repo', kind: 'oai-pmh', location: `${server.origin}/oai`, http },
          { id: 'news', kind: 'rss', location: `${server.origin}/rss.xml`, http, defaults: { publisher: 'Example News', type: 'News' } },
          { id: 'reports', kind: 'atom', location: `${server.origin}/atom.xml`, http },
          {
            id: 'api',
            kind: 'http-json',
            location: `${server.origin}/api/items`,
            itemsPath: 'data.items',
            pagination: { type: 'page', sizeParam: 'per_page', size: 2 },
            sinceParam: 'updated_since',
            mapping: { id: 'key', title: 'name', url: 'link', abstract: 'summary', published: 'year', authors: 'people[].name', keywords: 'tags', countries: 'where' },
            defaults: { publisher: 'Example API', type: 'Report', language: 'en' },
            http,
          },
        ],
      },
      SOURCE_FIXTURES,
    );
  });

  afterAll(async () => {
    await backend.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('harvests every kind, merges duplicates across sources, and reports each source', async () => {
    const progress: RunProgress[] = [];
    const summary = await harvest({ runId: 'run-1', onProgress: (p) => progress.push(p) });

    expect(summary).toMatchObject({ outcome: 'succeeded', counts: { read: 16, rejected: 2, duplicates: 3, indexed: 11, documents: 11, deleted: 0, carried: 0 } });
    expect(summary.error).toBeUndefined();
    const s = bySource(summary);
    expect(s.local).toMatchObject({ kind: 'file', state: 'done', read: 4, indexed: 3, rejected: 1, duplicates: 0 });
    expect(s.repo).toMatchObject({ kind: 'oai-pmh', state: 'done', read: 3, indexed: 2, rejected: 0, duplicates: 1 });
    expect(s.news).toMatchObject({ kind: 'rss', state: 'done', read: 3, indexed: 3 });
    expect(s.reports).toMatchObject({ kind: 'atom', state: 'done', read: 2, indexed: 2 });
    expect(s.api).toMatchObject({ kind: 'http-json', state: 'done', read: 4, indexed: 1, rejected: 1, duplicates: 2 });

    // Same DOI (spelt differently), same URL (case, fragment, trailing slash), same title and year.
    expect(summary.notes.filter((n) => n.startsWith('Merged'))).toEqual([
      'Merged duplicate repo:repo:oai:repo.example.org:102 into local:local-1 (doi)',
      'Merged duplicate api:a1 into news:news:news-2 (url)',
      'Merged duplicate api:a2 into reports:reports:urn:uuid:7d0c1a2e-0000-4000-8000-000000000002 (title-year)',
    ]);
    expect(summary.rejections).toEqual([
      expect.objectContaining({ source: 'local', position: 4, recordId: 'local-bad', reason: expect.stringContaining("url: 'javascript:alert(1)' is not an http(s) URL"), location: expect.stringMatching(/records\.ndjson$/) }),
      expect.objectContaining({ source: 'api', position: 4, recordId: 'a4', reason: 'title: required', location: expect.stringContaining('/api/items?page=2') }),
    ]);

    expect(await ids()).toEqual([
      'a3',
      'local-1',
      'local-2',
      'local-3',
      'news:https://news.example.org/articles/hk-domestic-workers',
      'news:news-1',
      'news:news-2',
      'repo:oai:repo.example.org:101',
      'repo:oai:repo.example.org:103',
      'reports:urn:uuid:7d0c1a2e-0000-4000-8000-000000000001',
      'reports:urn:uuid:7d0c1a2e-0000-4000-8000-000000000002',
    ]);
    const news = await backend.engine.get('news:news-1');
    expect(news).toMatchObject({
      title: 'New guidance on fair recruitment & fees',
      abstract: 'The guidance covers recruitment fees & related costs charged to workers from Nepal.\n\nCafé owners – and employers – must pay.',
      published: '2024-03-05',
      year: 2024,
      authors: ['A. Writer'],
      publisher: 'Example News',
      type: 'News',
      languages: ['en'],
      source: 'news',
      countries: ['NPL'],
    });
    expect(news?.themes).toContain('recruitment');
    const oai = await backend.engine.get('repo:oai:repo.example.org:101');
    expect(oai).toMatchObject({ type: 'Report', languages: ['en'], countries: ['MYS', 'NPL'], authors: ['Gurung, Anita', 'Rahman, Farid'], source: 'repo' });
    expect(await backend.engine.get('a3')).toMatchObject({ publisher: 'Example API', countries: ['KAZ', 'KGZ'], authors: ['D. Author'], source: 'api' });

    // Searchable like any other record: a demonym and a region find them.
    expect(await find('Nepali recruitment')).toEqual(expect.arrayContaining(['repo:oai:repo.example.org:101', 'news:news-1']));
    expect(await find('Central Asia')).toContain('a3');

    // The requests: OAI paged by token alone, the API by page until an empty page.
    expect(server.hits('/oai')).toEqual(['/oai?verb=ListRecords&metadataPrefix=oai_dc', '/oai?verb=ListRecords&resumptionToken=tok-2']);
    expect(server.hits('/api/items')).toEqual(['/api/items?page=1&per_page=2', '/api/items?page=2&per_page=2', '/api/items?page=3&per_page=2']);

    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({ runId: 'run-1', phase: 'finished', counts: { read: 16, indexed: 11, rejected: 2, duplicates: 3 } });
    expect(last.sources.map((p) => [p.source, p.state, p.read, p.indexed])).toEqual([
      ['local', 'done', 4, 3],
      ['repo', 'done', 3, 2],
      ['news', 'done', 3, 3],
      ['reports', 'done', 2, 2],
      ['api', 'done', 4, 1],
    ]);
    expect(progress.some((p) => p.phase === 'reading' && p.current === 'repo' && p.sources[1]!.state === 'running')).toBe(true);
    expect(progress.every((p, i) => i === 0 || p.elapsedMs >= progress[i - 1]!.elapsedMs)).toBe(true);
  });

  it('keeps the records of sources that fail (500, garbage, timeout) and commits the others', async () => {
    const before = await ids();
    const generation = (await backend.engine.status()).generation;
    server.requests.length = 0;
    server.route('/rss.xml', status(500));
    server.route('/atom.xml', sendFixture('garbage.html', 'text/html'));
    server.route('/api/items', hang);

    const started = Date.now();
    const summary = await harvest({ runId: 'run-2' });
    expect(Date.now() - started).toBeLessThan(5000);

    expect(summary).toMatchObject({ outcome: 'partial', counts: { deleted: 0, documents: before.length } });
    const s = bySource(summary);
    // Their records were carried over from the live index, not read again.
    expect(s.news).toMatchObject({ state: 'failed', carried: 3 });
    expect(s.reports).toMatchObject({ state: 'failed', carried: 2 });
    expect(s.api).toMatchObject({ state: 'failed', carried: 1 });
    expect(s.news!.state).toBe('failed');
    expect(s.news!.error).toBe(`news: GET ${server.origin}/rss.xml failed after 2 attempts: HTTP 500 Internal Server Error`);
    expect(server.hits('/rss.xml')).toHaveLength(2);
    expect(s.reports!.error).toMatch(new RegExp(`^reports: GET ${server.origin}/atom\\.xml: not well-formed XML \\(line \\d+, column \\d+: .+\\)$`));
    expect(s.api!.error).toBe(`api: GET ${server.origin}/api/items?page=1&per_page=2 failed after 2 attempts: no complete response within 300 ms`);
    expect(s.local!.state).toBe('done');
    expect(s.repo!.state).toBe('done');
    expect(summary.notes).toEqual(expect.arrayContaining([s.news!.error, s.reports!.error, s.api!.error]));

    // Every record is still there, including those of the three failed sources.
    expect(await ids()).toEqual(before);
    expect((await backend.engine.status()).generation).not.toBe(generation);
    expect(await backend.engine.get('news:news-1')).toMatchObject({ source: 'news' });
  });

  it('fails a source whose JSON is broken or whose body passes the size limit', async () => {
    const before = await ids();
    serveEverything();
    server.route('/api/items', send(fixture('invalid.json'), JSON_TYPE));
    server.route('/big.xml', chunked(100_000));
    const withBig = sources.map((c) => (c.kind === 'atom' ? { ...c, location: `${server.origin}/big.xml`, http: { ...c.http, maxBytes: 10_000 } } : c));

    const summary = await harvest({ runId: 'run-3', sources: withBig });
    const s = bySource(summary);
    expect(summary.outcome).toBe('partial');
    expect(s.api!.error).toMatch(/^api: GET .*\/api\/items\?page=1&per_page=2: the response is not JSON \(/);
    expect(s.reports!.error).toBe(`reports: GET ${server.origin}/big.xml failed: the response is larger than the limit of 10000 bytes`);
    expect(s.news!.state).toBe('done');
    expect(await ids()).toEqual(before);
  });

  it('incremental runs ask OAI-PMH for changes since the last harvest and apply its deletions', async () => {
    serveEverything();
    server.requests.length = 0;
    const summary = await harvest({ runId: 'run-4', mode: 'incremental', since: { repo: '2024-03-01T02:00:00Z', api: '2024-03-01' } });

    expect(summary).toMatchObject({ outcome: 'succeeded' });
    expect(server.hits('/oai')).toEqual(['/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2024-03-01']);
    expect(server.hits('/api/items')[0]).toBe('/api/items?updated_since=2024-03-01&page=1&per_page=2');
    const s = bySource(summary);
    expect(s.repo).toMatchObject({ since: '2024-03-01T02:00:00Z', read: 1, indexed: 1, deleted: 1 });
    expect(s.local!.since).toBeUndefined();
    expect(summary.counts.deleted).toBe(1);

    expect(await backend.engine.get('repo:oai:repo.example.org:103')).toBeNull();
    expect((await backend.engine.get('repo:oai:repo.example.org:101'))?.title).toBe(
      'Labour migration from Nepal to Malaysia: recruitment costs and debt (revised edition)',
    );
    // An incremental run removes nothing else.
    expect(await backend.engine.get('local-3')).not.toBeNull();
  });

  it('treats noRecordsMatch as nothing changed', async () => {
    const before = await ids();
    const summary = await harvest({ runId: 'run-5', mode: 'incremental', since: { repo: '2030-01-01' } });
    expect(bySource(summary).repo).toMatchObject({ state: 'done', read: 0, deleted: 0 });
    expect(await ids()).toEqual(before);
  });

  it('full runs remove what vanished from a source that succeeded, but not items that scrolled off a feed', async () => {
    serveEverything();
    server.route('/api/items', apiHandler(['a3']));
    server.route('/rss.xml', send(fixture('rss.xml').replace(/<item>\s*<title>Domestic workers[\s\S]*?<\/item>/, ''), 'application/rss+xml'));

    const summary = await harvest({ runId: 'run-6' });
    const s = bySource(summary);
    expect(summary.outcome).toBe('succeeded');
    expect(s.api).toMatchObject({ state: 'done', read: 3, deleted: 1 });
    expect(s.news).toMatchObject({ state: 'done', read: 2, deleted: 0, carried: 1 });
    // The full OAI list has 103 again (it came back), so it is re-added, not removed.
    expect(s.repo).toMatchObject({ read: 3, indexed: 2, deleted: 0 });
    expect(await backend.engine.get('a3')).toBeNull();
    expect(await backend.engine.get('news:https://news.example.org/articles/hk-domestic-workers')).not.toBeNull();
    expect(await backend.engine.get('repo:oai:repo.example.org:103')).not.toBeNull();
  });

  it('leaves the live index exactly as it was when every source fails', async () => {
    const before = await ids();
    const generation = (await backend.engine.status()).generation;
    for (const route of ['/rss.xml', '/atom.xml', '/oai', '/api/items']) server.route(route, status(503, { 'retry-after': '0' }));
    const missingFile = sources.map((c) => (c.kind === 'file' ? { ...c, location: path.join(SOURCE_FIXTURES, 'no-such-folder') } : c));

    const summary = await harvest({ runId: 'run-7', sources: missingFile });
    expect(summary).toMatchObject({ outcome: 'failed' });
    expect(summary.error).toMatch(/^every source failed; the live index was kept \(local: no such file or folder: .*no-such-folder; repo: GET/);
    expect(summary.sources.every((s) => s.state === 'failed')).toBe(true);
    expect((await backend.engine.status()).generation).toBe(generation);
    expect(await ids()).toEqual(before);
    serveEverything();
  });

  it('fails without changing anything when too many records are rejected', async () => {
    const before = await ids();
    const generation = (await backend.engine.status()).generation;
    const summary = await harvest({ runId: 'run-8', maxRejectRate: 0.05 });
    expect(summary).toMatchObject({ outcome: 'failed', counts: { rejected: 2 } });
    expect(summary.error).toMatch(/^2 of 16 records were rejected \(12\.5%\), more than the allowed 5%; nothing was changed$/);
    expect((await backend.engine.status()).generation).toBe(generation);
    expect(await ids()).toEqual(before);
  });

  it('is cancelled cleanly by its signal, mid-request, leaving the live index untouched', async () => {
    const before = await ids();
    const generation = (await backend.engine.status()).generation;
    server.route('/oai', hang);
    const slow = sources.map((c) => (c.kind === 'oai-pmh' ? { ...c, http: { ...c.http, timeoutMs: 10_000 } } : c));
    const controller = new AbortController();
    const started = Date.now();
    // Long enough for a heartbeat: progress keeps coming while a request hangs.
    setTimeout(() => controller.abort(), 1100);
    const progress: RunProgress[] = [];

    const summary = await harvest({ runId: 'run-9', sources: slow, signal: controller.signal, onProgress: (p) => progress.push(p) });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(progress.some((p) => p.current === 'repo' && p.elapsedMs >= 1000 && p.sources[1]!.durationMs! >= 900)).toBe(true);
    expect(summary).toMatchObject({ outcome: 'cancelled', error: 'the run was cancelled; the live index was kept' });
    expect(bySource(summary).local!.state).toBe('done');
    expect(bySource(summary).repo!.state).toBe('cancelled');
    expect(bySource(summary).news!.state).toBe('not-run');
    expect((await backend.engine.status()).generation).toBe(generation);
    expect(await ids()).toEqual(before);
    serveEverything();
  });

  it('keeps the records of a source that suddenly lists nothing, with a warning', async () => {
    serveEverything();
    server.route('/oai', sendFixture('oai-no-records.xml', XML));
    const summary = await harvest({ runId: 'run-11' });
    expect(summary.outcome).toBe('succeeded');
    expect(bySource(summary).repo).toMatchObject({ state: 'done', read: 0, deleted: 0, carried: 2 });
    expect(summary.notes).toContain('repo: listed no valid records; its 2 records in the index were kept');
    expect(await backend.engine.get('repo:oai:repo.example.org:101')).not.toBeNull();
    serveEverything();
  });

  it('full runs remove the records of sources taken out of the sources file', async () => {
    const before = await ids();
    const remaining = sources.filter((c) => c.id !== 'reports');
    const summary = await harvest({ runId: 'run-12', sources: remaining });
    expect(summary.outcome).toBe('succeeded');
    expect(summary.counts.deleted).toBe(2);
    expect(bySource(summary).reports).toMatchObject({ state: 'retired', deleted: 2 });
    expect(summary.notes).toContain('reports: no longer in the sources file; its 2 records were removed');
    // With the Atom source gone, the API's record of the Pacific report is no longer a duplicate.
    expect(await ids()).toEqual([...before.filter((id) => !id.startsWith('reports:')), 'a2'].sort());
  });

  it('skips disabled sources and refuses to run with none enabled', async () => {
    const none = sources.map((c) => ({ ...c, enabled: false }));
    const summary = await harvest({ runId: 'run-10', sources: none });
    expect(summary).toMatchObject({ outcome: 'failed', error: 'no enabled sources to read; the live index was kept' });
    expect(summary.sources.every((s) => s.state === 'disabled')).toBe(true);
  });
});

describe("the project's sources.json", () => {
  it('harvests the sample data offline onto an index first built by `npm start`, changing nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-harvest-sample-'));
    const backend = openSqliteBackend({ dataDir, labels: vocab });
    try {
      const root = path.join(__dirname, '..', '..');
      const seeded = await ingestFiles(backend.admin, [path.join(root, 'data-sample')], { source: 'sample' });
      const summary = await runIngest({
        sources: loadSourcesFile(path.join(root, 'sources.json')),
        admin: backend.admin,
        prepare: recordPreparer(vocab),
        mode: 'full',
        maxRejectRate: 0,
        maxDropShare: 0.5,
      });
      expect(summary).toMatchObject({ outcome: 'succeeded', counts: { rejected: 0, duplicates: 0, deleted: 0, documents: seeded.counts.documents }, notes: [] });
      expect(summary.sources).toEqual([expect.objectContaining({ source: 'sample', kind: 'file', state: 'done', read: seeded.counts.read, indexed: seeded.counts.indexed })]);
      expect(summary.counts.documents).toBeGreaterThanOrEqual(60);
    } finally {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
