/**
 * `npm run bench:agreement [-- --records 80057]`: how far the two engines agree on the same
 * corpus — the real catalogues of ../shared/data (about 80,000 records) ingested into both —
 * for broad queries: the number of matches on each side, and the overlap of their top ten
 * (shared ids / 10). Both engines get the same AnalysedQuery, so differences come from
 * tokenising, stemming and scoring alone. Needs CORRIDOR_ES_URL (npm run es:start).
 */
import { analyseQuery } from '../src/search/query-analyser';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import { FACET_NAMES, type FacetFilters, type SearchQuery } from '../src/search/types';
import { ingestCorpus } from './ingest';
import { ensureCorpus } from './corpus';
import { openElasticsearchBench, openSqliteBench, type BenchBackend } from './engines';

const BROAD_QUERIES = [
  'migration', 'refugees', 'health', 'food security', 'labour migration', 'women', 'children', 'water',
  'africa', 'middle east', 'asia', 'latin america', 'the Gulf', 'ASEAN',
  'Nepal', 'Burma', 'Afghan refugees', 'Sudan', 'Haiti earthquake', 'Viet Nam',
  'trafficking', 'remittances', 'displacement', 'cholera', 'technical assistance', 'agriculture',
  'education', 'malaria', 'drought', 'IDPs',
];
const TOP = 10;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

function query(text: string): SearchQuery {
  const filters = Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as FacetFilters;
  return { text, filters, sort: 'relevance', page: 1, size: TOP };
}

async function main(): Promise<void> {
  const vocab = loadVocabulary();
  const { file, real } = await ensureCorpus(arg('records', 80_057));
  console.log(`corpus: ${file}${real ? '' : ' (synthetic: ../shared/data is absent)'}`);
  const benches: BenchBackend[] = [openSqliteBench(vocab), openElasticsearchBench(vocab)];
  try {
    for (const bench of benches) {
      const summary = await ingestCorpus(bench.admin, file, vocab);
      console.log(`${bench.kind}: ${summary.counts.indexed.toLocaleString('en')} records indexed`);
    }
    console.log(`\n${'query'.padEnd(22)} ${'SQLite'.padStart(8)} ${'ES'.padStart(8)}  top-${TOP} overlap`);
    const overlaps: number[] = [];
    for (const text of BROAD_QUERIES) {
      const analysed = analyseQuery(vocab, text);
      const [a, b] = await Promise.all(benches.map((bench) => bench.engine.search({ query: query(text), analysed })));
      const top = Math.min(TOP, a.total, b.total);
      const shared = a.hits.filter((h) => b.hits.some((x) => x.id === h.id)).length;
      const overlap = top === 0 ? 1 : shared / top;
      if (Math.min(a.total, b.total) > TOP) overlaps.push(overlap);
      console.log(`${text.padEnd(22)} ${String(a.total).padStart(8)} ${String(b.total).padStart(8)}  ${overlap.toFixed(2)}`);
    }
    const mean = overlaps.reduce((x, y) => x + y, 0) / Math.max(1, overlaps.length);
    console.log(`\nmean top-${TOP} overlap over the ${overlaps.length} queries with more than ${TOP} matches: ${mean.toFixed(2)}`);
  } finally {
    for (const bench of benches) await bench.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
