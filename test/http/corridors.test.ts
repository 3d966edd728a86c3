/**
 * The corridor facet over HTTP, on the sample data and the engine under test: a filter in the URL
 * (corridor=MMR-THA), a facet with readable labels on the page and in the API, and each record's
 * corridors on its page and in its JSON.
 */
import request from 'supertest';
import type { ApiResource, ApiSearchResponse } from '../../src/web/api-model';
import { buildTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const myanmarThailand = {
  code: 'MMR-THA',
  label: 'Myanmar → Thailand',
  origin: { code: 'MMR', label: 'Myanmar' },
  destination: { code: 'THA', label: 'Thailand' },
};

describe('the corridor facet', () => {
  it('filters by origin → destination and lists the pairs with their counts and labels', async () => {
    const res = await request(t.app).get('/api/search?corridor=mmr-tha').expect(200);
    const body = res.body as ApiSearchResponse;
    expect(body.query.corridor).toEqual(['MMR-THA']);
    expect(body.hits.map((h) => h.id).sort()).toEqual(['hrw-tiger-to-crocodile-thailand-2010', 'ilo-iom-risks-and-rewards-2017']);
    for (const hit of body.hits) expect(hit.corridors).toContainEqual(myanmarThailand);
    expect(body.facets.corridor).toContainEqual({ value: 'MMR-THA', label: 'Myanmar → Thailand', count: 2, selected: true });

    const all = (await request(t.app).get('/api/search').expect(200)).body as ApiSearchResponse;
    const listed = Object.fromEntries(all.facets.corridor.map((v) => [v.value, v.count]));
    expect(listed).toMatchObject({ 'MMR-THA': 2, 'KHM-THA': 2, 'SYR-TUR': 1, 'IDN-HKG': 1 });
  });

  it('names a malformed corridor in a 400', async () => {
    const res = await request(t.app).get('/api/search?corridor=Myanmar').expect(400);
    expect(res.body.error.params).toEqual([{ param: 'corridor', message: '"Myanmar" is not a valid corridor value' }]);
  });

  it('shows the facet and the chosen pair on the search page', async () => {
    const html = (await request(t.app).get('/?corridor=MMR-THA').expect(200)).text;
    expect(html).toMatch(/<h3 class="facet-heading">Corridor/);
    expect(html).toMatch(/<input type="checkbox" id="f-corridor-\d+" name="corridor" value="MMR-THA" checked>/);
    expect(html).toContain('Myanmar → Thailand');
    expect(html).toMatch(/class="chip-facet">Corridor:<\/span> <span class="chip-label">Myanmar → Thailand/);
  });

  it('has a page of every pair, found by a word of a country’s name', async () => {
    const res = await request(t.app).get('/api/facets/corridor?prefix=myan').expect(200);
    expect(res.body.values).toEqual([
      { value: 'MMR-THA', label: 'Myanmar → Thailand', count: 2, selected: false },
      { value: 'MMR-MYS', label: 'Myanmar → Malaysia', count: 1, selected: false },
    ]);
    const page = (await request(t.app).get('/facets/corridor?order=label').expect(200)).text;
    expect(page).toContain('Cambodia → Malaysia');
    expect(page).toContain('Tanzania → Oman');
    // A pair of unknown countries is a named 400, like any unknown facet value.
    expect((await request(t.app).get('/api/search?corridor=XXX-QAT').expect(400)).body.error.params[0].param).toBe('corridor');
  });

  it('gives each record its corridors, on its page and in its JSON', async () => {
    const html = (await request(t.app).get('/resources/hrw-tiger-to-crocodile-thailand-2010').expect(200)).text;
    expect(html).toContain('<dt>Corridors</dt>');
    expect(html).toContain('<a href="/?corridor=MMR-THA">Myanmar → Thailand</a>');
    const json = (await request(t.app).get('/api/resources/hrw-tiger-to-crocodile-thailand-2010').expect(200)).body as ApiResource;
    expect(json.corridors.map((c) => c.code)).toEqual(['KHM-THA', 'LAO-THA', 'MMR-THA']);
    expect(json.corridors).toContainEqual(myanmarThailand);
    const none = (await request(t.app).get('/api/resources/iom-world-migration-report-2024').expect(200)).body as ApiResource;
    expect(none.corridors).toEqual([]);
  });
});
