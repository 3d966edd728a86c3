/**
 * Feeds and citation exports, read back by the real readers of each format: feedparser (RSS and
 * Atom), rispy (RIS), bibtexparser (BibTeX), citation-js with a CSL processor (CSL-JSON) and
 * csv-parse (CSV). Records with every kind of awkward character, several authors (people and
 * organisations), several languages and no date must come back as they went in.
 * CORRIDOR_TEST_ENGINE=elasticsearch runs it on Elasticsearch.
 */
import path from 'node:path';
import request from 'supertest';
import { parse as parseCsv } from 'csv-parse/sync';
import { decodeHTML } from 'entities';
import type { ApiResource, ApiSearchResponse } from '../../src/web/api-model';
import { buildTestApp, SAMPLE_DATA, type TestApp } from '../support/test-app';
import { describeWithPython, readWithPython } from '../support/python';

/* eslint-disable @typescript-eslint/no-require-imports -- citation-js plugins register themselves on require */
const { Cite, plugins } = require('@citation-js/core') as { Cite: any; plugins: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
require('@citation-js/plugin-csl');
require('@citation-js/plugin-bibtex');
/* eslint-enable @typescript-eslint/no-require-imports */

const HARD = path.join(__dirname, '..', 'fixtures', 'discovery', 'hard-records.ndjson');
let t: TestApp;
let specials: ApiResource;
let scripts: ApiResource;
let undated: ApiResource;

async function get(url: string): Promise<request.Response> {
  return request(t.app).get(url).buffer(true).parse((res, done) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (body += c));
    res.on('end', () => done(null, body));
  });
}
const text = async (url: string) => (await get(url).then((r) => (expect(r.status).toBe(200), r))).body as string;
const resource = async (id: string) => (await request(t.app).get(`/api/resources/${encodeURIComponent(id)}`).expect(200)).body as ApiResource;
const exportOf = (id: string, ext: string) => `/resources/${encodeURIComponent(id)}/export.${ext}`;

beforeAll(async () => {
  t = await buildTestApp({ inputs: [SAMPLE_DATA, HARD] });
  [specials, scripts, undated] = await Promise.all(['hard-specials', 'hard-scripts', 'hard-undated/with slash'].map(resource));
});
afterAll(async () => {
  await t?.close();
});

