/**
 * `corridor export`: the live index as NDJSON records that ingest back into the same documents,
 * on the same engine and across engines (embedded → Elasticsearch: the documented migration).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteBackend } from '../../src/backends/sqlite';
import type { IndexAdmin, SearchEngine } from '../../src/search/ports';
import type { ResourceDocument } from '../../src/search/types';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { engineDocuments, exportCommand, toRecord } from '../../indexer/export';
import { ingestFiles, SAMPLE_DATA } from '../support/test-app';
import { describeWithElasticsearch, openTestBackend } from '../support/elasticsearch';

const vocab = loadVocabulary();

async function ingest(admin: IndexAdmin, inputs: string[], source?: string): Promise<void> {
  await ingestFiles(admin, inputs, { source });
}

async function all(engine: SearchEngine): Promise<Map<string, ResourceDocument>> {
  const docs = new Map<string, ResourceDocument>();
  for await (const doc of engineDocuments(engine)) docs.set(doc.id, doc);
  return docs;
}

/** A document as the record format carries it (the source id and the index's datestamp are not part of it). */
function comparable(doc: ResourceDocument): ResourceDocument {
  const { source, changed, ...rest } = doc;
  void source;
  void changed;
  return rest as ResourceDocument;
}

describe('export', () => {
  let dir: string;
  let exported: string;
  let original: Map<string, ResourceDocument>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-export-'));
    const source = openSqliteBackend({ dataDir: path.join(dir, 'source'), labels: vocab });
    await ingest(source.admin, [SAMPLE_DATA], 'sample');
    original = await all(source.engine);
    exported = path.join(dir, 'export.ndjson');
    const count = await exportCommand(source.engine, exported);
    expect(count).toBe(original.size);
    await source.close();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes one record per document, in the record format, with the tags the source gave', () => {
    const lines = fs.readFileSync(exported, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(original.size);
    expect(fs.existsSync(`${exported}.partial`)).toBe(false);
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(Object.keys(first).every((k) => ['id', 'title', 'abstract', 'url', 'publisher', 'authors', 'published', 'type', 'language', 'countries', 'regions', 'themes', 'keywords'].includes(k))).toBe(true);
    const doc = original.get(String(first.id));
    expect(first.countries ?? []).toEqual(doc?.tagging.countries.given);
  });

  it('rebuilds the same documents when ingested again', async () => {
    const target = openSqliteBackend({ dataDir: path.join(dir, 'target'), labels: vocab });
    try {
      await ingest(target.admin, [exported]);
      const copy = await all(target.engine);
      expect(copy.size).toBe(original.size);
      for (const [id, doc] of original) expect(comparable(copy.get(id)!)).toEqual(comparable(doc));
    } finally {
      await target.close();
    }
  });

  it('leaves out empty fields', () => {
    expect(toRecord({ id: 'x', title: 'T', authors: [], publishers: [], languages: [], countries: [], regions: [], groupings: [], themes: [], corridors: [], keywords: [], tagging: {
      countries: { given: [], found: [] }, regions: { given: [], found: [], derived: [] }, themes: { given: [], found: [] } } })).toEqual({ id: 'x', title: 'T' });
  });

  describeWithElasticsearch('to Elasticsearch', (settings) => {
    it('migrates an embedded index to Elasticsearch, and back out through the scroll export', async () => {
      const es = openTestBackend(settings, 'export');
      try {
        await ingest(es.admin, [exported]);
        const copy = await all(es.engine);
        expect(copy.size).toBe(original.size);
        for (const [id, doc] of original) expect(comparable(copy.get(id)!)).toEqual(comparable(doc));
      } finally {
        await es.cleanup();
      }
    });
  });
});
