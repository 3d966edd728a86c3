/**
 * A visitor's path through the results, over real HTTP and the real engine (data-sample/
 * ingested; CORRIDOR_TEST_ENGINE=elasticsearch runs it on Elasticsearch): every facet value
 * reachable, regions as a hierarchy and groupings apart, years as a histogram, the way back
 * from a resource to its results, the source link, and cheap repeat visits. Expectations are read
 * from the JSON API, so they hold as the sample grows.
 */
import request from 'supertest';
import type { ApiFacetValuesResponse, ApiSearchResponse } from '../../src/web/api-model';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { useSampleApp } from '../support/test-app';

const vocab = loadVocabulary();
const web = useSampleApp();

async function api(qs: string): Promise<ApiSearchResponse> {
  return (await request(web.app).get(`/api/search${qs}`).expect(200)).body as ApiSearchResponse;
}

async function facetApi(facet: string, qs = ''): Promise<ApiFacetValuesResponse> {
  return (await request(web.app).get(`/api/facets/${facet}${qs}`).expect(200).expect('Content-Type', /json/)).body as ApiFacetValuesResponse;
}

async function page(path: string): Promise<string> {
  return (await request(web.app).get(path).expect(200).expect('Content-Type', /html/)).text;
}

function unescapeHtml(s: string): string {
  return s.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function hrefs(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((m) => unescapeHtml(m[1]!));
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

describe('every facet value is reachable', () => {
  it('lists every country that has records, so none is out of reach, equal counts by name', async () => {
    const all = await api('');
    const everyCountry = await facetApi('country', '?limit=100');
    expect(everyCountry.total).toBeGreaterThan(50);
    expect(all.facets.country.map((v) => v.value).sort()).toEqual(everyCountry.values.map((v) => v.value).sort());
    const values = all.facets.country;
    for (let i = 1; i < values.length; i++) {
      if (values[i - 1]!.count === values[i]!.count) expect(collator.compare(values[i - 1]!.label, values[i]!.label)).toBeLessThanOrEqual(0);
    }
    // Each of them has a checkbox on the page.
    const html = await page('/');
    for (const v of values) expect(html).toContain(`name="country" value="${v.value}"`);
  });

  it('finds values by a word of their name, within the current search', async () => {
    const om = await facetApi('country', '?prefix=om');
    expect(om.values.map((v) => v.label)).toContain('Oman');
    expect(om.values.every((v) => /(^|[^\p{L}])om/iu.test(v.label))).toBe(true);
    const nepal = await api('?country=NPL');
    const themesInNepal = await facetApi('theme', '?country=NPL&limit=100');
    expect(themesInNepal.query.country).toEqual(['NPL']);
    expect(Object.fromEntries(themesInNepal.values.map((v) => [v.value, v.count]))).toEqual(
      Object.fromEntries(nepal.facets.theme.map((v) => [v.value, v.count])),
    );
    const ilo = await facetApi('publisher', '?prefix=ILO');
    expect(ilo.values.map((v) => v.value)).toContain('ILO');
  });

  it('answers bad requests for values with a named 400, and an unknown facet with a 404', async () => {
    const bad = await request(web.app).get('/api/facets/country?order=sideways&limit=1000&prefix=' + 'x'.repeat(101)).expect(400);
    expect(bad.body.error.params.map((p: { param: string }) => p.param).sort()).toEqual(['limit', 'order', 'prefix']);
    await request(web.app).get('/api/facets/country?country=XXX').expect(400);
    await request(web.app).get('/api/facets/nothing').expect(404);
    await request(web.app).get('/facets/nothing').expect(404);
  });

  it('has a page per facet, A–Z or by count, that keeps the search and applies the ticked values without JavaScript', async () => {
    const html = await page('/facets/country?q=migrant&theme=remittances&order=label');
    expect(html).toMatch(/<h1>All countries<\/h1>/);
    expect(html).toContain('<input type="hidden" name="q" value="migrant">');
    expect(html).toContain('<input type="hidden" name="theme" value="remittances">');
    const form = html.match(/<form class="facet-apply" method="get" action="([^"]+)">/);
    expect(form?.[1]).toBe('/#results');
    const labels = [...html.matchAll(/<span class="facet-label">([^<]+)</g)].map((m) => unescapeHtml(m[1]!));
    expect(labels.length).toBeGreaterThan(0);
    expect(labels).toEqual([...labels].sort(collator.compare));
    // A prefix narrows the list (a plain GET form on the page).
    const narrowed = await page('/facets/country?prefix=oma');
    expect(narrowed).toContain('Oman');
    expect(narrowed).not.toContain('>Thailand<');
  });

  it('counts a joint publication for each publisher it names', async () => {
    const joint = (await api('?size=100')).hits.find((h) => h.publishers.length > 1);
    expect(joint).toBeDefined();
    for (const publisher of joint!.publishers) {
      const found = await api(`?publisher=${encodeURIComponent(publisher)}&size=100`);
      expect(found.hits.map((h) => h.id)).toContain(joint!.id);
    }
  });
});

describe('regions and groupings', () => {
  it('keeps UN M49 regions and groupings (blocs, processes) in separate facets', async () => {
    const all = await api('');
    expect(all.facets.region.length).toBeGreaterThan(0);
    expect(all.facets.grouping.length).toBeGreaterThan(0);
    for (const v of all.facets.region) expect(vocab.isGeography(v.value)).toBe(true);
    for (const v of all.facets.grouping) expect(vocab.isGrouping(v.value)).toBe(true);
    expect(all.facets.grouping.map((v) => v.value)).toEqual(expect.arrayContaining(['asean']));
  });

  it('shows geography as a tree with counts at each level, country links under their sub-region', async () => {
    const all = await api('');
    const html = await page('/');
    const region = html.match(/<details class="facet" id="facet-region"[\s\S]*?<\/fieldset>/)![0];
    const asia = all.facets.region.find((v) => v.value === 'un-m49-142')!;
    expect(region).toMatch(new RegExp(`<span class="geo-name">Asia<span class="visually-hidden">, </span></span><span class="facet-count">${asia.count}<`));
    expect(region).toContain('<span class="geo-name">South-eastern Asia<');
    const thailand = all.facets.country.find((v) => v.value === 'THA')!;
    const link = hrefs(region, /<a class="geo-country" href="([^"]+)"><span class="facet-label">Thailand/g)[0]!;
    expect(new URL(link, 'http://x').searchParams.getAll('country')).toEqual(['THA']);
    expect(region).toMatch(new RegExp(`Thailand<span class="visually-hidden">, </span></span><span class="facet-count">${thailand.count}<span class="visually-hidden"> results`));
    // Everything in the tree opens without JavaScript: <details>, and checkboxes for the regions.
    expect(region).toContain('name="region" value="un-m49-142"');
  });

  it('redirects old links that named a bloc as a region to the grouping facet', async () => {
    const res = await request(web.app).get('/?q=workers&region=asean&region=un-m49-142').expect(301);
    const target = new URL(res.headers.location as string, 'http://x');
    expect([target.pathname, target.searchParams.get('q'), target.searchParams.getAll('region'), target.searchParams.getAll('grouping')]).toEqual([
      '/',
      'workers',
      ['un-m49-142'],
      ['asean'],
    ]);
    const apiRes = await request(web.app).get('/api/search?region=ASEAN').expect(301);
    expect(apiRes.headers.location).toBe('/api/search?grouping=ASEAN');
    const followed = await api('?grouping=asean');
    expect(followed.total).toBeGreaterThan(0);
  });
});

