/**
 * The engines the benchmark can measure, behind one small interface: the embedded engine in a
 * temporary data directory, or Elasticsearch (CORRIDOR_ES_URL …, as `npm run es:start` prints
 * them) under an index prefix of its own that is deleted afterwards. Each engine is wrapped so
 * that the engine's own time of every search (SQLite: measured in process; Elasticsearch: its
 * `took`) is recorded, to divide the portal's latency by it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openElasticsearchBackend } from '../src/backends/elasticsearch';
import { createClient } from '../src/backends/elasticsearch/client';
import { openSqliteBackend, SqliteSearchEngine } from '../src/backends/sqlite';
import { loadConfig } from '../src/config';
import type { EngineSearchRequest, IndexAdmin, SearchEngine } from '../src/search/ports';
import type { SearchResultPage } from '../src/search/types';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import { bareBulkHelper, type BareBulkFigures } from './bare-bulk';
import { bareElasticsearch, openBareFts5, type Peer } from './bare-peers';
import { indexNames } from '../src/backends/elasticsearch/names';

export type EngineKind = 'sqlite' | 'elasticsearch';

export interface BenchBackend {
  kind: EngineKind;
  engine: TookRecorder;
  admin: IndexAdmin;
  /** Index size and anything else worth printing after the ingest. */
  describe(): Promise<string>;
  /** Waits for what follows a commit in the background (Elasticsearch: the warm-up) and says what it did. */
  settle?(): Promise<string>;
  /** What a freshly started web process pays before its first answer (ms), when that means anything. */
  coldOpen?(): Promise<number>;
  /** The bare engine of the same kind, over the same corpus, to compare with (see bare-peers.ts). */
  openPeer(corpusFile: string): Promise<Peer>;
  /** The client's bulk helper alone loading the same corpus on the same node (see bare-bulk.ts). */
  bareIngest?(corpusFile: string): Promise<BareBulkFigures>;
  /**
   * Elasticsearch: empties the live index's shard request cache (the counts of searches seen
   * before), and with `queryCache` its node query cache too (filters' matches), so that the next
   * search computes them again.
   */
  clearCaches?(options: { queryCache: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** A SearchEngine that adds up the engine's own time (tookMs) of the searches made through it. */
export class TookRecorder implements SearchEngine {
  private total = 0;
  readonly name: string;

  constructor(private readonly inner: SearchEngine) {
    this.name = inner.name;
  }

  /** The engine time since the last call, and starts counting again. */
  takeTook(): number {
    const t = this.total;
    this.total = 0;
    return t;
  }

  async search(request: EngineSearchRequest): Promise<SearchResultPage> {
    const page = await this.inner.search(request);
    this.total += page.tookMs;
    return page;
  }
  count: SearchEngine['count'] = (request) => this.inner.count(request);
  facetValues: SearchEngine['facetValues'] = (request) => this.inner.facetValues(request);
  get: SearchEngine['get'] = (id) => this.inner.get(id);
  complete: SearchEngine['complete'] = (request) => this.inner.complete(request);
  related: SearchEngine['related'] = (request) => this.inner.related(request);
  listChanges: SearchEngine['listChanges'] = (request) => this.inner.listChanges(request);
  suggestWords: SearchEngine['suggestWords'] = (word, limit) => this.inner.suggestWords(word, limit);
  wordFrequency: SearchEngine['wordFrequency'] = (word) => this.inner.wordFrequency(word);
  status: SearchEngine['status'] = () => this.inner.status();
  health: SearchEngine['health'] = () => this.inner.health();
  close: SearchEngine['close'] = () => this.inner.close();
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

export function openSqliteBench(vocab: Vocabulary): BenchBackend {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-'));
  const backend = openSqliteBackend({ dataDir, labels: vocab });
  return {
    kind: 'sqlite',
    engine: new TookRecorder(backend.engine),
    admin: backend.admin,
    async describe() {
      const dir = path.join(dataDir, 'index');
      const file = fs.readdirSync(dir).find((f) => f.endsWith('.sqlite'));
      return `index file ${file ? mb(fs.statSync(path.join(dir, file)).size) : '?'}`;
    },
    async openPeer(corpusFile) {
      const peer = await openBareFts5(corpusFile, vocab);
      console.log(`bare FTS5 peer built from the same corpus in ${peer.buildSeconds.toFixed(1)} s`);
      return peer;
    },
    async coldOpen() {
      const cold = new SqliteSearchEngine(dataDir, vocab);
      const started = performance.now();
      await cold.status();
      const ms = performance.now() - started;
      await cold.close();
      return ms;
    },
    async close() {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function openElasticsearchBench(vocab: Vocabulary): BenchBackend {
  const config = loadConfig({ ...process.env, CORRIDOR_ENGINE: 'elasticsearch' });
  if (!config.elasticsearch.url) throw new Error('--engine elasticsearch needs CORRIDOR_ES_URL (npm run es:start prints it)');
  const prefix = `corridor-bench-${process.pid}`;
  const backend = openElasticsearchBackend(
    // A benchmark run must never touch a real index: its own prefix, deleted afterwards.
    { ...config.elasticsearch, indexPrefix: prefix, timeoutMs: Math.max(config.elasticsearch.timeoutMs, 30_000) },
    vocab,
  );
  const es = config.elasticsearch;
  const client = createClient({ nodes: [es.url ?? ''], username: es.username, password: es.password, apiKey: es.apiKey, caCertPath: es.caCertPath, timeoutMs: 60_000 });
  return {
    kind: 'elasticsearch',
    engine: new TookRecorder(backend.engine),
    admin: backend.admin,
    async openPeer() {
      return bareElasticsearch(client, indexNames(prefix).live);
    },
    async bareIngest(corpusFile) {
      return bareBulkHelper(client, `${prefix}-bare-bulk`, corpusFile, vocab, { shards: config.elasticsearch.shards, preload: config.elasticsearch.preload });
    },
    async clearCaches({ queryCache }) {
      await client.indices.clearCache({ index: indexNames(prefix).live, request: true, query: queryCache });
    },
    async settle() {
      await backend.warmer.idle();
      const last = backend.warmer.last;
      return last ? `warm-up after the commit: ${last.searches} searches in ${(last.ms / 1000).toFixed(1)} s` : 'no warm-up ran';
    },
    async describe() {
      const stats = await client.indices.stats({ index: `${prefix}-docs`, metric: ['store', 'docs'] });
      const nodes = await client.nodes.stats({ metric: ['jvm'] });
      const heaps = Object.values(nodes.nodes).map((n) => mb(n.jvm?.mem?.heap_used_in_bytes ?? 0));
      return `index ${mb(stats._all.primaries?.store?.size_in_bytes ?? 0)} (primaries), ${config.elasticsearch.shards} shard(s); Elasticsearch heap used ${heaps.join(', ')}`;
    },
    async close() {
      const indices = Object.keys(await client.indices.get({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true }));
      if (indices.length > 0) await client.indices.delete({ index: indices });
      await Promise.all([backend.engine.close(), client.close()]);
    },
  };
}
