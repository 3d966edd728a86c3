/**
 * Error handling over real HTTP: bad parameters (400 naming each one), unknown addresses (404),
 * an unavailable engine (503) and bugs (500 with a logged reference) — never a stack trace.
 * The 400/404 cases run against the real engine; 503 and 500 need an engine that fails on
 * purpose, so those use a stub behind the real SearchService and createApp.
 */
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { SearchService } from '../../src/search/search-service';
import type { SearchEngine } from '../../src/search/ports';
import { createApp } from '../../src/web/app';
import { useSampleApp } from '../support/test-app';
import { expectNoInternals } from '../support/no-internals';

const web = useSampleApp();

function paramNamesInPage(html: string): string[] {
  return [...html.matchAll(/<code class="param-name">([^<]*)<\/code>/g)].map((m) => m[1]!);
}

describe('400: bad parameters are named', () => {
  // [label, query string, parameter the answer must name]
  const cases: [string, string, string][] = [
    ['unknown sort', 'sort=random', 'sort'],
    ['page 0', 'page=0', 'page'],
    ['size 10000', 'size=10000', 'size'],
    ['a 5,000-character query', `q=${'a'.repeat(5000)}`, 'q'],
    ['a country name instead of a code', 'country=Philippines', 'country'],
    ['sort given twice', 'sort=newest&sort=oldest', 'sort'],
    ['an unknown country', 'country=XXX', 'country'],
    ['an unknown theme', 'theme=nope', 'theme'],
    ['an unknown region', 'region=nope', 'region'],
    ['an unknown grouping', 'grouping=nope', 'grouping'],
    ['an unknown language', 'language=zz', 'language'],
    ['an unknown value beside good ones', 'country=NPL&country=XXX&theme=remittances', 'country'],
    ['truncated UTF-8 (%E0%A4%A)', 'q=%E0%A4%A', 'q'],
    ['a lone %', 'q=%', 'q'],
    ['non-hex escape (%ZZ)', 'q=%ZZ', 'q'],
    ['overlong UTF-8 (%C0%80)', 'q=%C0%80', 'q'],
    ['an encoded surrogate (%ED%A0%80)', 'q=%ED%A0%80', 'q'],
    ['an encoded NUL', 'q=%00', 'q'],
    ['a malformed value beside good ones', 'country=PHL&theme=%E0', 'theme'],
  ];

  it.each(cases)('%s → 400 page naming the parameter', async (_label, qs, param) => {
    const res = await request(web.app).get(`/?${qs}`).expect(400).expect('Content-Type', /html/);
    expect(paramNamesInPage(res.text)).toContain(param);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expectNoInternals(res.text);
  });

  it.each(cases)('%s → 400 JSON from /api/search naming the parameter', async (_label, qs, param) => {
    const res = await request(web.app).get(`/api/search?${qs}`).expect(400).expect('Content-Type', /json/);
    expect(res.body.error.status).toBe(400);
    expect(res.body.error.params.map((p: { param: string }) => p.param)).toContain(param);
    for (const p of res.body.error.params) expect(typeof p.message).toBe('string');
    expectNoInternals(JSON.stringify(res.body));
  });

  it('names every bad parameter at once and links to the search without them', async () => {
    const res = await request(web.app).get('/?sort=random&page=0&size=10000&country=PHL').expect(400);
    expect(paramNamesInPage(res.text).sort()).toEqual(['page', 'size', 'sort']);
    expect(res.text).toContain('href="/?country=PHL"');
  });

  it('links to the search without the malformed parameter', async () => {
    const res = await request(web.app).get('/?country=PHL&q=%E0%A4%A').expect(400);
    expect(res.text).toContain('href="?country=PHL"');
  });

  it('escapes bad values echoed in messages', async () => {
    const res = await request(web.app).get(`/?sort=${encodeURIComponent('<script>x</script>')}`).expect(400);
    expect(res.text).not.toContain('<script>x');
    expect(res.text).toContain('&lt;script&gt;x');
  });

  it('rejects a malformed encoding in the resource path', async () => {
    const res = await request(web.app).get('/resources/%E0%A4%A').expect(400);
    expect(paramNamesInPage(res.text)).toEqual(['path']);
    expectNoInternals(res.text);
    const json = await request(web.app).get('/api/resources/%E0%A4%A').expect(400).expect('Content-Type', /json/);
    expect(json.body.error.params[0].param).toBe('path');
  });

  it('rejects an over-long resource id', async () => {
    const res = await request(web.app).get(`/api/resources/${'x'.repeat(400)}`).expect(400);
    expect(res.body.error.params[0].param).toBe('id');
  });

  it('ignores unknown parameters', async () => {
    await request(web.app).get('/?utm_source=newsletter&q=migration').expect(200);
  });

  it('treats __proto__ and friends as plain, unknown parameters', async () => {
    await request(web.app).get('/?__proto__[x]=1&constructor=2&toString=3').expect(200);
  });
});

