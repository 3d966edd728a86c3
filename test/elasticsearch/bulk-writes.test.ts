/**
 * The Elasticsearch writer on a real server, through the client's bulk helper: with several bulk
 * requests in flight, the last write of an id must still be the one kept (the IndexWriter port's
 * "same id: the last one wins"), deletes must not be overtaken, and a generation is built
 * without refreshes or replicas, then goes live refreshed, synced and merged.
 */
import type { Client } from '@elastic/elasticsearch';
import { ElasticsearchAdmin } from '../../src/backends/elasticsearch/es-admin';
import { indexNames } from '../../src/backends/elasticsearch/names';
import type { IndexWriter } from '../../src/search/ports';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { makeDocument } from '../contract/contract-documents';
import { describeWithElasticsearch, openTestBackend, testClient, type TestBackend } from '../support/elasticsearch';

const vocab = loadVocabulary();

describeWithElasticsearch('Elasticsearch bulk writes', (settings) => {
  let backend: TestBackend;
  let client: Client;
  let admin: ElasticsearchAdmin;

  beforeAll(() => {
    backend = openTestBackend(settings, 'bulk');
    client = testClient(settings);
    // One operation per request and four requests at once: the order they land in is not the
    // order they were sent in.
    admin = new ElasticsearchAdmin({
      client,
      names: indexNames(backend.prefix),
      labels: vocab,
      index: { shards: 1, replicas: 0 },
      bulk: { flushBytes: 1, concurrency: 4 },
      forceMerge: true,
    });
  });
  afterAll(async () => {
    await backend?.cleanup();
    await client?.close();
  });

  const settingsOf = async (index: string) => {
    const response = await client.indices.getSettings({ index, flat_settings: true });
    return response[index]?.settings as Record<string, string>;
  };

  it('keeps the last write of an id, whatever order concurrent requests land in, and never lets a delete be overtaken', async () => {
    const writer: IndexWriter = await admin.openWriter({ mode: 'full', runId: 'bulk-order' });
    for (let version = 1; version <= 40; version++) {
      await writer.write([makeDocument({ id: 'same', title: `Version ${version} of a much revised report` }), makeDocument({ id: `other-${version}`, title: 'Another report' })]);
    }
    await writer.write([makeDocument({ id: 'gone', title: 'Written, deleted, written again' })]);
    expect(await writer.delete(['gone', 'never-written'])).toBe(1);
    await writer.write([makeDocument({ id: 'gone', title: 'Written again after its delete' })]);
    await writer.write([makeDocument({ id: 'deleted', title: 'Deleted for good' })]);
    expect(await writer.delete(['deleted'])).toBe(1);

    const generation = (writer as unknown as { generation: string }).generation;
    const building = await settingsOf(generation);
    expect(building).toMatchObject({ 'index.refresh_interval': '-1', 'index.number_of_replicas': '0', 'index.translog.durability': 'async' });

    const result = await writer.commit({ runId: 'bulk-order', maxDropShare: 1 });
    expect(result.documents).toBe(42);
    expect((await backend.engine.get('same'))?.title).toBe('Version 40 of a much revised report');
    expect((await backend.engine.get('gone'))?.title).toBe('Written again after its delete');
    expect(await backend.engine.get('deleted')).toBeNull();

    // Live: searchable, synced, and (CORRIDOR_ES_FORCE_MERGE) merged into one segment.
    const live = await settingsOf(generation);
    expect(live).toMatchObject({ 'index.refresh_interval': '1s', 'index.number_of_replicas': '0', 'index.translog.durability': 'request' });
    const segments = await client.indices.segments({ index: generation });
    const shards = Object.values(segments.indices[generation]?.shards ?? {}).flat();
    expect(shards.map((shard) => shard.num_search_segments)).toEqual([1]);
  });

  it('fails the build, naming the document, when Elasticsearch refuses one, and commits nothing', async () => {
    const before = await backend.engine.status();
    const writer = await admin.openWriter({ mode: 'full', runId: 'bulk-refused' });
    // A document Elasticsearch refuses whatever the mapping: its JSON is not an object.
    await writer.encoded!.write([{ id: 'broken', payload: { json: '"not a document"', hash: 'x' } }]);
    await expect(writer.commit({ runId: 'bulk-refused', maxDropShare: 1 })).rejects.toThrow(/refused 1 document\(s\): broken: /);
    await writer.abort();
    expect(await backend.engine.status()).toEqual(before);
  });
});
