/**
 * The portal over real HTTP with the Elasticsearch engine (the sample data ingested into a real
 * cluster), and what visitors get when the cluster goes away: a 503 page with a plain
 * explanation within the request timeout, a health check that says why, and service back by
 * itself when the cluster returns. The outage is made with a TCP proxy between the portal and
 * Elasticsearch, so the shared test server itself keeps running.
 *
 * Every other HTTP suite runs on Elasticsearch too with CORRIDOR_TEST_ENGINE=elasticsearch.
 */
import request from 'supertest';
import { buildTestApp, type TestApp } from '../support/test-app';
import { describeWithElasticsearch, openTestBackend } from '../support/elasticsearch';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const TIMEOUT_MS = 1500;

describeWithElasticsearch('HTTP on Elasticsearch', (settings) => {
  let proxy: TcpProxy;
  let test: TestApp;

  beforeAll(async () => {
    const target = new URL(settings.url ?? '');
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 9200) });
    const backend = openTestBackend(settings, 'http-es', { url: proxy.url, timeoutMs: TIMEOUT_MS });
    test = await buildTestApp({ backend });
  });
  afterAll(async () => {
    await proxy?.setMode('forward');
    await test?.close();
    await proxy?.close();
  });

  describe('searching', () => {
    it('answers the API with hits, highlights, disjunctive facets and the engine in the health check', async () => {
      const all = (await request(test.app).get('/api/search').expect(200)).body as { total: number };
      const res = await request(test.app).get('/api/search?q=Laos&country=LAO&country=THA').expect(200);
      const body = res.body as {
        total: number;
        hits: { countries: { code: string }[]; highlights: { title: string } }[];
        facets: { country: { value: string; count: number; selected: boolean }[] };
      };
      expect(body.total).toBeGreaterThan(0);
      expect(body.total).toBeLessThan(all.total);
      for (const hit of body.hits) expect(hit.countries.map((c) => c.code)).toEqual(expect.arrayContaining([expect.stringMatching(/LAO|THA/)]));
      expect(body.facets.country.filter((v) => v.selected).map((v) => v.value).sort()).toEqual(['LAO', 'THA']);
      const health = await request(test.app).get('/health').expect(200);
      expect(health.body).toMatchObject({ status: 'ok', engine: 'elasticsearch', documents: all.total });
    });

    it('escapes record text on the search page and marks matches (markup in the record became text at ingestion)', async () => {
      const res = await request(test.app).get('/?q=Safe+Fair').expect(200);
      expect(res.text).toMatch(/<mark>Safe<\/mark> &amp; <mark>Fair<\/mark>/);
      expect(res.text).not.toContain('<em>Safe');
      expect(res.text).not.toContain('&lt;em&gt;');
    });

    it('gives no-results help: a spelling suggestion from the cluster', async () => {
      const res = await request(test.app).get('/api/search?q=migrnats').expect(200);
      expect(res.body).toMatchObject({ total: 0, suggestion: { text: 'migrants' } });
    });
  });

  describe('when Elasticsearch is unavailable', () => {
    afterEach(async () => {
      await proxy.setMode('forward');
    });

    it('answers 503 with a plain explanation when the cluster refuses connections, and health says why', async () => {
      await proxy.setMode('down');
      const started = Date.now();
      const page = await request(test.app).get('/?q=migration').expect(503);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
      expect(page.headers['content-type']).toMatch(/html/);
      expect(page.headers['retry-after']).toBeDefined();
      expect(page.text).toContain('The search index is not available at the moment');
      expect(page.text).not.toMatch(/ConnectionError|ECONNREFUSED|at .*\.ts/);
      const api = await request(test.app).get('/api/search?q=migration').expect(503);
      expect(api.body).toMatchObject({ error: { status: 503 } });
      const health = await request(test.app).get('/health').expect(503);
      expect(health.body).toMatchObject({ status: 'unavailable', engine: 'elasticsearch' });
      expect(health.body.reason).toMatch(/cannot be reached|no Elasticsearch node/);
      expect(health.body.reason).not.toContain(settings.password ?? '\u0000');
    });

    it('answers 503 within the request timeout when the cluster hangs', async () => {
      await proxy.setMode('hang');
      const started = Date.now();
      await request(test.app).get('/?q=migration').expect(503);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(took).toBeLessThan(TIMEOUT_MS + 1500);
      const health = await request(test.app).get('/health').expect(503);
      expect(health.body.reason).toContain(`did not answer within ${TIMEOUT_MS} ms`);
      await request(test.app).get('/resources/anything').expect(503);
    });

    it('serves again by itself once the cluster is back', async () => {
      await proxy.setMode('down');
      await request(test.app).get('/?q=migration').expect(503);
      await proxy.setMode('forward');
      // The client may try the node it marked dead once more before it is back in rotation.
      let status = 0;
      for (let attempt = 0; attempt < 10 && status !== 200; attempt++) {
        status = (await request(test.app).get('/?q=migration')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      await request(test.app).get('/health').expect(200);
    });
  });
});
