/**
 * npm run bench [-- --records 100000] [--requests 1000] [--engine sqlite|elasticsearch|both] [--ingest-only]
 *
 * Prints ingest throughput (records/s, including validation and analysis) and the peak memory of
 * the ingest (for Elasticsearch also the client's bulk helper alone on the same corpus and node,
 * and the ratio), search latency
 * through the JSON API (p50/p95/p99) for a fixed mix of queries with and without filters, the
 * engine's own time for the same queries, the portal's overhead (API latency divided by the
 * engine's own time) and peak memory. `--engine both` runs the embedded engine and then
 * Elasticsearch (CORRIDOR_ES_URL …, see `npm run es:start`) on the same corpus and prints the
 * figures side by side.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { analyseQuery } from '../src/search/query-analyser';
import { SearchService } from '../src/search/search-service';
import { loadVocabulary, type Vocabulary } from '../src/search/vocabulary/vocabulary';
import { createApp } from '../src/web/app';
import { ingestCorpus } from './ingest';
import { ensureCorpus } from './corpus';
import { get, percentile, QUERY_MIX, stats, typedPrefixes } from './measure';
import { openElasticsearchBench, openSqliteBench, type BenchBackend, type EngineKind } from './engines';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
  return n;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function engineKinds(): EngineKind[] {
  const i = process.argv.indexOf('--engine');
  const value = i < 0 ? 'sqlite' : process.argv[i + 1];
  if (value === 'both') return ['sqlite', 'elasticsearch'];
  if (value === 'sqlite' || value === 'elasticsearch') return [value];
  throw new Error('--engine takes sqlite, elasticsearch or both');
}

interface Figures {
  kind: EngineKind;
  ingestRate: number;
  /** Peak RSS of this process while the portal ingested (worker threads included). */
  ingestRss: number;
  /** Elasticsearch: the client's bulk helper alone on the same corpus (records/s). */
  bareIngestRate?: number;
  /** The first run of each query of the mix (no cache of any kind has seen it yet). */
  firstRuns: number[];
  all: number[];
  unfiltered: number[];
  filtered: number[];
  /** The engine alone, called in process (for Elasticsearch: including the client round trip). */
  engineAlone: number[];
  /** The engine's own time for each API request (SQLite: measured in process; Elasticsearch: `took`). */
  took: number[];
  /** Per request: latency through the portal / the engine's own time. */
  overhead: number[];
  /** The bare engine (bare-peers.ts) on the same query, run right after each API request. */
  peer: number[];
  peerName: string;
  peakRss: number;
}

/** Searches of none of the mix's words or filters (see the first-run pass). */
const PROCESS_WARM_UP = ['q=women+workers&country=NPL&from=2010', 'q=zzyzzxq', 'q=%22climate+change%22&sort=oldest', 'language=fr&page=2'];

