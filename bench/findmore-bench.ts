/**
 * npm run bench:findmore [-- --records 100000] [--engine sqlite|elasticsearch|both]
 *
 * Prints what "find more" costs on a large library, through HTTP one request at a time:
 * suggestions as a visitor types (every prefix of a set of words people type, from the second
 * letter on, as the combobox would ask), the record page and record JSON with their related
 * publications, and searches filtered by a corridor; plus how many corridors the corpus has.
 * Figures only; nothing is asserted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { analyseQuery } from '../src/search/query-analyser';
import { SearchService } from '../src/search/search-service';
import type { Vocabulary } from '../src/search/vocabulary/vocabulary';
import { createApp } from '../src/web/app';
import { benchMain } from './bench-main';
import type { BenchBackend } from './engines';
import { ingestCorpus } from './ingest';

/** What visitors type, each sent as they type it (from the second letter). */
const TYPED = ['nepal', 'migrant workers', 'world migration report', 'domestic work', 'qatar', 'philippines', 'remittances', 'trafficking', 'syrian refugees', 'burma', 'ilo', 'covid', 'lebanon', 'gulf', 'recruitment fees'];
const RESOURCES = 200;

function get(url: string): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
      })
      .on('error', reject);
  });
}

function percentiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  return `p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms (${ms.length} requests)`;
}

async function timed(urls: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const url of urls) {
    const r = await get(url);
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${r.body.slice(0, 300)}`);
    out.push(r.ms);
  }
  return out;
}

async function run(bench: BenchBackend, file: string, vocab: Vocabulary): Promise<void> {
  try {
    await ingestCorpus(bench.admin, file, vocab);
    const search = new SearchService(bench.engine, (text) => analyseQuery(vocab, text), vocab);
    const app = createApp({ search, labels: vocab, logger: pino({ level: 'silent' }), config: {} });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const documents = (await search.status()).documents;

    // Warm up once (first requests open the generation and fill the landing counts).
    await get(`${base}/api/suggest?q=ne`);
    const prefixes = TYPED.flatMap((w) => Array.from({ length: w.length - 1 }, (_, i) => w.slice(0, i + 2)));
    const suggest = await timed(prefixes.map((p) => `${base}/api/suggest?q=${encodeURIComponent(p)}&limit=8`));
    console.log(`[${bench.kind}] ${documents.toLocaleString('en')} records; /api/suggest while typing: ${percentiles(suggest)}`);

    const page = JSON.parse((await get(`${base}/api/search?size=100&q=migrant`)).body) as { hits: { id: string }[] };
    const more = JSON.parse((await get(`${base}/api/search?size=100&q=refugees`)).body) as { hits: { id: string }[] };
    const ids = [...page.hits, ...more.hits].map((h) => h.id).slice(0, RESOURCES);
    const json = await timed(ids.map((id) => `${base}/api/resources/${encodeURIComponent(id)}`));
    console.log(`[${bench.kind}] /api/resources/:id with related publications: ${percentiles(json)}`);
    const html = await timed(ids.map((id) => `${base}/resources/${encodeURIComponent(id)}`));
    console.log(`[${bench.kind}] /resources/:id page with related publications: ${percentiles(html)}`);

    const facets = JSON.parse((await get(`${base}/api/search?size=1`)).body) as { facets: { corridor: { value: string; count: number }[] } };
    const corridors = facets.facets.corridor;
    const withCorridor = corridors.reduce((n, c) => n + c.count, 0);
    console.log(
      `[${bench.kind}] corridors: ${corridors.length} listed in the facet (top 50), ${withCorridor.toLocaleString('en')} record-pairs among them; most frequent ${corridors
        .slice(0, 5)
        .map((c) => `${c.value} ${c.count}`)
        .join(', ')}`,
    );
    const filtered = await timed(corridors.slice(0, 20).flatMap((c) => [`${base}/api/search?corridor=${c.value}`, `${base}/api/search?corridor=${c.value}&q=refugees`]));
    console.log(`[${bench.kind}] /api/search filtered by a corridor: ${percentiles(filtered)}`);
    server.close();
  } finally {
    await bench.engine.close();
  }
}

benchMain(run);
