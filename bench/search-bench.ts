/**
 * npm run bench [-- --records 100000] [--requests 1000]
 *
 * Prints ingest throughput (records/s, including validation and analysis), search latency
 * through the JSON API (p50/p95/p99) for a fixed mix of queries with and without filters, the
 * engine's own time for the same queries, and peak memory.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { openSqliteBackend, SqliteSearchEngine } from '../src/backends/sqlite';
import { analyseQuery } from '../src/search/query-analyser';
import { SearchService } from '../src/search/search-service';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import { createApp } from '../src/web/app';
import { fileInput } from '../indexer/file-inputs';
import { runIngest } from '../indexer/ingest-job';
import { recordPreparer } from '../indexer/prepare';
import { ensureCorpus } from './corpus';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
  return n;
}

/** The fixed query mix: free text, phrases, names the analysers expand, filters, browsing, deep pages. */
export const QUERY_MIX: { label: string; params: string }[] = [
  { label: 'word', params: 'q=migration' },
  { label: 'word', params: 'q=refugees' },
  { label: 'word', params: 'q=health' },
  { label: 'word', params: 'q=earthquake' },
  { label: 'words', params: 'q=food+security' },
  { label: 'words', params: 'q=labour+migration+asia' },
  { label: 'words', params: 'q=domestic+workers' },
  { label: 'phrase', params: 'q=%22technical+assistance%22' },
  { label: 'country name', params: 'q=Burma' },
  { label: 'demonym', params: 'q=Afghan+refugees' },
  { label: 'region', params: 'q=ASEAN' },
  { label: 'exclusion', params: 'q=flood+-Pakistan' },
  { label: 'rare', params: 'q=remittances' },
  { label: 'typo', params: 'q=refugess' },
  { label: 'word+filter', params: 'q=refugees&country=SDN' },
  { label: 'word+filters', params: 'q=water&type=Report&from=2000&to=2014' },
  { label: 'word+filter', params: 'q=agriculture&language=en' },
  { label: 'browse', params: '' },
  { label: 'browse+filter', params: 'country=AFG' },
  { label: 'browse+filters', params: 'country=SOM&country=ETH&from=2005' },
  { label: 'browse+filter', params: 'region=saarc' },
  { label: 'sort', params: 'q=cholera&sort=newest' },
  { label: 'page', params: 'q=emergency&page=5' },
  { label: 'size', params: 'q=children&size=100' },
];

function get(agent: http.Agent, port: number, pathAndQuery: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathAndQuery, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(6);
  return `p50 ${f(percentile(s, 50))} ms  p95 ${f(percentile(s, 95))} ms  p99 ${f(percentile(s, 99))} ms  (n=${s.length})`;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function main(): Promise<void> {
  const records = arg('records', 100_000);
  const requests = arg('requests', 1200);
  const vocab = loadVocabulary();
  console.log(`Corridor benchmark: ${records.toLocaleString('en')} records, ${requests} requests, ${os.cpus().length} cores, Node ${process.version}`);

  const corpusStart = Date.now();
  const corpus = await ensureCorpus(records);
  console.log(`corpus: ${path.relative(process.cwd(), corpus.file)} (${corpus.real ? 'real records from ../shared/data, repeated with variations' : 'synthetic'}) ready in ${((Date.now() - corpusStart) / 1000).toFixed(1)} s`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-'));
  const backend = openSqliteBackend({ dataDir, labels: vocab });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const ingestStart = performance.now();
    const summary = await runIngest({
      inputs: [fileInput(corpus.file)],
      admin: backend.admin,
      prepare: recordPreparer(vocab),
      maxRejectRate: 0.2,
      maxDropShare: 1,
      batchSize: 2000,
    });
    const seconds = (performance.now() - ingestStart) / 1000;
    const fileSize = fs.statSync(path.join(dataDir, 'index', fs.readdirSync(path.join(dataDir, 'index')).find((f) => f.endsWith('.sqlite'))!)).size;
    console.log(
      `ingest (sqlite): ${summary.read.toLocaleString('en')} read, ${summary.indexed.toLocaleString('en')} indexed, ${summary.rejected} rejected in ${seconds.toFixed(1)} s = ${Math.round(summary.read / seconds).toLocaleString('en')} records/s; index file ${mb(fileSize)}`,
    );

    const search = new SearchService(backend.engine, (text) => analyseQuery(vocab, text));
    // What a freshly started web process pays before its first answer.
    const cold = new SqliteSearchEngine(dataDir);
    const openStart = performance.now();
    await cold.status();
    console.log(`open index in a new process (facet arrays loaded): ${(performance.now() - openStart).toFixed(0)} ms`);
    await cold.close();
    const app = createApp({ search, labels: vocab, logger: pino({ level: 'silent' }), config: {} });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    for (let i = 0; i < 2 * QUERY_MIX.length; i++) await get(agent, port, `/api/search?${QUERY_MIX[i % QUERY_MIX.length].params}`);

    const all: number[] = [];
    const filtered: number[] = [];
    const unfiltered: number[] = [];
    const byLabel = new Map<string, number[]>();
    for (let i = 0; i < requests; i++) {
      const q = QUERY_MIX[i % QUERY_MIX.length];
      const t0 = performance.now();
      const res = await get(agent, port, `/api/search?${q.params}`);
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`/api/search?${q.params} answered ${res.status}: ${res.body.slice(0, 200)}`);
      all.push(ms);
      (/(country|type|language|region|from)=/.test(q.params) ? filtered : unfiltered).push(ms);
      byLabel.set(q.label, [...(byLabel.get(q.label) ?? []), ms]);
    }
    console.log(`search via JSON API, whole mix:  ${stats(all)}`);
    console.log(`  without filters:               ${stats(unfiltered)}`);
    console.log(`  with filters:                  ${stats(filtered)}`);
    for (const [label, values] of byLabel) console.log(`    ${label.padEnd(16)} ${stats(values)}`);

    // The engine's own time for the same queries, to show the portal's overhead.
    const engineTimes: number[] = [];
    const { parseSearchParams } = await import('../src/search/params');
    for (let i = 0; i < requests; i++) {
      const q = QUERY_MIX[i % QUERY_MIX.length];
      const parsed = parseSearchParams(Object.fromEntries(new URLSearchParams(q.params)));
      if (!parsed.ok) throw new Error(`bad bench query ${q.params}`);
      const t0 = performance.now();
      await backend.engine.search({ query: parsed.query, analysed: analyseQuery(vocab, parsed.query.text) });
      engineTimes.push(performance.now() - t0);
    }
    console.log(`engine alone (in process):       ${stats(engineTimes)}`);
    agent.destroy();
    await new Promise((r) => server.close(r));
  } finally {
    clearInterval(sampler);
    await backend.engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  console.log(`peak memory (RSS): ${mb(peakRss)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