async function benchEngine(bench: BenchBackend, corpusFile: string, requests: number, vocab: Vocabulary, ingestOnly: boolean): Promise<Figures> {
  const name = bench.kind;
  let peakRss = 0;
  let ingestRss = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    ingestRss = Math.max(ingestRss, rss);
  }, 50);
  try {
    let bareIngestRate: number | undefined;
    if (bench.bareIngest) {
      const bare = await bench.bareIngest(corpusFile);
      bareIngestRate = bare.documents / bare.seconds;
      console.log(
        `bulk helper alone (${name}): ${bare.documents.toLocaleString('en')} documents in ${bare.seconds.toFixed(1)} s = ${Math.round(bareIngestRate).toLocaleString('en')} records/s`,
      );
    }
    ingestRss = process.memoryUsage().rss;
    const rssBefore = ingestRss;
    const highWaterBefore = process.resourceUsage().maxRSS * 1024;
    const ingestStart = performance.now();
    const cpuStart = process.cpuUsage();
    const summary = await ingestCorpus(bench.admin, corpusFile, vocab);
    const { read, indexed, rejected } = summary.counts;
    const seconds = (performance.now() - ingestStart) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const ingestRate = read / seconds;
    // The sampler does not run while a commit holds the thread: the kernel's high-water mark
    // sees that too, when it rose during the ingest (an earlier engine's run may have set it).
    const highWater = process.resourceUsage().maxRSS * 1024;
    const peakDuringIngest = highWater > highWaterBefore ? highWater : ingestRss;
    console.log(
      `ingest (${name}): ${read.toLocaleString('en')} read, ${indexed.toLocaleString('en')} indexed, ${rejected} rejected in ${seconds.toFixed(1)} s = ${Math.round(ingestRate).toLocaleString('en')} records/s; peak RSS ${mb(peakDuringIngest)} (${mb(rssBefore)} before it); CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${os.loadavg()[0]!.toFixed(1)} load average); ${await bench.describe()}`,
    );
    if (bareIngestRate !== undefined) {
      console.log(`ingest through the portal / bulk helper alone (${name}): ${(ingestRate / bareIngestRate).toFixed(2)}x`);
    }
    if (ingestOnly) {
      return { kind: name, ingestRate, ingestRss: peakDuringIngest, bareIngestRate, firstRuns: [], all: [], unfiltered: [], filtered: [], engineAlone: [], took: [], overhead: [], peer: [], peerName: '', peakRss };
    }

    if (bench.settle) console.log(await bench.settle());
    const peer = await bench.openPeer(corpusFile);
    const search = new SearchService(bench.engine, (text) => analyseQuery(vocab, text), vocab);
    if (bench.coldOpen) console.log(`open index in a new process (facet arrays loaded): ${(await bench.coldOpen()).toFixed(0)} ms`);
    const app = createApp({ search, labels: vocab, logger: pino({ level: 'silent' }), config: {} });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    // A web process that has been serving meets a new generation with its own code warm: a few
    // searches that are not in the mix (and so leave its queries' caches cold) come first.
    for (const params of PROCESS_WARM_UP) await get(agent, port, `/api/search?${params}`);
    // Warm-up: the first pass is each query's first run, before any cache knows it.
    const firstRuns: number[] = [];
    for (let i = 0; i < 2 * QUERY_MIX.length; i++) {
      const t0 = performance.now();
      await get(agent, port, `/api/search?${QUERY_MIX[i % QUERY_MIX.length].params}`);
      if (i < QUERY_MIX.length) firstRuns.push(performance.now() - t0);
    }
    console.log(`first run of each query (${name}, cold caches; the web process served ${PROCESS_WARM_UP.length} other searches first): ${stats(firstRuns)}`);

    const all: number[] = [];
    const filtered: number[] = [];
    const unfiltered: number[] = [];
    const took: number[] = [];
    const overhead: number[] = [];
    const byLabel = new Map<string, number[]>();
    const peerTimes: number[] = [];
    const peerByLabel = new Map<string, number[]>();
    const byQuery = QUERY_MIX.map(() => [] as number[]);
    for (let i = 0; i < requests; i++) {
      const q = QUERY_MIX[i % QUERY_MIX.length];
      bench.engine.takeTook();
      const t0 = performance.now();
      const res = await get(agent, port, `/api/search?${q.params}`);
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`/api/search?${q.params} answered ${res.status}: ${res.body.slice(0, 200)}`);
      // The same query on the bare engine, right after, so load hits both alike.
      const p0 = performance.now();
      await peer.search(new URLSearchParams(q.params));
      const peerMs = performance.now() - p0;
      peerTimes.push(peerMs);
      peerByLabel.set(q.label, [...(peerByLabel.get(q.label) ?? []), peerMs]);
      // Every engine search the request made (no-results help makes more than one).
      const engineMs = bench.engine.takeTook();
      all.push(ms);
      byQuery[i % QUERY_MIX.length]!.push(ms);
      took.push(engineMs);
      overhead.push(ms / Math.max(engineMs, 0.1));
      (/(country|type|language|region|from)=/.test(q.params) ? filtered : unfiltered).push(ms);
      byLabel.set(q.label, [...(byLabel.get(q.label) ?? []), ms]);
    }
    console.log(`search via JSON API (${name}), whole mix:  ${stats(all)}`);
    console.log(`  without filters:               ${stats(unfiltered)}`);
    console.log(`  with filters:                  ${stats(filtered)}`);
    for (const [label, values] of byLabel) console.log(`    ${label.padEnd(16)} ${stats(values)}   ${peer.name} ${stats(peerByLabel.get(label) ?? [])}`);
    const p95 = (v: number[]) => percentile([...v].sort((a, b) => a - b), 95);
    console.log(`${peer.name} (same queries, interleaved):  ${stats(peerTimes)}`);
    console.log(`Corridor API p95 / ${peer.name} p95: ${(p95(all) / Math.max(p95(peerTimes), 0.01)).toFixed(2)}x`);
    if (name === 'elasticsearch') {
      // Issue 12's goal for Elasticsearch.
      const allowed = 1.2 * p95(peerTimes) + 5;
      console.log(`  goal API p95 <= 1.2 x ${peer.name} p95 + 5 ms = ${allowed.toFixed(1)} ms: ${p95(all) <= allowed ? 'met' : 'missed'} (${p95(all).toFixed(1)} ms)`);
    }
    // Each query's first run against its own warm time (the median of its later runs).
    const firstRatios = firstRuns.map((ms, i) => {
      const warm = median(byQuery[i] ?? []);
      return { ratio: ms / Math.max(warm, 0.1), label: `${QUERY_MIX[i]!.params || '(browse)'} ${ms.toFixed(1)}/${warm.toFixed(1)} ms` };
    });
    const ratios = firstRatios.map((r) => r.ratio).sort((a, b) => a - b);
    const worst = firstRatios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    console.log(
      `first run / warm median of the same query: median ${median(ratios).toFixed(2)}x, max ${worst.ratio.toFixed(2)}x (${worst.label}); ` +
        `${ratios.filter((r) => r <= 2).length} of ${ratios.length} within 2x`,
    );
    const over = firstRatios.filter((r) => r.ratio > 2);
    if (over.length > 0) console.log(`  over 2x (first/warm): ${over.map((r) => r.label).join('; ')}`);
    if (bench.clearCaches) {
      // The same queries again with caches emptied before each (the node and this process warm):
      // what a search costs when it is computed again, against its first run and its warm run.
      const warmMedians = byQuery.map((v) => median(v));
      const ratio = (a: number[], b: number[]) => median(a.map((v, i) => v / Math.max(b[i]!, 0.1))).toFixed(2);
      for (const queryCache of [false, true]) {
        const uncached: number[] = [];
        for (const q of QUERY_MIX) {
          await bench.clearCaches({ queryCache });
          const t0 = performance.now();
          await get(agent, port, `/api/search?${q.params}`);
          uncached.push(performance.now() - t0);
        }
        console.log(
          `${queryCache ? 'request and query caches' : 'request cache'} emptied before each query (${name}): ${stats(uncached)}; median ratios: ` +
            `first run / this ${ratio(firstRuns, uncached)}x, this / warm ${ratio(uncached, warmMedians)}x; first runs within 2x of this: ` +
            `${firstRuns.filter((v, i) => v <= 2 * uncached[i]!).length} of ${firstRuns.length}`,
        );
      }
    }

    // The engine's own time for the same queries, to show the portal's overhead.
    const engineAlone: number[] = [];
    const { parseSearchParams } = await import('../src/search/params');
    for (let i = 0; i < requests; i++) {
      const q = QUERY_MIX[i % QUERY_MIX.length];
      const parsed = parseSearchParams(Object.fromEntries(new URLSearchParams(q.params)));
      if (!parsed.ok) throw new Error(`bad bench query ${q.params}`);
      const t0 = performance.now();
      await bench.engine.search({ query: parsed.query, analysed: analyseQuery(vocab, parsed.query.text) });
      engineAlone.push(performance.now() - t0);
    }
    console.log(`engine alone (${name === 'sqlite' ? 'in process' : 'client round trip'}):       ${stats(engineAlone)}`);
    console.log(`engine's own time per request (${name === 'sqlite' ? 'measured in process' : 'Elasticsearch took'}): ${stats(took)}`);
    console.log(`portal overhead: API latency / engine's own time, median ${median(overhead).toFixed(2)}x; total ${(sum(all) / Math.max(sum(took), 0.1)).toFixed(2)}x`);

    // Suggestions as a visitor types: each prefix once (no cache has seen it), through the API.
    const typed = typedPrefixes(await sampleTitles(corpusFile, 80));
    const suggest: number[] = [];
    for (const text of typed) {
      const t0 = performance.now();
      const res = await get(agent, port, `/api/suggest?q=${encodeURIComponent(text)}`);
      suggest.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`/api/suggest?q=${text} answered ${res.status}`);
    }
    const slowest = Math.max(...suggest);
    console.log(`suggestions via JSON API (${name}), ${typed.length} prefixes typed from the corpus' titles: ${stats(suggest)}; slowest ${slowest.toFixed(1)} ms ("${typed[suggest.indexOf(slowest)]}")`);
    agent.destroy();
    await new Promise((r) => server.close(r));
    await peer.close();
    return { kind: name, ingestRate, ingestRss: peakDuringIngest, bareIngestRate, firstRuns, all, unfiltered, filtered, engineAlone, took, overhead, peer: peerTimes, peerName: peer.name, peakRss };
  } finally {
    clearInterval(sampler);
    await bench.close();
  }
}

