/** The JSON API over real HTTP and the real engine (see test/support/test-app.ts). */
import request from 'supertest';
import type { ApiSearchResponse } from '../../src/web/api-model';
import { useSampleApp } from '../support/test-app';

const web = useSampleApp();

const FACETS = ['country', 'region', 'grouping', 'theme', 'corridor', 'type', 'publisher', 'language'] as const;

// The response type the API module declares: the tests check real responses against it.
type Body = ApiSearchResponse;

async function search(qs: string): Promise<Body> {
  const res = await request(web.app).get(`/api/search${qs}`).expect(200).expect('Content-Type', /application\/json/);
  return res.body as Body;
}

describe('GET /api/search', () => {
  it('has the documented shape', async () => {
    const body = await search('');
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['total', 'page', 'size', 'query', 'hits', 'facets']));
    expect(body).toMatchObject({ page: 1, size: 20 });
    expect(body.query).toEqual({
      q: '',
      country: [],
      region: [],
      grouping: [],
      theme: [],
      corridor: [],
      type: [],
      publisher: [],
      language: [],
      from: null,
      to: null,
      undated: false,
      includeUndated: false,
      sort: 'newest',
      page: 1,
      size: 20,
    });
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits.length).toBe(Math.min(20, body.total));
    for (const hit of body.hits) {
      expect(Object.keys(hit).sort()).toEqual(
        ['corridors', 'countries', 'doi', 'highlights', 'href', 'id', 'languages', 'publisher', 'publishers', 'tagged', 'themes', 'title', 'type', 'url', 'year'].sort(),
      );
      expect(typeof hit.highlights.title).toBe('string');
      expect(Array.isArray(hit.highlights.snippets)).toBe(true);
      for (const c of hit.countries) expect(c).toEqual({ code: expect.stringMatching(/^[A-Z]{3}$/), label: expect.any(String) });
      for (const t of hit.themes) expect(t).toEqual({ id: expect.any(String), label: expect.any(String) });
    }
    for (const facet of FACETS) {
      expect(Array.isArray(body.facets[facet])).toBe(true);
      for (const v of body.facets[facet]) {
        expect(v).toEqual({ value: expect.any(String), label: expect.any(String), count: expect.any(Number), selected: false });
        expect(v.count).toBeGreaterThan(0);
      }
    }
    expect(body.facets.year).toEqual({ years: expect.any(Array), undated: expect.any(Number) });
    const yearTotal = body.facets.year.years.reduce((n, y) => n + y.count, 0) + body.facets.year.undated;
    expect(yearTotal).toBe(body.total);
    expect(hrefsPointAtResourcePages(body)).toBe(true);
  });

  it('labels countries from the vocabulary (not just codes)', async () => {
    const body = await search('');
    const labelled = body.facets.country.filter((c) => c.label !== c.value);
    expect(labelled.length).toBeGreaterThan(0);
  });

  it('filters by a country: every hit carries it, and the facet stays disjunctive', async () => {
    const all = await search('');
    const country = all.facets.country[0]!;
    const filtered = await search(`?country=${country.value}&size=100`);
    expect(filtered.total).toBe(country.count);
    expect(filtered.query.country).toEqual([country.value]);
    for (const hit of filtered.hits) expect(hit.countries.map((c) => c.code)).toContain(country.value);
    // Disjunctive: the country facet's own counts ignore the country selection.
    const counts = (b: Body) => Object.fromEntries(b.facets.country.map((v) => [v.value, v.count]));
    expect(counts(filtered)).toEqual(counts(all));
    expect(filtered.facets.country.find((v) => v.value === country.value)!.selected).toBe(true);
  });

  it('combines different facets with AND', async () => {
    const all = await search('');
    const country = all.facets.country[0]!;
    const narrowed = await search(`?country=${country.value}`);
    const theme = narrowed.facets.theme[0]!;
    const both = await search(`?country=${country.value}&theme=${encodeURIComponent(theme.value)}&size=100`);
    expect(both.total).toBe(theme.count);
    expect(both.total).toBeLessThanOrEqual(country.count);
    for (const hit of both.hits) {
      expect(hit.countries.map((c) => c.code)).toContain(country.value);
      expect(hit.themes.map((t) => t.id)).toContain(theme.value);
    }
  });

  it('sorts oldest first on request', async () => {
    const body = await search('?sort=oldest&size=100');
    const years = body.hits.map((h) => h.year).filter((y): y is number => y !== null);
    expect(years).toEqual([...years].sort((a, b) => a - b));
  });

  it('pages with the requested size', async () => {
    const first = await search('?size=10');
    const second = await search('?size=10&page=2');
    expect(second).toMatchObject({ page: 2, size: 10, total: first.total });
    const ids = new Set(first.hits.map((h) => h.id));
    for (const h of second.hits) expect(ids.has(h.id)).toBe(false);
  });

  it('filters by a year range and by the undated bucket', async () => {
    const all = await search('');
    const years = all.facets.year.years;
    if (years.length > 0) {
      const y = years[years.length - 1]!;
      const body = await search(`?from=${y.year}&to=${y.year}&size=100`);
      expect(body.total).toBe(y.count);
      for (const hit of body.hits) expect(hit.year).toBe(y.year);
    }
    if (all.facets.year.undated > 0) {
      const undated = await search('?undated=only&size=100');
      expect(undated.total).toBe(all.facets.year.undated);
      for (const hit of undated.hits) expect(hit.year).toBeNull();
    }
  });

  it('returns highlights as escaped HTML with <mark>', async () => {
    const all = await search('?size=5');
    const word = [...all.hits[0]!.title.matchAll(/[A-Za-z]{5,}/g)].map((m) => m[0])[0]!;
    const body = await search(`?q=${encodeURIComponent(word)}`);
    expect(body.total).toBeGreaterThan(0);
    expect(body.query.sort).toBe('relevance');
    const marked = body.hits.filter((h) => h.highlights.title.includes('<mark>') || h.highlights.snippets.some((s) => s.includes('<mark>')));
    expect(marked.length).toBeGreaterThan(0);
    for (const h of body.hits) {
      for (const html of [h.highlights.title, ...h.highlights.snippets]) {
        expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>\u0001\u0002]/);
      }
    }
  });

  it('explains an empty result with relaxations', async () => {
    const all = await search('');
    const country = all.facets.country[0]!;
    const body = await search(`?q=zzqxvj&country=${country.value}`);
    expect(body.total).toBe(0);
    expect(body.hits).toEqual([]);
    expect(body.relaxations).toEqual([expect.objectContaining({ facet: 'country', value: country.value, count: 0 })]);
  });

  it('is readable from other origins', async () => {
    const res = await request(web.app).get('/api/search').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers 400 with JSON naming the parameter', async () => {
    const res = await request(web.app).get('/api/search?sort=random').expect(400).expect('Content-Type', /json/);
    expect(res.body).toEqual({
      error: { status: 400, message: expect.stringContaining('sort'), params: [{ param: 'sort', message: expect.stringContaining('random') }] },
    });
  });
});

