/**
 * A new generation is warmed right after it goes live: the first visitor's home page, and a first
 * click on one of the values it lists, are answered from the shard request cache instead of
 * counting every facet over the whole library. Read from Elasticsearch's own request-cache
 * statistics on a real server.
 */
import type { Client } from '@elastic/elasticsearch';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { describeWithElasticsearch, openTestBackend, testClient, type TestBackend } from '../support/elasticsearch';
import { contractDocuments } from '../contract/contract-documents';
import { query } from '../contract/engine-contract';
import type { SearchQuery } from '../../src/search/types';

const vocab = loadVocabulary();

describeWithElasticsearch('Elasticsearch warm-up after a commit', (settings) => {
  let backend: TestBackend;
  let client: Client;

  beforeAll(async () => {
    backend = openTestBackend(settings, 'warmup');
    client = testClient(settings);
  });
  afterAll(async () => {
    await client?.close();
    await backend?.cleanup();
  });

  async function cacheHits(index: string): Promise<{ hits: number; misses: number }> {
    const stats = await client.indices.stats({ index, metric: ['request_cache'] });
    const cache = stats._all.primaries?.request_cache;
    return { hits: cache?.hit_count ?? 0, misses: cache?.miss_count ?? 0 };
  }

  async function visit(q: SearchQuery, index: string): Promise<{ hits: number; misses: number }> {
    const before = await cacheHits(index);
    await backend.engine.search({ query: q, analysed: analyseQuery(vocab, q.text) });
    const after = await cacheHits(index);
    return { hits: after.hits - before.hits, misses: after.misses - before.misses };
  }

  it("answers the home page and its listed values from the cache from the first visit on", async () => {
    const writer = await backend.admin.openWriter({ mode: 'full' });
    await writer.write(contractDocuments);
    const { generation } = await writer.commit({ runId: 'warm-up', maxDropShare: 1 });
    await backend.warmer.idle();
    expect(backend.warmer.last).toMatchObject({ generation });
    expect(backend.warmer.last!.searches).toBeGreaterThan(10);
    // Past the live generation's first scheduled refresh (every second): it must not discard the
    // cache the warm-up filled.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // The first visitor: the home page (any page size or order: the counts are the same search).
    expect(await visit(query('', { size: 50 }), generation)).toEqual({ hits: 1, misses: 0 });
    // A first click on a country the home page lists.
    const home = await backend.engine.search({ query: query(''), analysed: analyseQuery(vocab, '') });
    const country = home.facets.country[0]!.value;
    expect(await visit(query('', { filters: { country: [country] } }), generation)).toEqual({ hits: 1, misses: 0 });
    // A search nobody warmed is counted on its first run, and cached from then on.
    const words = query('recruitment', { filters: { type: ['Report'] } });
    expect(await visit(words, generation)).toEqual({ hits: 0, misses: 1 });
    expect(await visit(words, generation)).toEqual({ hits: 1, misses: 0 });
  });

  it('stops a warm-up in progress when the backend closes', async () => {
    const other = openTestBackend(settings, 'warmup-close');
    try {
      const writer = await other.admin.openWriter({ mode: 'full' });
      await writer.write(contractDocuments);
      await writer.commit({ runId: 'warm-up-close', maxDropShare: 1 });
      const started = Date.now();
      await other.warmer.stop(0);
      // The search under way finishes; none after it starts.
      expect(Date.now() - started).toBeLessThan(5000);
      expect(other.warmer.last?.searches ?? 0).toBeLessThan(10);
    } finally {
      await other.cleanup();
    }
  });
});