describe('export links and formats over HTTP', () => {
  it('offers each format for the page and the whole result, with the search parameters kept', async () => {
    const page = (await request(t.app).get('/?country=NPL&size=10').expect(200)).text;
    expect(page).toContain('href="/export.ris?country=NPL&amp;size=10"');
    expect(page).toContain('href="/export.bib?country=NPL&amp;size=10&amp;scope=all"');
    const res = await request(t.app).get('/export.ris?country=NPL&size=10').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-research-info-systems/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="corridor-results.ris"');
  });

  it('answers a bad scope or bad search parameters with 400, and an unknown record with 404', async () => {
    await request(t.app).get('/export.csv?scope=everything').expect(400);
    await request(t.app).get('/export.csv?size=abc').expect(400);
    await request(t.app).get('/resources/nope/export.bib').expect(404);
  });

  it('exports the whole result in the result order, beyond one page', async () => {
    const api = (await request(t.app).get('/api/search?size=100&page=1').expect(200)).body as ApiSearchResponse;
    const api2 = (await request(t.app).get('/api/search?size=100&page=2').expect(200)).body as ApiSearchResponse;
    const rows = parseCsv(await text('/export.csv?scope=all'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(api.total);
    expect(rows.map((r) => r.id)).toEqual([...api.hits, ...api2.hits].map((h) => h.id));
  });
});

describe('CSV read by csv-parse', () => {
  it('keeps every character and every list', async () => {
    const [row] = parseCsv(await text(exportOf(specials.id, 'csv')), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({
      id: specials.id,
      title: specials.title,
      abstract: specials.abstract,
      authors: specials.authors.join('; '),
      publisher: 'ILO and UN Women',
      publishers: 'ILO; UN Women',
      published: '2019-03-05',
      languages: 'en; fr',
      doi: specials.doi,
      url: specials.url,
    });
    expect(row!.page).toBe(`${new URL(row!.page!).origin}/resources/hard-specials`);
    const [noDate] = parseCsv(await text(exportOf(undated.id, 'csv')), { columns: true }) as Record<string, string>[];
    expect(noDate).toMatchObject({ id: 'hard-undated/with slash', published: '', year: '', authors: '' });
  });
});

describe('CSL-JSON read by citation-js and a CSL processor', () => {
  it('reads names, dates and text, and formats a bibliography', async () => {
    const items = JSON.parse(await text(exportOf(specials.id, 'json'))) as Record<string, unknown>[];
    const cite = new Cite(items);
    const [item] = cite.data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(item.title).toBe(specials.title);
    expect(item.author).toEqual([
      { family: 'Núñez', given: 'José María' },
      { family: "O'Brien", given: 'Siobhán' },
      { literal: 'International Labour Organization' },
      { family: 'Harkins', given: 'B.' },
    ]);
    expect(item.issued['date-parts']).toEqual([[2019, 3, 5]]);
    expect(item.DOI).toBe(specials.doi);
    const bibliography: string = cite.format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' });
    expect(bibliography).toContain('International Labour Organization');
    expect(bibliography).toContain('Núñez, J. M.');
    expect(bibliography).toContain('2019');
    expect(plugins.list().length).toBeGreaterThan(0);
  });

  it('keeps non-Latin scripts and says "n.d." for an undated record', async () => {
    const items = JSON.parse(await text('/export.json?q=%22undated+note%22')) as Record<string, unknown>[];
    expect(items.map((i) => i.id)).toEqual([undated.id]);
    expect(items[0]!.issued).toBeUndefined();
    const bibliography: string = new Cite(items).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' });
    expect(bibliography).toContain('n.d.');
    const [scriptItem] = new Cite(JSON.parse(await text(exportOf(scripts.id, 'json')))).data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(scriptItem.title).toBe(scripts.title);
    expect(scriptItem.author).toEqual([{ family: 'Иванов', given: 'Пётр' }, { literal: 'مركز الهجرة' }]);
  });

  it('reads the BibTeX export too, with the same names', async () => {
    const [item] = new Cite(await text(exportOf(specials.id, 'bib'))).data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    // citation-js keeps a braced name whole, as a family name without a given name.
    expect(item.author).toEqual([
      { family: 'Núñez', given: 'José María' },
      { family: "O'Brien", given: 'Siobhán' },
      { family: 'International Labour Organization' },
      { family: 'Harkins', given: 'B.' },
    ]);
  });
});

describeWithPython('RIS read by rispy', ['rispy'], () => {
  it('reads every tag back as written', async () => {
    const [entry] = await readWithPython<Record<string, any>[]>('read_ris.py', [], await text(exportOf(specials.id, 'ris'))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(entry).toMatchObject({
      type_of_reference: 'RPRT',
      title: specials.title,
      authors: ['Núñez, José María', "O'Brien, Siobhán", 'International Labour Organization', 'Harkins, B.'],
      year: '2019',
      date: '2019/03/05/',
      publisher: 'ILO and UN Women',
      doi: specials.doi,
      urls: [specials.url],
      language: 'en',
      id: specials.id,
    });
    // RIS values are single lines: the abstract's paragraphs are joined by a space.
    expect(entry!.abstract).toBe(specials.abstract!.replace(/\n+/g, ' '));
    expect(entry!.keywords).toEqual(['50% rule', 'R&D', ...specials.themes.map((th) => th.label), "Côte d'Ivoire", 'Nepal', 'Qatar']);
  });

  it('reads a whole result, other scripts, and an undated record without a year', async () => {
    const entries = await readWithPython<Record<string, any>[]>('read_ris.py', [], await text('/export.ris?scope=all&sort=oldest')); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(entries.length).toBe((await request(t.app).get('/api/search').expect(200)).body.total);
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get(scripts.id)).toMatchObject({ title: scripts.title, authors: ['Иванов, Пётр', 'مركز الهجرة'], publisher: scripts.publisher });
    expect(byId.get(undated.id)?.year).toBeUndefined();
    expect(byId.get(undated.id)?.title).toBe(undated.title);
  });
});

describeWithPython('BibTeX read by bibtexparser', ['bibtexparser'], () => {
  it('reads LaTeX specials back as the original characters, and people and organisations as such', async () => {
    const read = await readWithPython<{ entries: { type: string; key: string; fields: Record<string, string>; authors: Record<string, string>[] }[]; failed: string[] }>(
      'read_bibtex.py',
      [],
      await text(exportOf(specials.id, 'bib')),
    );
    expect(read.failed).toEqual([]);
    const [entry] = read.entries;
    expect(entry!.type).toBe('techreport');
    // pylatexenc writes \textasciicircum as the modifier letter U+02C6.
    expect(entry!.fields.title!.replace(/\u02c6/g, '^')).toBe(specials.title);
    expect(entry!.fields.abstract).toBe(specials.abstract!.replace(/\s+/g, ' '));
    expect(entry!.fields).toMatchObject({ institution: 'ILO and UN Women', year: '2019', month: 'mar', doi: specials.doi, url: specials.url });
    expect(entry!.authors).toEqual([
      { first: 'José María', von: '', last: 'Núñez', jr: '' },
      { first: 'Siobhán', von: '', last: "O'Brien", jr: '' },
      { first: '', von: '', last: '{International Labour Organization}', jr: '' },
      { first: 'B.', von: '', last: 'Harkins', jr: '' },
    ]);
  });

  it('reads a whole result with unique keys, and an undated record without a year', async () => {
    const read = await readWithPython<{ entries: { key: string; fields: Record<string, string>; authors: unknown[] }[]; failed: string[] }>(
      'read_bibtex.py',
      [],
      await text('/export.bib?scope=all'),
    );
    expect(read.failed).toEqual([]);
    expect(new Set(read.entries.map((e) => e.key)).size).toBe(read.entries.length);
    const noDate = read.entries.find((e) => e.fields.title === undated.title);
    expect(noDate?.fields.year).toBeUndefined();
    const other = read.entries.find((e) => e.fields.title === scripts.title);
    expect(other?.authors).toEqual([
      { first: 'Пётр', von: '', last: 'Иванов', jr: '' },
      { first: '', von: '', last: '{مركز الهجرة}', jr: '' },
    ]);
  });
});

describeWithPython('feeds read by feedparser', ['feedparser'], () => {
  type Parsed = {
    bozo: boolean;
    bozo_exception: string;
    version: string;
    feed: { title: string; link: string; links: { rel: string; href: string; type: string }[] };
    entries: { title: string; title_type: string; link: string; id: string; summary?: string; published?: string; updated?: string; authors: string[] }[];
  };

  it.each(['rss', 'atom'])('reads the %s feed of a search: escaped text, absolute links, dates, newest first', async (format) => {
    const feed = await readWithPython<Parsed>('read_feed.py', [], await text(`/feed.${format}?q=wages`));
    expect(feed.bozo).toBe(false);
    expect(feed.version).toBe(format === 'rss' ? 'rss20' : 'atom10');
    const api = (await request(t.app).get('/api/search?q=wages&sort=newest').expect(200)).body as ApiSearchResponse;
    expect(feed.entries.map((e) => e.link)).toEqual(api.hits.map((h) => `${new URL(feed.entries[0]!.link).origin}${h.href}`));
    const entry = feed.entries.find((e) => e.link.endsWith('/resources/hard-specials'))!;
    // Atom titles are declared HTML, RSS titles are plain text: either way the reader shows the title as written.
    expect(entry.title_type).toBe(format === 'atom' ? 'text/html' : 'text/plain');
    expect(format === 'atom' ? decodeHTML(entry.title) : entry.title).toBe(specials.title);
    // Summaries are HTML: escaped record text, "]]>" included, reads back as the abstract.
    expect(decodeHTML(entry.summary!)).toBe(specials.abstract);
    expect(entry.published ?? entry.updated).toBe('2019-03-05T00:00:00Z');
    expect(feed.feed.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?q=wages&sort=newest$/);
    expect(feed.feed.links.some((l) => l.rel === 'self' && l.href.endsWith(`/feed.${format}?q=wages&sort=newest`))).toBe(true);
  });

  it('reads a feed with other scripts and an undated record (dated by when it entered the library)', async () => {
    const feed = await readWithPython<Parsed>('read_feed.py', [], await text('/feed.atom?language=ru'));
    expect(feed.bozo).toBe(false);
    expect(feed.entries.map((e) => decodeHTML(e.title))).toContain(scripts.title);
    const noDate = await readWithPython<Parsed>('read_feed.py', [], await text('/feed.rss?q=%22undated+note%22'));
    expect(noDate.bozo).toBe(false);
    expect(noDate.entries[0]!.published).toBe((await resource(undated.id)).changed);
  });

  it('links the feeds from the search page, with a visible Subscribe link', async () => {
    const page = (await request(t.app).get('/?q=wages').expect(200)).text;
    expect(page).toContain('<link rel="alternate" type="application/rss+xml" title="Corridor: this search (RSS)" href="/feed.rss?q=wages&amp;sort=newest">');
    expect(page).toContain('<link rel="alternate" type="application/atom+xml" title="Corridor: this search (Atom)" href="/feed.atom?q=wages&amp;sort=newest">');
    expect(page).toMatch(/Subscribe to this search: <a href="\/feed\.rss\?q=wages&amp;sort=newest"/);
  });
});
