/**
 * /api/suggest: what the search box offers while a visitor types, from the real engine under test
 * (CORRIDOR_TEST_ENGINE=elasticsearch runs it on Elasticsearch) and the project's vocabulary.
 */
import request from 'supertest';
import type { ApiSuggestResponse, ApiSuggestion } from '../../src/web/api-model';
import { buildTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function suggest(q: string, extra = ''): Promise<ApiSuggestion[]> {
  const res = await request(t.app).get(`/api/suggest?q=${encodeURIComponent(q)}${extra}`).expect(200);
  return (res.body as ApiSuggestResponse).suggestions;
}

const first = (list: ApiSuggestion[], kind: ApiSuggestion['kind']) => list.find((s) => s.kind === kind);

describe('suggestions as you type', () => {
  it('offers a country by the start of its name, as a filter with the number of its records', async () => {
    const nepal = first(await suggest('nep'), 'country');
    expect(nepal).toMatchObject({ value: 'NPL', label: 'Nepal', href: '/?country=NPL' });
    const filtered = await request(t.app).get(`/api/search?country=NPL`).expect(200);
    expect(nepal!.count).toBe(filtered.body.total);
  });

  it('finds a country by another of its names, a demonym or a name in another UN language, and says which', async () => {
    expect(first(await suggest('burm'), 'country')).toMatchObject({ value: 'MMR', label: 'Myanmar', matched: 'Burma' });
    expect(first(await suggest('filip'), 'country')).toMatchObject({ value: 'PHL', matched: 'Filipino' });
    expect(first(await suggest('libano'), 'country')).toMatchObject({ value: 'LBN', label: 'Lebanon', matched: 'Líbano' });
    expect(first(await suggest('côte d’iv'), 'country')).toMatchObject({ value: 'CIV' });
  });

  it('offers regions and themes by their names and synonyms', async () => {
    expect(first(await suggest('gulf'), 'grouping')).toMatchObject({ value: 'gcc', href: '/?grouping=gcc' });
    expect(first(await suggest('south-eastern as'), 'region')).toMatchObject({ value: 'un-m49-035', href: '/?region=un-m49-035' });
    expect(first(await suggest('domestic'), 'theme')).toMatchObject({ value: 'domestic-work', label: 'Domestic work', href: '/?theme=domestic-work' });
  });

  it('offers publishers by any of their words, and titles that open the record', async () => {
    expect(first(await suggest('un wom'), 'publisher')).toMatchObject({ value: 'UN Women', href: '/?publisher=UN+Women' });
    const titles = (await suggest('world migration rep')).filter((s) => s.kind === 'title');
    expect(titles.map((s) => s.label)).toEqual(['World Migration Report 2024', 'World Migration Report 2022']);
    expect(titles[0]).toMatchObject({ value: 'iom-world-migration-report-2024', href: '/resources/iom-world-migration-report-2024' });
    // Every title suggested opens a record that exists.
    for (const s of titles) await request(t.app).get(s.href).expect(200);
  });

  it('lists filters before titles, at most as many as asked, and only what the library has', async () => {
    const list = await suggest('qat', '&limit=4');
    expect(list.length).toBeLessThanOrEqual(4);
    expect(list[0]).toMatchObject({ kind: 'country', value: 'QAT' });
    const kinds = list.map((s) => s.kind);
    expect(kinds.lastIndexOf('country')).toBeLessThan(kinds.indexOf('title'));
    // Iceland is in the vocabulary but no record is about it.
    expect((await suggest('icel')).some((s) => s.value === 'ISL')).toBe(false);
    for (const s of await suggest('mig', '&limit=15')) if (s.count !== undefined) expect(s.count).toBeGreaterThan(0);
  });

  it('offers nothing for one letter or for nothing, and reads any text as words', async () => {
    expect(await suggest('')).toEqual([]);
    expect(await suggest('n')).toEqual([]);
    expect(await suggest('   ')).toEqual([]);
    for (const q of ['"', '<script>alert(1)</script>', "'; DROP TABLE docs; --", '🙂🙂', '\\\\', 'x'.repeat(120), 'AND OR NOT']) {
      const res = await request(t.app).get(`/api/suggest?q=${encodeURIComponent(q)}`).expect(200);
      expect(Array.isArray(res.body.suggestions)).toBe(true);
    }
  });

  it('names a bad parameter instead of failing, and lets browsers keep an answer for a minute', async () => {
    const res = await request(t.app).get('/api/suggest?q=nep&limit=500').expect(400);
    expect(res.body.error.params).toEqual([{ param: 'limit', message: 'limit must be between 1 and 15, got 500' }]);
    await request(t.app).get(`/api/suggest?q=${'x'.repeat(501)}`).expect(400);
    const ok = await request(t.app).get('/api/suggest?q=nep').expect(200);
    expect(ok.headers['cache-control']).toBe('public, max-age=60');
    expect(ok.headers['access-control-allow-origin']).toBe('*');
  });
});
