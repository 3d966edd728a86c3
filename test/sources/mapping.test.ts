/** Pure parts of the sources: mapping, duplicate keys, HTML to text, feed, OAI and JSON paging rules. */
import { duplicateKeys, DuplicateRegistry, normaliseTitle, normaliseUrl } from '../../indexer/sources/dedupe';
import { dublinCoreRecord } from '../../indexer/sources/dublin-core';
import { feedDate, parseFeed, rssAuthorName } from '../../indexer/sources/feed-parse';
import { decodeEntities, htmlToText, truncateText } from '../../indexer/sources/html-text';
import { firstPageUrl, linkHeaderNext, nextPageUrl } from '../../indexer/sources/http-json-source';
import { parseSourcesConfig, type HttpJsonSourceConfig } from '../../indexer/sources/config';
import { applyDefaults, mapField, mapRecord, valuesAt, withMapping } from '../../indexer/sources/mapping';
import { extractDoi } from '../../src/search/doi';
import { parseRecordInput } from '../../indexer/records/record-schema';
import { listRecordsUrl, oaiFrom, oaiRecordId, parseOaiPage } from '../../indexer/sources/oai-pmh-source';
import { parseXml } from '../../indexer/sources/xml';
import type { ResourceDocument } from '../../src/search/types';
import { fixture } from './fixture-server';

describe('mapping', () => {
  const item = {
    key: 7,
    name: '  A title ',
    meta: { lang: 'fr', links: [{ href: 'https://a.example/1' }, { href: 'https://a.example/2' }] },
    people: [{ name: 'Ana' }, { name: 'Ben' }, { other: 1 }],
    tags: ['x', '', 'y'],
    blurbs: ['First.', 'Second.'],
    xml: { '#text': 'text of an element', '@_lang': 'en' },
    Title: 'case-insensitively named',
  };

  it('resolves dot paths, walking lists, with optional [] and [n] syntax', () => {
    expect(valuesAt(item, 'meta.lang')).toEqual(['fr']);
    expect(valuesAt(item, 'people.name')).toEqual(['Ana', 'Ben']);
    expect(valuesAt(item, 'people[].name')).toEqual(['Ana', 'Ben']);
    expect(valuesAt(item, 'meta.links[1].href')).toEqual(['https://a.example/2']);
    expect(valuesAt(item, 'meta.links.0.href')).toEqual(['https://a.example/1']);
    expect(valuesAt({ link: { href: 'single' } }, 'link.0.href')).toEqual(['single']);
    expect(valuesAt(item, 'no.such.path')).toEqual([]);
  });

  it('gives one value for scalar fields, lists for list fields, paragraphs for abstracts', () => {
    expect(mapField(item, 'title', 'name')).toBe('  A title ');
    expect(mapField(item, 'id', 'key')).toBe('7');
    expect(mapField(item, 'authors', 'people.name')).toEqual(['Ana', 'Ben']);
    expect(mapField(item, 'keywords', 'tags')).toEqual(['x', 'y']);
    expect(mapField(item, 'abstract', 'blurbs')).toBe('First.\n\nSecond.');
    expect(mapField(item, 'url', 'meta.links.href')).toBe('https://a.example/1');
    expect(mapField(item, 'language', 'xml')).toBe('text of an element');
    expect(mapField(item, 'title', ['missing', 'name'])).toBe('  A title ');
    // Not text: passed on, so that validation names the problem.
    expect(mapField(item, 'title', 'meta')).toEqual(item.meta);
  });

  it('keeps record-named fields of the item, adds mapped ones, drops the rest', () => {
    expect(mapRecord(item, { id: 'key', abstract: 'blurbs' })).toEqual({ id: '7', title: 'case-insensitively named', abstract: 'First.\n\nSecond.' });
    expect(mapRecord(item, undefined)).toBe(item);
    // A mapped field the item does not have is absent, not the item's own field of that name.
    expect(mapRecord({ id: 'a', title: 'T', year: undefined }, { published: 'year', title: 'nope' })).toEqual({ id: 'a' });
  });

  it('fills empty fields from defaults only', () => {
    expect(applyDefaults({ id: 'a', publisher: '', language: 'fr', keywords: [] }, { publisher: 'ILO', language: 'en', keywords: ['k'] })).toEqual({
      id: 'a',
      publisher: 'ILO',
      language: 'fr',
      keywords: ['k'],
    });
  });

  it('lets a source mapping override built-in feed fields', () => {
    expect(withMapping({ id: 'x', type: 'News' }, { 'dc:type': 'Report' }, { type: 'dc:type' })).toEqual({ id: 'x', type: 'Report' });
  });

  it('finds DOIs in their usual spellings, in lower case', () => {
    expect(extractDoi('10.1234/abc.def')).toBe('10.1234/abc.def');
    expect(extractDoi('doi:10.1234/ABC')).toBe('10.1234/abc');
    expect(extractDoi('https://doi.org/10.1234/x%2Fy')).toBe('10.1234/x/y');
    expect(extractDoi('http://dx.doi.org/10.1234/x.')).toBe('10.1234/x');
    expect(extractDoi('https://example.org/10.1234/x')).toBeUndefined();
    expect(extractDoi('ISBN 978-92-2')).toBeUndefined();
  });
});

