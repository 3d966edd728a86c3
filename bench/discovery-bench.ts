/**
 * npm run bench:discovery [-- --records 100000] [--engine sqlite|elasticsearch|both]
 *
 * Prints what the machine-readable outputs cost on a large library: a rebuild of the same records
 * (every datestamp carried over) against the first build, the whole sitemap, a full OAI-PMH
 * ListIdentifiers harvest and the first ListRecords pages, the export of the whole result (2,000
 * records) in each format, and a feed, each through HTTP with its size; and the process's peak
 * memory, which must stay flat however large the library (everything is streamed or paged).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { analyseQuery } from '../src/search/query-analyser';
import { SearchService } from '../src/search/search-service';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import { createApp } from '../src/web/app';
import { ingestCorpus } from './ingest';
import { benchMain } from './bench-main';
import type { BenchBackend } from './engines';

function get(url: string): Promise<{ status: number; bytes: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let bytes = 0;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          bytes += Buffer.byteLength(chunk);
          if (body.length < 200_000) body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, body, ms: performance.now() - started }));
      })
      .on('error', reject);
  });
}

const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en')} kB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function ingest(bench: BenchBackend, file: string, vocab: Vocabulary): Promise<number> {
  const started = performance.now();
  await ingestCorpus(bench.admin, file, vocab);
  return performance.now() - started;
}

async function run(bench: BenchBackend, file: string, vocab: Vocabulary): Promise<void> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const first = await ingest(bench, file, vocab);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await ingest(bench, file, vocab);
    const search = new SearchService(bench.engine, (text) => analyseQuery(vocab, text), vocab);
    const status = await search.status();
    const changedByRebuild = (await search.listChanges({ from: new Date(status.builtAt!).toISOString().replace(/\.\d+Z$/, 'Z'), limit: 0 })).total;
    console.log(`[${bench.kind}] ${status.documents.toLocaleString('en')} records: first build ${s(first)}, rebuild of the same records ${s(again)} (${changedByRebuild} datestamps changed by it)`);

    const app = createApp({ search, labels: vocab, logger: pino({ level: 'silent' }), config: {} });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    peak = process.memoryUsage().rss;

    const index = await get(`${base}/sitemap.xml`);
    const files = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!).filter((u) => u.includes('/sitemaps/'));
    let sitemapMs = index.ms;
    let sitemapBytes = index.bytes;
    let slowest = 0;
    for (const f of files) {
      const r = await get(f);
      sitemapMs += r.ms;
      sitemapBytes += r.bytes;
      slowest = Math.max(slowest, r.ms);
    }
    console.log(`[${bench.kind}] sitemap: index + ${files.length} files, ${kb(sitemapBytes)} in ${s(sitemapMs)} (slowest file ${s(slowest)})`);

    let pages = 0;
    let ids = 0;
    let url = `${base}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc`;
    const harvestStart = performance.now();
    let recordsMs = 0;
    for (;;) {
      const r = await get(url);
      pages++;
      ids += (r.body.match(/<header>/g) ?? []).length;
      const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(r.body)?.[1];
      if (!token) break;
      url = `${base}/oai?verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`;
    }
    const harvestMs = performance.now() - harvestStart;
    url = `${base}/oai?verb=ListRecords&metadataPrefix=oai_dc`;
    for (let p = 0; p < 20; p++) {
      const r = await get(url);
      recordsMs += r.ms;
      const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(r.body)?.[1];
      if (!token) break;
      url = `${base}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
    }
    console.log(
      `[${bench.kind}] OAI-PMH: ListIdentifiers of ${ids.toLocaleString('en')} records in ${pages} pages, ${s(harvestMs)} (${(harvestMs / pages).toFixed(1)} ms a page); ListRecords ${(recordsMs / 20).toFixed(1)} ms a page of 100`,
    );

    for (const ext of ['ris', 'bib', 'json', 'csv']) {
      const r = await get(`${base}/export.${ext}?scope=all`);
      if (r.status !== 200) throw new Error(`export .${ext} answered ${r.status}: ${r.body.slice(0, 300)}`);
      console.log(`[${bench.kind}] export .${ext} of the whole library (capped at 2,000 records): ${kb(r.bytes)} in ${s(r.ms)}`);
    }
    const feed = await get(`${base}/feed.atom?q=migrant+workers`);
    console.log(`[${bench.kind}] feed.atom of a search: ${kb(feed.bytes)} in ${(feed.ms).toFixed(0)} ms`);
    console.log(`[${bench.kind}] peak memory while serving all of the above: ${Math.round(peak / 1024 / 1024)} MB (process RSS)`);
    server.close();
  } finally {
    clearInterval(sampler);
    await bench.engine.close();
  }
}

benchMain(run);