describe('years', () => {
  it('draws decades as bars, each a link, and a chosen decade as its years', async () => {
    const html = await page('/');
    const bars = hrefs(html, /<a class="bar-row" href="([^"]+)"/g);
    expect(bars.length).toBeGreaterThan(1);
    const decade = new URL(bars.at(-1)!, 'http://x').searchParams;
    const from = Number(decade.get('from'));
    expect(Number(decade.get('to'))).toBe(from + 9);
    expect(html).toContain('Resources by decade');
    const drilled = await page(`/?from=${from}&to=${from + 9}`);
    expect(drilled).toContain('Resources by year');
    const years = hrefs(drilled, /<a class="bar-row" href="([^"]+)"/g).map((h) => new URL(h, 'http://x').searchParams);
    expect(years.length).toBeGreaterThan(0);
    for (const y of years) expect(y.get('from')).toBe(y.get('to'));
    expect(drilled).toMatch(/<p class="year-trail"><a href="[^"]+">All years<\/a><\/p>/);
  });

  it('can show a range and the undated resources together', async () => {
    const range = await api('?from=2015&to=2020');
    const undated = await api('?undated=only');
    const both = await api('?from=2015&to=2020&undated=include');
    expect(undated.total).toBeGreaterThan(0);
    expect(both.total).toBe(range.total + undated.total);
    expect(both.query).toMatchObject({ from: 2015, to: 2020, includeUndated: true, undated: false });
    const html = await page('/?from=2015&to=2020&undated=include');
    expect(html).toContain('<span class="chip-label">and undated</span>');
    expect(html).toMatch(/<input type="checkbox" id="undated" name="undated" value="include" checked>/);
  });

  it('swaps inverted years with a notice instead of an error page, and says when undated=only leaves the years out', async () => {
    const html = await page('/?from=2020&to=2015');
    expect(html).toContain('<p class="notice" data-param="from">');
    expect(html).toContain('showing 2015–2020');
    expect((await api('?from=2020&to=2015')).total).toBe((await api('?from=2015&to=2020')).total);
    const only = await page('/?from=2015&to=2020&undated=only');
    expect(only).toContain('<p class="notice" data-param="undated">');
    expect((await api('?from=2015&to=2020&undated=only')).total).toBe((await api('?undated=only')).total);
  });
});