describe('the doi field', () => {
  const value = (raw: unknown) => {
    const r = parseRecordInput(raw);
    if (!r.ok) throw new Error(r.reason);
    return r;
  };
  it('links a record known only by its DOI, and keeps an existing URL', () => {
    expect(value({ id: 'a', title: 'T', doi: 'doi:10.1234/XYZ' }).value).toMatchObject({ url: 'https://doi.org/10.1234/xyz', doi: '10.1234/xyz' });
    expect(value({ id: 'a', title: 'T', url: 'https://x.org/p', doi: '10.1234/xyz' }).value).toMatchObject({ url: 'https://x.org/p', doi: '10.1234/xyz' });
  });
  it('takes the DOI of a doi.org address', () => {
    expect(value({ id: 'a', title: 'T', url: 'https://doi.org/10.1234/Abc' }).value.doi).toBe('10.1234/abc');
  });
  it('drops what is not a DOI with a warning, keeping the record', () => {
    const r = value({ id: 'a', title: 'T', doi: 'not a doi' });
    expect(r.value.doi).toBeUndefined();
    expect(r.warnings).toEqual(["doi: 'not a doi' is not a DOI; ignored"]);
  });
});

describe('duplicate keys', () => {
  const doc = (over: Partial<ResourceDocument>): ResourceDocument => ({
    id: 'd',
    title: 'T',
    authors: [],
    publishers: [],
    languages: [],
    countries: [],
    regions: [],
    groupings: [],
    themes: [],
    corridors: [],
    keywords: [],
    tagging: { countries: { given: [], found: [] }, regions: { given: [], found: [], derived: [] }, themes: { given: [], found: [] } },
    ...over,
  });

  it('normalises URLs: case of scheme and host, fragment, utm parameters, trailing slash', () => {
    expect(normaliseUrl('HTTPS://Example.ORG/Reports/X/?utm_source=rss&id=3&utm_medium=feed#top')).toBe('example.org/Reports/X?id=3');
    expect(normaliseUrl('http://example.org/reports/x')).toBe(normaliseUrl('https://example.org/reports/x/'));
    expect(normaliseUrl('https://example.org:443/a')).toBe('example.org/a');
    // A home page says nothing about which publication a record is.
    expect(normaliseUrl('https://www.ilo.org/')).toBeUndefined();
    expect(normaliseUrl('ftp://example.org/a')).toBeUndefined();
  });

  it('normalises titles: case, accents, punctuation', () => {
    expect(normaliseTitle('Migration en Côte d’Ivoire : Profil national')).toBe('migration en cote d ivoire profil national');
    expect(normaliseTitle('  “Safe & Fair”—Results ')).toBe('safe fair results');
  });

  it('keys a document by id, DOI, URL and title with year', () => {
    expect(duplicateKeys(doc({ id: 'a', url: 'https://x.org/p/', year: 2020, title: 'A sufficiently long title', doi: '10.1234/ABC' }))).toEqual([
      { reason: 'id', key: 'a' },
      { reason: 'doi', key: '10.1234/abc' },
      { reason: 'url', key: 'x.org/p' },
      { reason: 'title-year', key: 'a sufficiently long title|2020' },
    ]);
    // A doi.org URL is a DOI; short titles and undated records give no title key.
    expect(duplicateKeys(doc({ id: 'b', url: 'https://doi.org/10.1234/abc', title: 'Annual report', year: 2020 }))).toEqual([
      { reason: 'id', key: 'b' },
      { reason: 'doi', key: '10.1234/abc' },
    ]);
  });

  it('lets the first source win, and never merges records of one source', () => {
    const registry = new DuplicateRegistry();
    const keys = (id: string) => [{ reason: 'id' as const, key: id }, { reason: 'url' as const, key: 'x.org/p' }];
    expect(registry.claim({ source: 's1', id: 'a' }, keys('a'))).toBeUndefined();
    expect(registry.claim({ source: 's1', id: 'b' }, keys('b'))).toBeUndefined();
    expect(registry.claim({ source: 's2', id: 'c' }, keys('c'))).toEqual({ owner: { source: 's1', id: 'a' }, reason: 'url' });
  });
});

