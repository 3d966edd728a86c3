/**
 * The engine contract suite against a real Elasticsearch (see test/support/elasticsearch.ts for
 * how it is enabled), plus the Elasticsearch lease store.
 */
import { describeEngineContract, query } from './engine-contract';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { describeWithElasticsearch, openTestBackend, testClient, type TestBackend } from '../support/elasticsearch';
import { ElasticsearchLeaseStore } from '../../src/backends/elasticsearch/es-lease';
import { INGEST_LOCK } from '../../src/jobs/lease';

const vocab = loadVocabulary();

describeWithElasticsearch('Elasticsearch', (settings) => {
  describeEngineContract('Elasticsearch', async () => openTestBackend(settings, 'contract'));

  describe('before the first build', () => {
    it('answers as an empty library, not an error', async () => {
      const backend = openTestBackend(settings, 'empty');
      try {
        const page = await backend.engine.search({
          query: query('migration', { filters: { country: ['NPL'] } }),
          analysed: analyseQuery(vocab, 'migration'),
        });
        expect(page).toMatchObject({ total: 0, hits: [] });
        expect(page.facets.country).toEqual([{ value: 'NPL', count: 0, selected: true }]);
        expect(await backend.engine.get('x')).toBeNull();
        expect(await backend.engine.suggestWords('migrnts', 1)).toEqual([]);
        expect(await backend.engine.status()).toEqual({ engine: 'elasticsearch', documents: 0 });
        expect((await backend.engine.health()).ok).toBe(true);
        expect(await backend.admin.rollback()).toBe(false);
      } finally {
        await backend.cleanup();
      }
    });
  });

  describe('lease store', () => {
    let backend: TestBackend;
    let clock = 1_000_000;
    beforeAll(() => {
      backend = openTestBackend(settings, 'lease');
    });
    afterAll(async () => {
      await backend.cleanup();
    });

    it('gives the lease to one holder at a time, and to another once it expired or was released', async () => {
      const client = testClient(settings);
      const store = new ElasticsearchLeaseStore(client, `${backend.prefix}-jobs`, { now: () => clock });
      try {
        const first = await store.acquire(INGEST_LOCK, 'a', 10_000, 'cli (run-1)');
        expect(first.acquired).toBe(true);
        const second = await store.acquire(INGEST_LOCK, 'b', 10_000);
        expect(second).toEqual({ acquired: false, current: expect.objectContaining({ holder: 'a', owner: 'cli (run-1)' }) });
        expect((await store.current(INGEST_LOCK))?.holder).toBe('a');
        // Re-acquiring one's own lease renews it and keeps the acquisition time.
        clock += 5_000;
        const again = await store.acquire(INGEST_LOCK, 'a', 10_000);
        expect(again.acquired && again.lease.acquiredAt.getTime()).toBe(1_000_000);
        expect((await store.renew(INGEST_LOCK, 'a', 10_000))?.expiresAt.getTime()).toBe(clock + 10_000);
        expect(await store.renew(INGEST_LOCK, 'b', 10_000)).toBeNull();
        // Expired: another holder takes it over, and the old holder can no longer renew or release it.
        clock += 20_000;
        expect(await store.current(INGEST_LOCK)).toBeNull();
        expect((await store.acquire(INGEST_LOCK, 'b', 10_000)).acquired).toBe(true);
        expect(await store.renew(INGEST_LOCK, 'a', 10_000)).toBeNull();
        expect(await store.release(INGEST_LOCK, 'a')).toBe(false);
        expect(await store.release(INGEST_LOCK, 'b')).toBe(true);
        expect(await store.current(INGEST_LOCK)).toBeNull();
      } finally {
        await client.close();
      }
    });

    it('lets exactly one of several racing processes take a free lease', async () => {
      const clients = [0, 1, 2, 3, 4].map(() => testClient(settings));
      try {
        const stores = clients.map((c) => new ElasticsearchLeaseStore(c, `${backend.prefix}-jobs`, { now: () => clock }));
        const results = await Promise.all(stores.map((s, i) => s.acquire('race', `holder-${i}`, 60_000)));
        expect(results.filter((r) => r.acquired)).toHaveLength(1);
        const winner = results.find((r) => r.acquired);
        for (const r of results) if (!r.acquired) expect(r.current?.holder).toBe(winner?.acquired && winner.lease.holder);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    });
  });
});