describe('GET /api/resources/:id', () => {
  it('returns the full record with labels and provenance', async () => {
    const all = await search('');
    const id = all.hits[0]!.id;
    const res = await request(web.app).get(`/api/resources/${encodeURIComponent(id)}`).expect(200).expect('Content-Type', /json/);
    const r = res.body as Record<string, unknown> & { countries: { code: string; label: string; given: boolean; found: boolean }[] };
    expect(r).toMatchObject({ id, title: all.hits[0]!.title, href: `/resources/${encodeURIComponent(id)}` });
    for (const key of ['abstract', 'url', 'publisher', 'authors', 'published', 'year', 'type', 'language', 'countries', 'regions', 'themes', 'keywords', 'source']) {
      expect(r).toHaveProperty(key);
    }
    for (const c of r.countries) {
      expect(c).toEqual({ code: expect.any(String), label: expect.any(String), given: expect.any(Boolean), found: expect.any(Boolean) });
      expect(c.given || c.found).toBe(true);
    }
  });

  it('answers 404 JSON for an unknown id', async () => {
    const res = await request(web.app).get('/api/resources/no-such-id').expect(404).expect('Content-Type', /json/);
    expect(res.body.error).toMatchObject({ status: 404, params: [] });
  });

  it('answers 404 JSON for an unknown API path', async () => {
    const res = await request(web.app).get('/api/nothing-here').expect(404).expect('Content-Type', /json/);
    expect(res.body.error.status).toBe(404);
  });
});

describe('GET /health', () => {
  it('reports the engine and the document count', async () => {
    const res = await request(web.app).get('/health').expect(200).expect('Content-Type', /json/);
    const all = await search('');
    expect(res.body).toEqual({ status: 'ok', engine: expect.any(String), documents: all.total });
  });
});

