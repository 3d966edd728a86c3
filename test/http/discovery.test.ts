/**
 * Being found: absolute canonical URLs (configured or derived safely from the request), noindex
 * on deep filter combinations, robots.txt, the sitemap (split into an index past the per-file
 * limit), the OpenSearch description, and the citation metadata of resource pages (Highwire
 * tags and schema.org JSON-LD, parsed and checked). Both engines via CORRIDOR_TEST_ENGINE.
 */
import path from 'node:path';
import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { parseDocument } from 'htmlparser2';
import { findAll, getAttributeValue, textContent } from 'domutils';
import type { Element } from 'domhandler';
import { buildTestApp, SAMPLE_DATA, type TestApp } from '../support/test-app';

const HARD = path.join(__dirname, '..', 'fixtures', 'discovery', 'hard-records.ndjson');
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['url', 'sitemap', 'Url'].includes(name) });
type Xml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed XML is untyped by nature

let t: TestApp;
let configured: TestApp;
const PUBLIC = 'https://corridor.example.org';

beforeAll(async () => {
  t = await buildTestApp({ inputs: [SAMPLE_DATA, HARD], extra: { config: { siteName: 'Corridor', sitemapMaxUrls: 50 } } });
  configured = await buildTestApp({ extra: { config: { siteName: 'Corridor', publicUrl: PUBLIC } } });
});
afterAll(async () => {
  await t?.close();
  await configured?.close();
});

function head(html: string): Element[] {
  return findAll((e) => e.name === 'link' || e.name === 'meta' || e.name === 'script', parseDocument(html).children);
}
const linkHref = (html: string, rel: string) => head(html).find((e) => e.name === 'link' && getAttributeValue(e, 'rel') === rel)?.attribs.href;
const metas = (html: string, name: string) => head(html).filter((e) => e.name === 'meta' && getAttributeValue(e, 'name') === name).map((e) => e.attribs.content);

describe('canonical URLs and indexing', () => {
  it('uses CORRIDOR_PUBLIC_URL for canonical links whatever the request says', async () => {
    const page = await request(configured.app).get('/?country=NPL&sort=oldest&size=50').set('Host', 'evil.example').expect(200);
    expect(linkHref(page.text, 'canonical')).toBe(`${PUBLIC}/?country=NPL`);
    const robots = await request(configured.app).get('/robots.txt').set('Host', 'evil.example').expect(200);
    expect(robots.text).toContain(`Sitemap: ${PUBLIC}/sitemap.xml`);
  });

  it('derives the base from the Host header only when it is a well-formed host, and ignores X-Forwarded-* without a trusted proxy', async () => {
    const ok = await request(t.app).get('/robots.txt').set('Host', 'Library.Example.org:8080').expect(200);
    expect(ok.text).toContain('Sitemap: http://library.example.org:8080/sitemap.xml');
    const forged = await request(t.app).get('/robots.txt').set('Host', 'x"><script>@evil').expect(200);
    expect(forged.text).toContain('Sitemap: http://localhost/sitemap.xml');
    const proxied = await request(t.app).get('/robots.txt').set('X-Forwarded-Host', 'evil.example').set('X-Forwarded-Proto', 'https').expect(200);
    expect(proxied.text).not.toContain('evil.example');
    expect(proxied.text).not.toContain('https://');
  });

  it('asks not to index deep filter combinations, later pages and empty results (one or two filters stay indexable)', async () => {
    const robotsOf = async (qs: string) => metas((await request(t.app).get(`/${qs}`).expect(200)).text, 'robots')[0];
    expect(await robotsOf('?country=NPL')).toBeUndefined();
    expect(await robotsOf('?country=NPL&type=Report')).toBeUndefined();
    expect(await robotsOf('?country=NPL&type=Report&language=en')).toBe('noindex, follow');
    expect(await robotsOf('?page=2')).toBe('noindex, follow');
    expect(await robotsOf('?q=zzzzqqqq')).toBe('noindex, follow');
  });

  it('links the OpenSearch description from every page, and describes the search in it', async () => {
    for (const url of ['/', '/resources/hard-specials', '/no-such-page']) {
      const res = await request(t.app).get(url);
      expect(linkHref(res.text, 'search')).toBe('/opensearch.xml');
    }
    const res = await request(configured.app).get('/opensearch.xml').expect(200).expect('Content-Type', /application\/opensearchdescription\+xml/);
    const desc = xml.parse(res.text).OpenSearchDescription as Xml;
    expect(desc['@xmlns']).toBe('http://a9.com/-/spec/opensearch/1.1/');
    expect(desc.ShortName).toBe('Corridor');
    const templates = Object.fromEntries(desc.Url.map((u: Xml) => [u['@type'], u['@template']]));
    expect(templates['text/html']).toBe(`${PUBLIC}/?q={searchTerms}&page={startPage?}`);
    expect(templates['application/atom+xml']).toBe(`${PUBLIC}/feed.atom?q={searchTerms}`);
  });
});

