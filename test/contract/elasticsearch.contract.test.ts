/**
 * The engine contract suite against a real Elasticsearch (see test/support/elasticsearch.ts for
 * how it is enabled), and the lease store and run history that live in the cluster.
 */
import { describeEngineContract, query } from './engine-contract';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import type { Client } from '@elastic/elasticsearch';
import { deletePrefix, describeWithElasticsearch, openTestBackend, testClient, uniquePrefix } from '../support/elasticsearch';
import { ElasticsearchLeaseStore } from '../../src/backends/elasticsearch/es-lease';
import { ElasticsearchRunHistory } from '../../src/backends/elasticsearch/es-run-history';
import { describeLeaseStoreContract } from './lease-store-contract';
import { describeRunHistoryContract } from './run-history-contract';

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
        expect(await backend.engine.count({ query: query('migration'), analysed: analyseQuery(vocab, 'migration') })).toBe(0);
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

  describeLeaseStoreContract('Elasticsearch', async () => {
    const prefix = uniquePrefix('lease');
    const clients: Client[] = [];
    return {
      open: (now) => {
        const client = testClient(settings);
        clients.push(client);
        return new ElasticsearchLeaseStore(client, `${prefix}-jobs`, { now });
      },
      async cleanup() {
        const client = testClient(settings);
        await deletePrefix(client, prefix);
        await Promise.all([client, ...clients].map((c) => c.close()));
      },
    };
  });

  describeRunHistoryContract('Elasticsearch', async () => {
    const prefix = uniquePrefix('history');
    const clients: Client[] = [];
    const connect = () => {
      const client = testClient(settings);
      clients.push(client);
      return client;
    };
    return {
      open: () => new ElasticsearchRunHistory(connect(), `${prefix}-runs`),
      leases: new ElasticsearchLeaseStore(connect(), `${prefix}-jobs`),
      async cleanup() {
        const client = testClient(settings);
        await deletePrefix(client, prefix);
        await Promise.all([client, ...clients].map((c) => c.close()));
      },
    };
  });
});