/** Every hit links to its own resource page. */
function hrefsPointAtResourcePages(body: Body): boolean {
  return body.hits.every((h) => h.href === `/resources/${encodeURIComponent(h.id)}`);
}

describe('GET /api/search: what catalogue users type', () => {
  it('reads NOT and says how the query was read', async () => {
    const all = await search('?q=nepal');
    const without = await search('?q=nepal+NOT+qatar');
    expect(without.reading).toBe('nepal AND NOT qatar');
    expect(without.total).toBeGreaterThan(0);
    expect(without.total).toBeLessThan(all.total);
    for (const hit of without.hits) expect(hit.countries.map((c) => c.code)).not.toContain('QAT');
    expect(all.reading).toBeUndefined();
  });

  it('reads OR: the union of both sides', async () => {
    const a = await search('?q=remittances&size=100');
    const b = await search('?q=trafficking&size=100');
    const either = await search('?q=remittances+OR+trafficking&size=100');
    expect(either.match).toBe('all');
    expect(new Set(either.hits.map((h) => h.id))).toEqual(new Set([...a.hits, ...b.hits].map((h) => h.id)));
  });

  it('shows the records with most of the words when none has them all, and says so', async () => {
    const body = await search('?q=remittances+trafficking+kafala+seafarers');
    expect(body.match).toBe('partial');
    expect(body.partial?.terms).toEqual(['remittances', 'trafficking', 'kafala', 'seafarers']);
    expect(body.total).toBeGreaterThan(0);
    const page = await request(web.app).get('/?q=remittances+trafficking+kafala+seafarers').expect(200);
    expect(page.text).toContain('No publication has all of “remittances”, “trafficking”, “kafala” and “seafarers”; showing those with most of them.');
  });

  it('keeps AND strict: no partial match when the visitor asked for every word', async () => {
    const body = await search('?q=remittances+AND+trafficking+AND+kafala+AND+seafarers');
    expect(body.match).toBe('all');
    expect(body.total).toBe(0);
  });

  it('says why a record found only through a tag matched', async () => {
    const body = await search('?q=Gulf+Cooperation+Council&size=100');
    const viaRegion = body.hits.flatMap((h) => h.tagged).filter((t) => t.via);
    expect(viaRegion.length).toBeGreaterThan(0);
    for (const t of viaRegion) {
      expect(t.field).toBe('countries');
      expect(t.via).toMatchObject({ field: 'regions', value: 'gcc', label: expect.stringContaining('Gulf Cooperation Council') });
    }
    const taggedHit = body.hits.find((h) => h.tagged.some((t) => t.via));
    const page = await request(web.app).get('/?q=Gulf+Cooperation+Council&size=100').expect(200);
    expect(page.text).toContain(`Tagged: ${taggedHit!.tagged[0].label} (${taggedHit!.tagged[0].via!.label})`);
  });

  it.each([
    ['Philipines', 'Philippines'],
    ['Bangaldesh', 'Bangladesh'],
    ['philipines migrants', 'philippines migrants'],
  ])('suggests the place name for a misspelt %s, in the visitor\'s capitalisation', async (typed, expected) => {
    const body = await search(`?q=${encodeURIComponent(typed)}`);
    expect(body.suggestion?.text).toBe(expected);
  });

  it('never "corrects" an acronym, and replaces whole words only', async () => {
    expect((await search('?q=HRW')).suggestion).toBeUndefined();
    const body = await search(`?q=${encodeURIComponent('migrnats work')}`);
    expect(body.suggestion?.text).toBe('migrants work');
  });
});

describe('GET /api/search: queries in the six UN languages', () => {
  it.each([
    ['migrantes venezolanos', 'Venezuelan migrants'],
    ['travailleurs migrants au Liban', 'migrant workers in Lebanon'],
    ['трудовые мигранты Россия', 'labour migrants Russia'],
    ['refugiados sirios', 'Syrian refugees'],
  ])('%s finds what %s finds', async (foreign, english) => {
    const theirs = await search(`?q=${encodeURIComponent(english)}&size=100`);
    const ours = await search(`?q=${encodeURIComponent(foreign)}&size=100`);
    expect(theirs.total).toBeGreaterThan(0);
    expect(new Set(ours.hits.map((h) => h.id))).toEqual(new Set(theirs.hits.map((h) => h.id)));
  });
});
