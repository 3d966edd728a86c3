/**
 * The OpenAPI 3.1 document at /api/openapi.json is kept true: real responses of every documented
 * operation (successes and errors, on the engine under test) are validated against its schemas
 * with Ajv, and Schemathesis fuzzes the API from it (no 5xx; every response as documented).
 */
import path from 'node:path';
import request from 'supertest';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildTestApp, SAMPLE_DATA, type TestApp } from '../support/test-app';
import { listen } from '../support/server';
import { describeWithPython, runPython } from '../support/python';

const HARD = path.join(__dirname, '..', 'fixtures', 'discovery', 'hard-records.ndjson');
let t: TestApp;
let doc: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI document
let ajv: Ajv2020;

beforeAll(async () => {
  t = await buildTestApp({ inputs: [SAMPLE_DATA, HARD] });
  doc = (await request(t.app).get('/api/openapi.json').expect(200).expect('Content-Type', /application\/json/)).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
});
afterAll(async () => {
  await t?.close();
});

/** Checks one real response against the document: a documented status, and a body matching its schema. */
function conforms(pathTemplate: string, res: request.Response): void {
  const responses = doc.paths[pathTemplate].get.responses as Record<string, { content: { 'application/json': { schema: { $ref: string } } } }>;
  expect(Object.keys(responses)).toContain(String(res.status));
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const ref = responses[String(res.status)]!.content['application/json'].schema.$ref;
  const validate = ajv.getSchema(`openapi.json${ref}`);
  expect(validate).toBeDefined();
  if (!validate!(res.body)) throw new Error(`${pathTemplate} (${res.status}) does not match ${ref}: ${ajv.errorsText(validate!.errors)}`);
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the public operations, and its schemas compile', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/facets/{name}', '/api/resources/{id}', '/api/search', '/api/suggest', '/health']);
    expect(doc.servers[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const name of Object.keys(doc.components.schemas)) expect(ajv.getSchema(`openapi.json#/components/schemas/${name}`)).toBeDefined();
  });

  it.each([
    '',
    '?q=domestic+workers',
    '?q=%22recruitment+fees%22+-Qatar',
    '?q=(nepal+OR+bangladesh)+AND+remittances',
    '?country=NPL&country=QAT&theme=domestic-work&from=2010&to=2024',
    '?undated=only&sort=oldest&size=5&page=2',
    '?q=remitances',
    '?q=zzzxxyy+migrant+workers',
    '?country=ATA&type=Report',
    '?q=%D0%BC%D0%B8%D0%B3%D1%80%D0%B0%D0%BD%D1%82%D1%8B',
  ])('describes GET /api/search%s', async (qs) => {
    conforms('/api/search', await request(t.app).get(`/api/search${qs}`));
  });

  it.each(['?size=1000', '?country=XXX', '?country=Nepal', '?page=0', '?q=%E0%A4%A', '?sort=best'])('describes the 400 of /api/search%s', async (qs) => {
    const res = await request(t.app).get(`/api/search${qs}`);
    expect(res.status).toBe(400);
    conforms('/api/search', res);
  });

  it('describes resources, missing ones and bad ids', async () => {
    for (const id of ['hard-specials', 'hard-scripts', 'hard-undated/with slash', 'ilo-home-truths-housing-asean-2022']) {
      const res = await request(t.app).get(`/api/resources/${encodeURIComponent(id)}`);
      expect(res.status).toBe(200);
      conforms('/api/resources/{id}', res);
      expect(res.body.changed).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    conforms('/api/resources/{id}', await request(t.app).get('/api/resources/no-such-thing').expect(404));
    conforms('/api/resources/{id}', await request(t.app).get(`/api/resources/${'x'.repeat(400)}`).expect(400));
  });

  it.each(['?q=nep', '?q=burm&limit=3', '?q=domestic', '?q=a', '', '?q=%F0%9F%99%82%22', '?q=<script>'])('describes GET /api/suggest%s', async (qs) => {
    conforms('/api/suggest', await request(t.app).get(`/api/suggest${qs}`).expect(200));
  });

  it.each(['?limit=0', '?limit=100', '?limit=two', `?q=${'x'.repeat(501)}`, '?q=a&q=b', '?q=%E0%A4%A'])('describes the 400 of /api/suggest%s', async (qs) => {
    conforms('/api/suggest', await request(t.app).get(`/api/suggest${qs}`).expect(400));
  });

  it('describes the values of a facet, and its errors', async () => {
    for (const path of ['/api/facets/country', '/api/facets/publisher?prefix=ilo&order=label', '/api/facets/theme?country=NPL&limit=5&offset=5', '/api/facets/grouping?from=2020&to=2010&undated=include']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(200);
      conforms('/api/facets/{name}', res);
    }
    conforms('/api/facets/{name}', await request(t.app).get('/api/facets/nothing').expect(404));
    conforms('/api/facets/{name}', await request(t.app).get('/api/facets/country?order=sideways').expect(400));
    conforms('/api/facets/{name}', await request(t.app).get('/api/facets/country?theme=nope').expect(400));
  });

  it('describes the health check', async () => {
    conforms('/health', await request(t.app).get('/health').expect(200));
  });
});

describeWithPython('the API fuzzed by Schemathesis from its OpenAPI document', ['schemathesis'], () => {
  it('answers every generated request as documented, never with a 5xx', async () => {
    const server = await listen(t.app);
    try {
      const result = await runPython('fuzz_api.py', [`${server.url}/api/openapi.json`, '100'], undefined, 600_000);
      if (result.status !== 0) throw new Error(`Schemathesis found problems:\n${result.stdout.slice(-6000)}\n${result.stderr.slice(-2000)}`);
      expect(result.stdout).toMatch(/passed/i);
    } finally {
      await server.close();
    }
  }, 600_000);
});