describe('HTML to text', () => {
  it('keeps paragraphs, drops tags and scripts, decodes entities', () => {
    expect(htmlToText('<p>One &amp; <b>two</b></p><script>alert(1)</script><p>Caf&eacute; &#8211; &#x2014; &nbsp;x</p>')).toBe(
      'One & two\n\nCafé – — x',
    );
    expect(htmlToText('line<br>next<ul><li>a</li><li>b</li></ul>')).toBe('line\nnext\n\n• a\n• b');
    expect(htmlToText('plain text, 3 < 4')).toBe('plain text, 3 < 4');
    expect(decodeEntities('&lt;em&gt; &unknown; &#xD800;')).toBe('<em> &unknown; \uFFFD');
  });

  it('truncates at a word boundary', () => {
    expect(truncateText('word '.repeat(10), 23)).toBe('word word word word…');
    expect(truncateText('short', 12)).toBe('short');
  });
});

describe('feeds', () => {
  it('reads RSS 2.0 items into records', () => {
    const feed = parseFeed(fixture('rss.xml'), 'news', 'https://news.example.org/feed.xml');
    expect(feed.format).toBe('rss');
    expect(feed.entries.map((e) => e.record)).toEqual([
      {
        id: 'news:news-1',
        title: 'New guidance on fair recruitment & fees',
        url: 'https://news.example.org/articles/fair-recruitment?utm_source=rss&utm_medium=feed',
        abstract: 'The guidance covers recruitment fees & related costs charged to workers from Nepal.\n\nCafé owners – and employers – must pay.',
        published: '2024-03-05',
        authors: ['A. Writer'],
        keywords: ['Recruitment', 'Fees'],
        language: 'en-gb',
      },
      {
        id: 'news:news-2',
        title: 'Heat stress and construction workers in Qatar',
        url: 'https://api.example.org/reports/heat-stress/',
        abstract: 'Outdoor work in the summer months puts construction workers at risk.',
        published: '2024-02-12',
        authors: ['Jo Editor'],
        language: 'en-gb',
      },
      {
        id: 'news:https://news.example.org/articles/hk-domestic-workers',
        title: "Domestic workers' rights in Hong Kong",
        url: 'https://news.example.org/articles/hk-domestic-workers',
        abstract: 'A court ruling on rest days for foreign domestic helpers.',
        published: '2023-12-01',
        language: 'en-gb',
      },
    ]);
  });

  it('reads Atom 1.0 entries into records', () => {
    const feed = parseFeed(fixture('atom.xml'), 'reports', 'https://reports.example.org/atom.xml');
    expect(feed.format).toBe('atom');
    expect(feed.entries.map((e) => e.record)).toEqual([
      {
        id: 'reports:urn:uuid:7d0c1a2e-0000-4000-8000-000000000001',
        title: 'Safe migration campaign results in Cambodia',
        url: 'https://reports.example.org/reports/safe-migration',
        abstract: 'What a two-year awareness campaign changed for people leaving for Thailand.',
        published: '2023-11-01T09:00:00Z',
        authors: ['Sok Dara', 'Maria Lopez'],
        keywords: ['Human trafficking', 'awareness'],
        language: 'en',
      },
      {
        id: 'reports:urn:uuid:7d0c1a2e-0000-4000-8000-000000000002',
        title: 'Climate change and mobility in the Pacific islands region',
        abstract: 'Relocation, labour mobility schemes and displacement in Fiji, Kiribati and Tuvalu.',
        published: '2022-06-30T00:00:00Z',
        language: 'en',
      },
    ]);
  });

  it('says what is wrong with a document that is not a feed', () => {
    expect(() => parseFeed(fixture('garbage.html'), 's')).toThrow(/not well-formed XML \(line \d+/);
    expect(() => parseFeed(fixture('invalid.xml'), 's')).toThrow(/not well-formed XML/);
    expect(() => parseFeed('<html><body/></html>', 's')).toThrow('not an RSS or Atom feed (the document is <html>)');
    expect(() => parseFeed('', 's')).toThrow('the response is empty');
  });

  it('reads feed dates as the calendar date written', () => {
    expect(feedDate('Tue, 05 Mar 2024 23:30:00 -0800')).toBe('2024-03-05');
    expect(feedDate('1 Dec 23 10:00 GMT')).toBe('2023-12-01');
    expect(feedDate('2024-03-05T10:00:00Z')).toBe('2024-03-05T10:00:00Z');
    expect(feedDate('someday')).toBe('someday');
    expect(rssAuthorName('jo@example.org (Jo Smith)')).toBe('Jo Smith');
  });
});

describe('OAI-PMH', () => {
  it('reads a ListRecords page: records, the resumption token', () => {
    const page = parseOaiPage(fixture('oai-page1.xml'));
    expect(page.resumptionToken).toBe('tok-2');
    expect(page.records.map((r) => r.kind)).toEqual(['record', 'record']);
    const first = page.records[0]!;
    if (first.kind !== 'record') throw new Error('expected a record');
    expect(dublinCoreRecord(first.metadata, oaiRecordId('repo', first.identifier))).toEqual({
      id: 'repo:oai:repo.example.org:101',
      title: 'Labour migration from Nepal to Malaysia: recruitment costs and debt',
      abstract: 'Survey of 1,200 returnees on what they paid to migrate.',
      authors: ['Gurung, Anita', 'Rahman, Farid'],
      publisher: 'Example University Press',
      published: '2022-03-15',
      type: 'Report',
      language: ['eng'],
      keywords: ['recruitment fees', 'debt bondage'],
      countries: ['Nepal', 'Malaysia'],
      url: 'https://repo.example.org/items/101',
    });
  });

  it('reports deleted records, ends on an empty token, keeps a DOI beside the URL', () => {
    const page = parseOaiPage(fixture('oai-page2.xml'));
    expect(page.resumptionToken).toBeUndefined();
    expect(page.records[1]).toEqual({ kind: 'deleted', identifier: 'oai:repo.example.org:104' });
    const record = page.records[0]!;
    if (record.kind !== 'record') throw new Error('expected a record');
    expect(dublinCoreRecord(record.metadata, 'x')).toMatchObject({ url: 'https://repo.example.org/items/103', doi: '10.5555/corridor.0103', type: 'Policy brief' });
  });

  it('treats noRecordsMatch as no records and other errors as failures', () => {
    expect(parseOaiPage(fixture('oai-no-records.xml'))).toEqual({ records: [] });
    expect(() => parseOaiPage(fixture('oai-bad-argument.xml'))).toThrow(
      'OAI-PMH error cannotDisseminateFormat: The metadata format mods is not supported',
    );
    expect(() => parseOaiPage(fixture('rss.xml'))).toThrow('not an OAI-PMH response (the document is <rss>)');
  });

  it('builds ListRecords URLs: from as a day, the token as the only argument', () => {
    const [config] = parseSourcesConfig(
      { sources: [{ id: 'repo', kind: 'oai-pmh', location: 'https://repo.example.org/oai', set: 'migration' }] },
      '/',
    );
    if (config?.kind !== 'oai-pmh') throw new Error('expected an OAI source');
    expect(listRecordsUrl(config, { from: oaiFrom('2024-03-01T02:00:00Z') })).toBe(
      'https://repo.example.org/oai?verb=ListRecords&metadataPrefix=oai_dc&set=migration&from=2024-03-01',
    );
    expect(listRecordsUrl(config, { resumptionToken: 'a b&c' })).toBe('https://repo.example.org/oai?verb=ListRecords&resumptionToken=a+b%26c');
    expect(oaiFrom('yesterday')).toBeUndefined();
  });

  it('hashes identifiers too long for a record id', () => {
    expect(oaiRecordId('repo', 'x'.repeat(300))).toMatch(/^repo:sha1-[0-9a-f]{40}$/);
  });
});

describe('HTTP JSON paging', () => {
  const source = (pagination: unknown): HttpJsonSourceConfig => {
    const [config] = parseSourcesConfig(
      { sources: [{ id: 'api', kind: 'http-json', location: 'https://api.example.org/items?q=migration', pagination, sinceParam: 'since' }] },
      '/',
    );
    return config as HttpJsonSourceConfig;
  };

  it('pages by number and stops at a short page', () => {
    const config = source({ type: 'page', sizeParam: 'per_page', size: 2 });
    const first = firstPageUrl(config, '2024-01-01');
    expect(first).toBe('https://api.example.org/items?q=migration&since=2024-01-01&page=1&per_page=2');
    expect(nextPageUrl(config.pagination, first, {}, 2, null)).toBe('https://api.example.org/items?q=migration&since=2024-01-01&page=2&per_page=2');
    expect(nextPageUrl(config.pagination, first, {}, 1, null)).toBeUndefined();
  });

  it('pages by offset, by next link (body or Link header) and by cursor', () => {
    const offset = source({ type: 'offset', limit: 50 });
    const first = firstPageUrl(offset);
    expect(nextPageUrl(offset.pagination, first, {}, 50, null)).toBe('https://api.example.org/items?q=migration&offset=50&limit=50');
    expect(nextPageUrl(offset.pagination, first, {}, 0, null)).toBeUndefined();

    const link = source({ type: 'next-link', nextPath: 'links.next' });
    expect(nextPageUrl(link.pagination, 'https://api.example.org/items', { links: { next: '/items?p=2' } }, 10, null)).toBe('https://api.example.org/items?p=2');
    expect(nextPageUrl(link.pagination, 'https://api.example.org/items', { links: { next: null } }, 10, null)).toBeUndefined();
    const header = source({ type: 'next-link' });
    expect(nextPageUrl(header.pagination, 'https://api.example.org/items', {}, 10, '<https://api.example.org/items?p=1>; rel="prev", <https://api.example.org/items?p=3>; rel="next"')).toBe(
      'https://api.example.org/items?p=3',
    );
    expect(linkHeaderNext(null)).toBeUndefined();

    const cursor = source({ type: 'cursor', cursorPath: 'meta.next' });
    expect(nextPageUrl(cursor.pagination, 'https://api.example.org/items', { meta: { next: 'abc' } }, 10, null)).toBe('https://api.example.org/items?cursor=abc');
    expect(nextPageUrl(cursor.pagination, 'https://api.example.org/items', { meta: {} }, 10, null)).toBeUndefined();
  });
});

describe('XML', () => {
  it('refuses entity expansion bombs', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "${'x'.repeat(100)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><r>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</r>`;
    let length = 0;
    try {
      const doc = parseXml(bomb);
      length = JSON.stringify(doc).length;
    } catch {
      length = 0;
    }
    expect(length).toBeLessThan(200_000);
  });
});