describe('back to the results', () => {
  it('carries the search into each resource link, and gives the way back, previous and next', async () => {
    const search = await api('?q=migrant+workers&sort=newest&size=10&page=2');
    expect(search.hits.length).toBeGreaterThan(2);
    const html = await page('/?q=migrant+workers&sort=newest&size=10&page=2');
    const links = hrefs(html, /<h3 class="hit-title"><a href="([^"]+)"/g);
    expect(links).toHaveLength(search.hits.length);
    const second = new URL(links[1]!, 'http://x');
    expect(second.pathname).toBe(`/resources/${encodeURIComponent(search.hits[1]!.id)}`);
    expect([second.searchParams.get('q'), second.searchParams.get('size'), second.searchParams.get('pos')]).toEqual(['migrant workers', '10', '12']);

    const resource = await page(links[1]!);
    const back = hrefs(resource, /<a class="back-to-results" href="([^"]+)"/g)[0]!;
    const backUrl = new URL(back, 'http://x');
    expect([backUrl.pathname, backUrl.searchParams.get('q'), backUrl.searchParams.get('page'), backUrl.searchParams.get('size'), backUrl.hash]).toEqual([
      '/',
      'migrant workers',
      '2',
      '10',
      '#hit-12',
    ]);
    expect(await page(back)).toContain('id="hit-12"');
    const prev = new URL(hrefs(resource, /<a class="result-prev" href="([^"]+)"/g)[0]!, 'http://x');
    const next = new URL(hrefs(resource, /<a class="result-next" href="([^"]+)"/g)[0]!, 'http://x');
    expect([prev.pathname, prev.searchParams.get('pos')]).toEqual([`/resources/${encodeURIComponent(search.hits[0]!.id)}`, '11']);
    expect([next.pathname, next.searchParams.get('pos')]).toEqual([`/resources/${encodeURIComponent(search.hits[2]!.id)}`, '13']);
    expect(resource).toContain(`Result 12 of ${search.total}`);
    // The header search box holds the words; the breadcrumb leads to the results too.
    expect(resource).toMatch(/<input id="header-q" type="search" name="q"[^>]* value="migrant workers">/);
    expect(resource).toMatch(/<nav class="breadcrumb"[\s\S]*Results for “migrant workers”/);
  });

  it('steps across result pages: the last of one page leads to the first of the next', async () => {
    const first = await api('?size=10');
    const second = await api('?size=10&page=2');
    const resource = await page(`/resources/${encodeURIComponent(first.hits[9]!.id)}?size=10&pos=10`);
    const next = new URL(hrefs(resource, /<a class="result-next" href="([^"]+)"/g)[0]!, 'http://x');
    expect(next.pathname).toBe(`/resources/${encodeURIComponent(second.hits[0]!.id)}`);
    expect(resource).not.toContain('class="result-prev" href="/resources/' + encodeURIComponent(first.hits[9]!.id));
    const top = await page(`/resources/${encodeURIComponent(first.hits[0]!.id)}?size=10&pos=1`);
    expect(top).not.toContain('class="result-prev"');
  });

  it('shows the resource without the way back when the address carries no search, or one that no longer holds it', async () => {
    const first = await api('?size=10');
    const plain = await page(`/resources/${encodeURIComponent(first.hits[0]!.id)}`);
    expect(plain).not.toContain('back-to-results');
    const broken = await page(`/resources/${encodeURIComponent(first.hits[0]!.id)}?size=5000&pos=1`);
    expect(broken).not.toContain('back-to-results');
    // The list changed (here: another position): back, but no neighbours that would be wrong.
    const moved = await page(`/resources/${encodeURIComponent(first.hits[0]!.id)}?size=10&pos=5`);
    expect(moved).toContain('back-to-results');
    expect(moved).not.toContain('result-next');
  });
});

