/**
 * The OAI-PMH provider: the protocol's verbs and errors over HTTP (read back with a real XML
 * parser), a harvest by Sickle (Python's OAI-PMH client), and a harvest of this Corridor by
 * another Corridor through its own OAI-PMH source, which must give the same records.
 * CORRIDOR_TEST_ENGINE=elasticsearch runs it all with Elasticsearch as the provider's engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { openSqliteBackend } from '../../src/backends/sqlite';
import type { ResourceDocument } from '../../src/search/types';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { runIngest } from '../../indexer/pipeline';
import { recordPreparer } from '../../indexer/prepare';
import { parseSourcesConfig } from '../../indexer/sources/config';
import { buildTestApp, ingestFiles, SAMPLE_DATA, type TestApp } from '../support/test-app';
import { listen, type RunningServer } from '../support/server';
import { describeWithPython, readWithPython } from '../support/python';

const vocab = loadVocabulary();
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, isArray: (name) => ['record', 'header', 'error', 'set', 'setSpec', 'creator', 'subject', 'identifier', 'language', 'coverage'].includes(name) });
type Xml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed XML is untyped by nature

let provider: TestApp;
let server: RunningServer;
let all: (ResourceDocument & { changed: string })[];
const PAGE = 25;

async function oai(qs: string): Promise<Xml> {
  const res = await request(provider.app).get(`/oai?${qs}`).expect(200).expect('Content-Type', /text\/xml/);
  return parser.parse(res.text)['OAI-PMH'] as Xml;
}
const errorCodes = (body: Xml) => (body.error ?? []).map((e: Xml) => e['@code']);

beforeAll(async () => {
  provider = await buildTestApp({ extra: { config: { siteName: 'Corridor', oaiPageSize: PAGE, tokenSecret: 'a test secret that is long enough to use' } } });
  server = await listen(provider.app);
  all = [];
  for (let offset = 0; ; offset += 100) {
    const page = await provider.search.listChanges({ offset, limit: 100 });
    all.push(...page.documents);
    if (page.documents.length < 100) break;
  }
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
});

describe('OAI-PMH verbs', () => {
  it('identifies the repository', async () => {
    const body = await oai('verb=Identify');
    expect(body.Identify).toMatchObject({ repositoryName: 'Corridor', protocolVersion: 2, deletedRecord: 'no', granularity: 'YYYY-MM-DDThh:mm:ssZ' });
    expect(body.Identify.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oai$/);
    expect(body.Identify.earliestDatestamp).toBe(all[0]!.changed);
    expect(body.request['@verb']).toBe('Identify');
  });

  it('lists oai_dc as its metadata format, also for one item, and refuses an unknown item', async () => {
    expect((await oai('verb=ListMetadataFormats')).ListMetadataFormats.metadataFormat.metadataPrefix).toBe('oai_dc');
    const id = `oai:127.0.0.1:${encodeURIComponent(all[0]!.id)}`;
    expect((await oai(`verb=ListMetadataFormats&identifier=${encodeURIComponent(id)}`)).ListMetadataFormats).toBeDefined();
    expect(errorCodes(await oai('verb=ListMetadataFormats&identifier=oai:127.0.0.1:nope'))).toEqual(['idDoesNotExist']);
  });

  it('lists sets by type and theme, each with records in it', async () => {
    const sets = (await oai('verb=ListSets')).ListSets.set.map((s: Xml) => s.setSpec[0]);
    expect(sets).toEqual(expect.arrayContaining(['type', 'theme', 'type:report', 'type:policy-brief']));
    const themes = sets.filter((s: string) => s.startsWith('theme:'));
    expect(themes.length).toBeGreaterThan(3);
    const theme = themes[0] as string;
    const listed = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&set=${theme}`);
    const expected = all.filter((d) => d.themes.includes(theme.slice('theme:'.length)));
    expect(listed.ListIdentifiers.header.length).toBe(Math.min(expected.length, PAGE));
    for (const h of listed.ListIdentifiers.header) expect(h.setSpec).toContain(theme);
  });

  it('pages ListRecords through resumption tokens with completeListSize and cursor, every record once', async () => {
    let body = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    const seen: string[] = [];
    const cursors: number[] = [];
    for (;;) {
      seen.push(...body.ListRecords.record.map((r: Xml) => r.header[0].identifier[0]));
      const token = body.ListRecords.resumptionToken;
      expect(Number(token['@completeListSize'])).toBe(all.length);
      cursors.push(Number(token['@cursor']));
      const text = typeof token === 'string' ? token : (token['#text'] ?? '');
      if (text === '') break;
      body = await oai(`verb=ListRecords&resumptionToken=${encodeURIComponent(text)}`);
    }
    expect(seen).toEqual(all.map((d) => `oai:127.0.0.1:${encodeURIComponent(d.id)}`));
    expect(cursors).toEqual(cursors.map((_, i) => i * PAGE));
  });

  it('returns one record with its Dublin Core, escaped as XML', async () => {
    const doc = all.find((d) => d.title.includes('<em>')) ?? all[0]!;
    const body = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(`oai:127.0.0.1:${encodeURIComponent(doc.id)}`)}`);
    const record = body.GetRecord.record[0];
    expect(record.header[0].datestamp).toBe(doc.changed);
    expect(record.metadata.dc.title).toBe(doc.title);
  });

  it('selects by datestamp: from/until inclusive, at either granularity', async () => {
    const stamp = all[all.length - 1]!.changed;
    const day = stamp.slice(0, 10);
    const same = all.filter((d) => d.changed === stamp).length;
    const bySecond = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${stamp}&until=${stamp}`);
    const count = (b: Xml) => Number(b.ListIdentifiers.resumptionToken?.['@completeListSize'] ?? b.ListIdentifiers.header.length);
    expect(count(bySecond)).toBe(same);
    expect(count(await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${day}&until=${day}`))).toBe(all.filter((d) => d.changed.startsWith(day)).length);
    expect(errorCodes(await oai('verb=ListRecords&metadataPrefix=oai_dc&until=2000-01-01'))).toEqual(['noRecordsMatch']);
  });

  it.each([
    ['no verb', '', 'badVerb'],
    ['an unknown verb', 'verb=Harvest', 'badVerb'],
    ['a repeated verb', 'verb=Identify&verb=Identify', 'badVerb'],
    ['an argument the verb does not take', 'verb=Identify&set=x', 'badArgument'],
    ['a missing metadataPrefix', 'verb=ListRecords', 'badArgument'],
    ['a missing identifier', 'verb=GetRecord&metadataPrefix=oai_dc', 'badArgument'],
    ['a token with other arguments', 'verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc', 'badArgument'],
    ['a bad date', 'verb=ListRecords&metadataPrefix=oai_dc&from=2021-02-30', 'badArgument'],
    ['mixed granularities', 'verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2022-01-01T00:00:00Z', 'badArgument'],
    ['from after until', 'verb=ListRecords&metadataPrefix=oai_dc&from=2022-01-01&until=2021-01-01', 'badArgument'],
    ['an unknown format', 'verb=ListRecords&metadataPrefix=marc21', 'cannotDisseminateFormat'],
    ['an unknown format for a record', 'verb=GetRecord&metadataPrefix=mods&identifier=oai:127.0.0.1:x', 'idDoesNotExist'],
    ['an unknown identifier', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:x', 'idDoesNotExist'],
    ['a forged token', 'verb=ListRecords&resumptionToken=eyJ2IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAA', 'badResumptionToken'],
    ['a token for ListSets', 'verb=ListSets&resumptionToken=abc', 'badResumptionToken'],
    ['an unknown set', 'verb=ListRecords&metadataPrefix=oai_dc&set=type:no-such-type', 'noRecordsMatch'],
  ])('answers %s with %s', async (_what, qs, code) => {
    const body = await oai(qs);
    expect(errorCodes(body)).toContain(code);
    expect(body.ListRecords).toBeUndefined();
    // badVerb and badArgument echo no arguments in <request>.
    if (code === 'badVerb' || code === 'badArgument') expect(body.request['@verb']).toBeUndefined();
  });

  it('refuses a token whose signature does not match its content', async () => {
    const first = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    const token: string = first.ListRecords.resumptionToken['#text'];
    const [payload, signature] = token.split('.');
    const state = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const edited = Buffer.from(JSON.stringify({ ...state, cursor: 0 })).toString('base64url');
    expect(errorCodes(await oai(`verb=ListRecords&resumptionToken=${edited}.${signature}`))).toEqual(['badResumptionToken']);
  });

  it('accepts POST with form-encoded arguments, as the protocol allows', async () => {
    const res = await request(provider.app).post('/oai').type('form').send('verb=Identify').expect(200);
    expect(parser.parse(res.text)['OAI-PMH'].Identify.repositoryName).toBe('Corridor');
  });
});

describeWithPython('OAI-PMH read by Sickle', ['sickle'], () => {
  it('harvests every record, the sets and one record by identifier', async () => {
    const read = await readWithPython<{
      identify: Record<string, string>;
      formats: string[];
      sets: { spec: string }[];
      records: { identifier: string; datestamp: string; setSpecs: string[]; metadata: Record<string, string[]> }[];
      identifiers: string[];
      getRecord: { identifier: string; metadata: Record<string, string[]> };
    }>('harvest_oai.py', [`${server.url}/oai`]);
    expect(read.identify).toMatchObject({ repositoryName: 'Corridor', protocolVersion: '2.0', baseURL: `${server.url}/oai` });
    expect(read.formats).toEqual(['oai_dc']);
    expect(read.records).toHaveLength(all.length);
    expect(read.identifiers).toEqual(read.records.map((r) => r.identifier));
    for (const [i, r] of read.records.entries()) {
      const doc = all[i]!;
      expect(r.datestamp).toBe(doc.changed);
      expect(r.metadata.title).toEqual([doc.title]);
      expect(r.metadata.creator ?? []).toEqual(doc.authors);
      expect(r.metadata.language ?? []).toEqual(doc.languages);
    }
    expect(read.getRecord.identifier).toBe(read.records[0]!.identifier);
    const report = await readWithPython<{ records: unknown[] }>('harvest_oai.py', [`${server.url}/oai`, 'type:report']);
    expect(report.records).toHaveLength(all.filter((d) => d.type === 'Report').length);
  });
});

describe('one Corridor harvested by another through its OAI-PMH source', () => {
  it('gives the same records', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-oai-peer-'));
    const harvester = openSqliteBackend({ dataDir, labels: vocab });
    try {
      // As docs/sources.md says for a Corridor peer: its subjects are keywords and themes.
      const peer = { id: 'peer', kind: 'oai-pmh', location: `${server.url}/oai`, mapping: { themes: 'dc:subject' } };
      const sources = parseSourcesConfig({ sources: [peer] }, dataDir);
      const summary = await runIngest({ sources, admin: harvester.admin, prepare: recordPreparer(vocab), mode: 'full', maxRejectRate: 0, maxDropShare: 1 });
      expect(summary).toMatchObject({ outcome: 'succeeded', counts: { rejected: 0, indexed: all.length, documents: all.length } });
      for (const doc of all) {
        const copy = await harvester.engine.get(`peer:oai:127.0.0.1:${encodeURIComponent(doc.id)}`);
        expect(copy).not.toBeNull();
        const same = (d: ResourceDocument) => ({
          title: d.title,
          abstract: d.abstract,
          authors: d.authors,
          publisher: d.publisher,
          publishers: d.publishers,
          published: d.published,
          year: d.year,
          type: d.type,
          languages: d.languages,
          doi: d.doi,
          countries: d.countries,
          regions: d.regions,
          themes: d.themes,
        });
        expect({ id: doc.id, ...same(copy!) }).toEqual({ id: doc.id, ...same(doc) });
        // A record without a link of its own gets this Corridor's page; the others keep theirs.
        expect(copy!.url).toBe(doc.url ?? `${server.url}/resources/${encodeURIComponent(doc.id)}`);
        // Themes travel as subjects, so they come back as keywords too.
        expect(copy!.keywords).toEqual(expect.arrayContaining(doc.keywords));
      }
    } finally {
      await harvester.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('resumption tokens and index generations', () => {
  it('refuses a token once the library was rebuilt, since the list it continues no longer exists', async () => {
    const first = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc');
    const token: string = first.ListIdentifiers.resumptionToken['#text'];
    expect(errorCodes(await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`))).toEqual([]);
    await ingestFiles(provider.backend.admin, [SAMPLE_DATA], { source: 'sample' });
    // The SQLite engine notices a new generation within a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`);
    expect(errorCodes(after)).toEqual(['badResumptionToken']);
    // Nothing changed in the records, so their datestamps did not either: a harvester loses nothing.
    const relisted = await provider.search.listChanges({ limit: 1000 });
    expect(relisted.documents.map((d) => [d.id, d.changed])).toEqual(all.map((d) => [d.id, d.changed]));
  });
});
