/**
 * Shared by the tests that need a real Elasticsearch. They run when CORRIDOR_ES_URL is set
 * (`npm run es:start` prints it; `source /var/tmp/corridor-es/env`), and are reported as skipped,
 * with the reason, otherwise; in CI (CI=true) a missing server fails the run (support/skip.ts).
 */
import crypto from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { openElasticsearchBackend, type ElasticsearchBackend, type ElasticsearchOptions } from '../../src/backends/elasticsearch';
import { describeIfAvailable } from './skip';

export const HOW_TO_ENABLE =
  'Set CORRIDOR_ES_URL (and CORRIDOR_ES_USERNAME / CORRIDOR_ES_PASSWORD) to run it; ' +
  '`npm run es:start` starts a test server and prints them (source /var/tmp/corridor-es/env).';

/** Connection settings from the environment; undefined when there is no server. */
export function elasticsearchFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<ElasticsearchOptions, 'indexPrefix'> | undefined {
  const url = env.CORRIDOR_ES_URL?.trim();
  if (!url) return undefined;
  return {
    url,
    username: env.CORRIDOR_ES_USERNAME || undefined,
    password: env.CORRIDOR_ES_PASSWORD || undefined,
    apiKey: env.CORRIDOR_ES_API_KEY || undefined,
    caCertPath: env.CORRIDOR_ES_CA_CERT || undefined,
    shards: 1,
    replicas: 0,
    timeoutMs: Number(env.CORRIDOR_ES_TIMEOUT_MS) || 10_000,
  };
}

/** Stands in for the settings while a skipped suite's tests are declared (they never run). */
const UNUSED: Omit<ElasticsearchOptions, 'indexPrefix'> = { url: 'http://127.0.0.1:9', shards: 1, replicas: 0, timeoutMs: 1 };

/**
 * describe() when a server is configured. Without one the suite is reported as skipped, with
 * the reason and how to enable it; under CI a missing server fails the run.
 */
export function describeWithElasticsearch(name: string, body: (settings: Omit<ElasticsearchOptions, 'indexPrefix'>) => void): void {
  const settings = elasticsearchFromEnv();
  describeIfAvailable(settings ? undefined : 'CORRIDOR_ES_URL is not set', name, () => body(settings ?? UNUSED), HOW_TO_ENABLE);
}

/** An index prefix no other test file or run shares. */
export function uniquePrefix(label: string): string {
  return `corridor-test-${label}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`.toLowerCase();
}

export function testClient(settings: Omit<ElasticsearchOptions, 'indexPrefix'>, url = settings.url): Client {
  return new Client({
    node: url,
    auth: settings.username ? { username: settings.username, password: settings.password ?? '' } : undefined,
    requestTimeout: 30_000,
  });
}

/** Deletes every index of a prefix (by name: wildcard deletes are refused by default). */
export async function deletePrefix(client: Client, prefix: string): Promise<void> {
  const indices = Object.keys(await client.indices.get({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true }));
  if (indices.length > 0) await client.indices.delete({ index: indices, ignore_unavailable: true });
}

export interface TestBackend extends ElasticsearchBackend {
  prefix: string;
  cleanup(): Promise<void>;
}

export function openTestBackend(settings: Omit<ElasticsearchOptions, 'indexPrefix'>, label: string, extra: Partial<ElasticsearchOptions> = {}): TestBackend {
  const prefix = uniquePrefix(label);
  const backend = openElasticsearchBackend({ ...settings, indexPrefix: prefix, ...extra }, loadVocabulary());
  return {
    ...backend,
    prefix,
    async cleanup() {
      const client = testClient(settings);
      try {
        await deletePrefix(client, prefix);
      } finally {
        await client.close();
        await backend.engine.close();
      }
    },
  };
}