describe('the record page', () => {
  it('labels a home-page address as the publisher’s website, and links a document as the source', async () => {
    const hits = (await api('?size=100')).hits.concat((await api('?size=100&page=2')).hits);
    const home = hits.find((h) => h.url !== null && new URL(h.url).pathname === '/');
    const deep = hits.find((h) => h.url !== null && new URL(h.url).pathname.length > 1);
    expect(home).toBeDefined();
    const homePage = await page(`/resources/${encodeURIComponent(home!.id)}`);
    expect(homePage).toContain('Publisher’s website');
    expect(homePage).not.toContain('Read it at the source');
    if (deep) {
      const deepPage = await page(`/resources/${encodeURIComponent(deep.id)}`);
      expect(deepPage).toContain('Read it at the source');
    }
  });

  it('marks the language of titles and abstracts written in another language', async () => {
    const french = await api('?language=fr&size=100');
    const solo = french.hits.find((h) => h.languages.length === 1);
    expect(solo).toBeDefined();
    const resource = await page(`/resources/${encodeURIComponent(solo!.id)}`);
    expect(resource).toMatch(/<h1 lang="fr">/);
    const results = await page('/?language=fr&size=100');
    expect(results).toMatch(new RegExp(`<a href="/resources/${encodeURIComponent(solo!.id)}\\?[^"]*" lang="fr">`));
  });

  it('lists regions and groupings apart, each linking to its own facet', async () => {
    const asean = (await api('?grouping=asean&size=1')).hits[0]!;
    const html = await page(`/resources/${encodeURIComponent(asean.id)}`);
    expect(html).toContain('<dt>Regional groupings</dt>');
    expect(html).toContain('href="/?grouping=asean"');
    expect(html).toMatch(/href="\/\?region=un-m49-\d{3}"/);
  });
});

describe('phones, keyboards and screen readers', () => {
  it('offers "Filters (n)" at the top and "Skip to filters", reads counts with their meaning, and makes facet names headings', async () => {
    const html = await page('/?country=NPL&theme=remittances');
    expect(html).toMatch(/<a class="filters-toggle[^"]*" href="#filters" aria-controls="filters">Filters \(2\)<\/a>/);
    expect(html.indexOf('filters-toggle')).toBeLessThan(html.indexOf('id="results-heading"'));
    expect(html).toContain('<a class="skip-link" href="#filters">Skip to filters</a>');
    expect(html).toMatch(/<h3 class="facet-heading">Country/);
    expect(html).toMatch(/<span class="facet-label">Nepal<span class="visually-hidden">, <\/span><\/span><span class="facet-count">\d+<span class="visually-hidden"> results?<\/span>/);
  });
});

describe('cheap repeat visits', () => {
  it('compresses pages and JSON, and answers an unchanged page with 304', async () => {
    // One host for both requests: the page's absolute links are made from it (supertest gives each request another port).
    const res = await request(web.app).get('/').set('Host', 'corridor.test').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^W\//);
    await request(web.app).get('/').set('Host', 'corridor.test').set('If-None-Match', etag).expect(304);
    const json = await request(web.app).get('/api/search').set('Accept-Encoding', 'gzip').expect(200);
    expect(json.headers['content-encoding']).toBe('gzip');
  });

  it('serves a favicon, with cache headers', async () => {
    const svg = await request(web.app).get('/favicon.svg').expect(200).expect('Content-Type', /svg/);
    expect(svg.headers['cache-control']).toMatch(/max-age=\d+/);
    await request(web.app).get('/favicon.ico').expect(200).expect('Content-Type', /icon/);
    expect(await page('/')).toContain('<link rel="icon" href="/favicon.svg"');
  });
});