describe('robots.txt and the sitemap', () => {
  it('allows crawling, keeps crawlers off staff pages and downloads, and names the sitemap', async () => {
    const res = await request(t.app).get('/robots.txt').expect(200).expect('Content-Type', /text\/plain/);
    expect(res.text).toMatch(/^User-agent: \*$/m);
    expect(res.text).toMatch(/^Disallow: \/staff$/m);
    expect(res.text).toMatch(/^Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap\.xml$/m);
  });

  it('lists the home page and every resource once, with its datestamp, split into files past the limit', async () => {
    const total = (await request(t.app).get('/api/search').expect(200)).body.total as number;
    const index = xml.parse((await request(t.app).get('/sitemap.xml').expect(200).expect('Content-Type', /application\/xml/)).text).sitemapindex as Xml;
    expect(index['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const files = index.sitemap.map((s: Xml) => s.loc as string);
    expect(files).toHaveLength(Math.ceil((total + 1) / 50));
    const locs: string[] = [];
    for (const file of files) {
      const set = xml.parse((await request(t.app).get(new URL(file).pathname).expect(200)).text).urlset as Xml;
      expect(set.url.length).toBeLessThanOrEqual(50);
      for (const u of set.url) {
        locs.push(u.loc);
        if (u.loc.includes('/resources/')) expect(u.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
    }
    expect(locs).toHaveLength(total + 1);
    expect(new Set(locs).size).toBe(total + 1);
    expect(locs.map((l) => new URL(l).pathname)).toContain('/resources/hard-undated%2Fwith%20slash');
    await request(t.app).get(`/sitemaps/${files.length + 1}.xml`).expect(404);
    await request(t.app).get('/sitemaps/0.xml').expect(404);
  });

  it('is one file while the library fits in it', async () => {
    const set = xml.parse((await request(configured.app).get('/sitemap.xml').expect(200)).text).urlset as Xml;
    expect(set.url[0].loc).toBe(`${PUBLIC}/`);
    expect(set.url.length).toBe((await request(configured.app).get('/api/search').expect(200)).body.total + 1);
  });
});

describe('citation metadata on resource pages', () => {
  async function page(id: string): Promise<string> {
    return (await request(configured.app).get(`/resources/${encodeURIComponent(id)}`).expect(200)).text;
  }
  function jsonLdOf(html: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const scripts = head(html).filter((e) => e.name === 'script' && getAttributeValue(e, 'type') === 'application/ld+json');
    expect(scripts).toHaveLength(1);
    return JSON.parse(textContent(scripts[0]!));
  }

  it('has Highwire tags a reference manager reads: one author tag per author, the date, publisher, DOI, language', async () => {
    const pageOf = await buildTestApp({ inputs: [HARD], extra: { config: { siteName: 'Corridor', publicUrl: PUBLIC } } });
    try {
      const html = (await request(pageOf.app).get('/resources/hard-specials').expect(200)).text;
      expect(metas(html, 'citation_title')).toEqual(["Wages & fees: 100% {recruitment} costs — \"zero-fee\" pledges, C# and $ in Côte d'Ivoire ~ Nepal_Qatar ^2 \\ back"]);
      expect(metas(html, 'citation_author')).toEqual(['Núñez, José María', "O'Brien, Siobhán", 'International Labour Organization', 'Harkins, B.']);
      expect(metas(html, 'citation_publication_date')).toEqual(['2019/03/05']);
      expect(metas(html, 'citation_publisher')).toEqual(['ILO and UN Women']);
      expect(metas(html, 'citation_doi')).toEqual(['10.1234/abc.def_(2019)%x']);
      expect(metas(html, 'citation_language')).toEqual(['en', 'fr']);
      expect(metas(html, 'citation_abstract_html_url')).toEqual([`${PUBLIC}/resources/hard-specials`]);
      expect(linkHref(html, 'canonical')).toBe(`${PUBLIC}/resources/hard-specials`);

      const data = jsonLdOf(html);
      expect(data['@context']).toBe('https://schema.org');
      expect(data['@type']).toBe('Report');
      expect(data.name).toBe(metas(html, 'citation_title')[0]);
      expect(data.url).toBe(`${PUBLIC}/resources/hard-specials`);
      expect(data.datePublished).toBe('2019-03-05');
      expect(data.inLanguage).toEqual(['en', 'fr']);
      expect(data.publisher).toEqual([{ '@type': 'Organization', name: 'ILO' }, { '@type': 'Organization', name: 'UN Women' }]);
      expect(data.author).toEqual([
        { '@type': 'Person', name: 'José María Núñez', givenName: 'José María', familyName: 'Núñez' },
        { '@type': 'Person', name: "Siobhán O'Brien", givenName: 'Siobhán', familyName: "O'Brien" },
        { '@type': 'Organization', name: 'International Labour Organization' },
        { '@type': 'Person', name: 'B. Harkins', givenName: 'B.', familyName: 'Harkins' },
      ]);
      const about = data.about as { '@type': string; name: string; identifier?: string; termCode?: string }[];
      expect(about.filter((a) => a['@type'] === 'Country').map((a) => a.identifier)).toEqual(['CIV', 'NPL', 'QAT']);
      const themes = ((await request(pageOf.app).get('/api/resources/hard-specials').expect(200)).body.themes as { id: string }[]).map((th) => th.id);
      expect(themes.length).toBeGreaterThan(0);
      expect(about.filter((a) => a['@type'] === 'DefinedTerm').map((a) => a.termCode)).toEqual(themes);
      expect(data.identifier).toMatchObject({ '@type': 'PropertyValue', propertyID: 'DOI', value: '10.1234/abc.def_(2019)%x' });
    } finally {
      await pageOf.close();
    }
  });

  it('describes every sample resource with the required schema.org properties, as valid JSON', async () => {
    const ids = ((await request(configured.app).get('/api/search?size=100').expect(200)).body.hits as { id: string }[]).map((h) => h.id);
    for (const id of ids.slice(0, 40)) {
      const data = jsonLdOf(await page(id));
      expect(['Report', 'CreativeWork', 'Book', 'Dataset', 'Legislation', 'ScholarlyArticle', 'Thesis']).toContain(data['@type']);
      expect(typeof data.name).toBe('string');
      expect(data.url).toBe(`${PUBLIC}/resources/${encodeURIComponent(id)}`);
      for (const p of data.publisher ?? []) expect(p).toEqual({ '@type': 'Organization', name: expect.any(String) });
      if (data.datePublished !== undefined) expect(data.datePublished).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      for (const a of data.about ?? []) expect(['Country', 'DefinedTerm']).toContain(a['@type']);
    }
  });

  it('links the citation of the record in each format from its page', async () => {
    const html = await page('ilo-home-truths-housing-asean-2022');
    for (const ext of ['ris', 'bib', 'json', 'csv']) expect(html).toContain(`href="/resources/ilo-home-truths-housing-asean-2022/export.${ext}"`);
  });
});
