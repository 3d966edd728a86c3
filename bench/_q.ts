import { SqliteSearchEngine } from '../src/backends/sqlite';
import { analyseQuery } from '../src/search/query-analyser';
import { parseSearchParams } from '../src/search/params';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import { QUERY_MIX } from './measure';
(async () => {
  const vocab = loadVocabulary();
  const t0 = performance.now();
  const engine = new SqliteSearchEngine(process.argv[2], vocab);
  await engine.status();
  console.log('open', (performance.now() - t0).toFixed(0), 'ms', 'rss', Math.round(process.memoryUsage().rss / 1e6), 'MB');
  const mix = process.argv[3] ? [{ label: 'arg', params: process.argv[3] }] : QUERY_MIX;
  for (const q of mix) {
    const parsed = parseSearchParams(Object.fromEntries(new URLSearchParams(q.params)));
    if (!parsed.ok) continue;
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await engine.search({ query: parsed.query, analysed: analyseQuery(vocab, parsed.query.text) });
      times.push(performance.now() - t); total = r.total;
    }
    times.sort((a, b) => a - b);
    console.log(q.label.padEnd(15), q.params.padEnd(40), 'median', times[2].toFixed(1).padStart(7), 'ms  total', total);
  }
})();