describe('404', () => {
  it('renders a page for an unknown address', async () => {
    const res = await request(web.app).get('/no/such/page').expect(404).expect('Content-Type', /html/);
    expect(res.text).toContain('Not found');
    expect(res.text).toContain('<main id="main"');
    expectNoInternals(res.text);
  });

  it('answers JSON for an unknown API address', async () => {
    const res = await request(web.app).get('/api/v9/search').expect(404).expect('Content-Type', /json/);
    expect(res.body).toEqual({ error: { status: 404, message: expect.any(String), params: [] } });
  });

  it('answers JSON to clients that ask for it', async () => {
    const res = await request(web.app).get('/no/such/page').set('Accept', 'application/json').expect(404);
    expect(res.body.error.status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------
// Engine failures: a stub engine behind the real service and app.

function stubEngine(fail: () => Error, healthy = false): SearchEngine {
  return {
    name: 'stub',
    search: async () => {
      throw fail();
    },
    count: async () => {
      throw fail();
    },
    get: async () => {
      throw fail();
    },
    facetValues: async () => {
      throw fail();
    },
    listChanges: async () => {
      throw fail();
    },
    complete: async () => {
      throw fail();
    },
    related: async () => {
      throw fail();
    },
    suggestWords: async () => [],
    wordFrequency: async () => 0,
    status: async () => ({ engine: 'stub', documents: 0 }),
    health: async () => ({ ok: healthy, engine: 'stub', detail: 'index file is missing' }),
    close: async () => {},
  };
}

function appWith(engine: SearchEngine) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  const labels = loadVocabulary();
  const search = new SearchService(engine, () => ({ clauses: [], proximityWords: [] }));
  return { app: createApp({ search, labels, logger, config: {} }), lines };
}

class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

describe('503 when the engine is unavailable', () => {
  const { app: down } = appWith(stubEngine(() => new EngineUnavailableError('connection refused to 10.0.0.5:9200')));

  it('renders a 503 page with Retry-After', async () => {
    const res = await request(down).get('/?q=migration').expect(503).expect('Content-Type', /html/);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.text).toContain('not available');
    expect(res.text).not.toContain('10.0.0.5');
    expectNoInternals(res.text);
  });

  it('answers 503 JSON on the API', async () => {
    const res = await request(down).get('/api/search').expect(503).expect('Content-Type', /json/);
    expect(res.body.error.status).toBe(503);
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.5');
  });

  it('reports unhealthy on /health with the reason', async () => {
    const res = await request(down).get('/health').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', engine: 'stub', reason: 'index file is missing' });
  });

  it('treats SQLITE_BUSY as unavailable too', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const { app: locked } = appWith(stubEngine(() => busy));
    await request(locked).get('/api/search').expect(503);
  });
});

describe('500 for anything else', () => {
  const { app: broken, lines } = appWith(stubEngine(() => new TypeError('secret internal detail at /srv/corridor'), true));

  it('renders a plain message with a reference that is in the log, and nothing internal', async () => {
    const res = await request(broken).get('/resources/some-id').expect(500).expect('Content-Type', /html/);
    expect(res.text).not.toContain('secret internal detail');
    expect(res.text).not.toContain('/srv/corridor');
    expectNoInternals(res.text);
    const ref = res.text.match(/<code>([0-9a-f-]{36})<\/code>/)?.[1];
    expect(ref).toBeDefined();
    const logged = lines.map((l) => JSON.parse(l) as { errorId?: string; err?: { message: string; stack: string } }).find((l) => l.errorId === ref);
    expect(logged?.err?.message).toBe('secret internal detail at /srv/corridor');
    expect(logged?.err?.stack).toContain('TypeError');
  });

  it('answers JSON with the reference on the API', async () => {
    const res = await request(broken).get('/api/search?q=x').expect(500);
    expect(res.body).toEqual({ error: { status: 500, message: expect.any(String), params: [], id: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });
});