/** `count` titles spread over the corpus' first records (real ones; later ones repeat them with variations). */
async function sampleTitles(corpusFile: string, count: number): Promise<string[]> {
  const titles: string[] = [];
  const rl = readline.createInterface({ input: fs.createReadStream(corpusFile), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    if (line++ % 97 !== 0) continue;
    const title = (JSON.parse(text) as { title?: unknown }).title;
    if (typeof title === 'string') titles.push(title);
    if (titles.length >= count) break;
  }
  rl.close();
  return titles;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** The figures of several engines in columns. */
function printSideBySide(figures: Figures[]): void {
  const q = (values: number[], p: number) => `${percentile([...values].sort((a, b) => a - b), p).toFixed(1)} ms`;
  const rows: [string, (f: Figures) => string][] = [
    ['ingest records/s', (f) => Math.round(f.ingestRate).toLocaleString('en')],
    ['  bulk helper alone records/s', (f) => (f.bareIngestRate === undefined ? '' : Math.round(f.bareIngestRate).toLocaleString('en'))],
    ['ingest peak RSS', (f) => mb(f.ingestRss)],
    ['API whole mix p50', (f) => q(f.all, 50)],
    ['API whole mix p95', (f) => q(f.all, 95)],
    ['API whole mix p99', (f) => q(f.all, 99)],
    ['API without filters p95', (f) => q(f.unfiltered, 95)],
    ['API with filters p95', (f) => q(f.filtered, 95)],
    ['API first runs p50 (cold)', (f) => q(f.firstRuns, 50)],
    ['API first runs p95 (cold)', (f) => q(f.firstRuns, 95)],
    ['engine alone p50', (f) => q(f.engineAlone, 50)],
    ['engine alone p95', (f) => q(f.engineAlone, 95)],
    ["engine's own time p50", (f) => q(f.took, 50)],
    ["engine's own time p95", (f) => q(f.took, 95)],
    ['overhead (API / own), median', (f) => `${median(f.overhead).toFixed(2)}x`],
    ['overhead (API / own), total', (f) => `${(sum(f.all) / Math.max(sum(f.took), 0.1)).toFixed(2)}x`],
    ['bare peer p95', (f) => q(f.peer, 95)],
    ['API p95 / bare peer p95', (f) => `${(percentile([...f.all].sort((a, b) => a - b), 95) / Math.max(percentile([...f.peer].sort((a, b) => a - b), 95), 0.01)).toFixed(2)}x`],
    ['peak RSS of this process', (f) => mb(f.peakRss)],
  ];
  console.log('');
  console.log(`${''.padEnd(30)}${figures.map((f) => f.kind.padStart(16)).join('')}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(30)}${figures.map((f) => value(f).padStart(16)).join('')}`);
}

async function main(): Promise<void> {
  const records = arg('records', 100_000);
  const requests = arg('requests', 1200);
  const kinds = engineKinds();
  const ingestOnly = process.argv.includes('--ingest-only');
  const vocab = loadVocabulary();
  console.log(`Corridor benchmark: ${records.toLocaleString('en')} records, ${requests} requests, engine ${kinds.join(' + ')}, ${os.cpus().length} cores, Node ${process.version}`);

  const corpusStart = Date.now();
  const corpus = await ensureCorpus(records);
  console.log(`corpus: ${path.relative(process.cwd(), corpus.file)} (${corpus.real ? 'real records from ../shared/data, repeated with variations' : 'synthetic'}) ready in ${((Date.now() - corpusStart) / 1000).toFixed(1)} s`);

  const figures: Figures[] = [];
  for (const kind of kinds) {
    console.log('');
    figures.push(await benchEngine(kind === 'sqlite' ? openSqliteBench(vocab) : openElasticsearchBench(vocab), corpus.file, requests, vocab, ingestOnly));
  }
  if (figures.length > 1) printSideBySide(figures);
  const peakRss = Math.max(...figures.map((f) => f.peakRss), process.resourceUsage().maxRSS * 1024);
  console.log(`peak memory (RSS) of this process: ${mb(peakRss)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
