/**
 * What the benchmarks share: the fixed query mix, one sequential HTTP GET, and percentiles.
 */
import http from 'node:http';

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
  { label: 'browse+filter', params: 'grouping=saarc' },
  { label: 'sort', params: 'q=cholera&sort=newest' },
  { label: 'page', params: 'q=emergency&page=5' },
  { label: 'size', params: 'q=children&size=100' },
];

export function get(agent: http.Agent, port: number, pathAndQuery: string): Promise<{ status: number; body: string }> {
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

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(6);
  return `p50 ${f(percentile(s, 50))} ms  p95 ${f(percentile(s, 95))} ms  p99 ${f(percentile(s, 99))} ms  (n=${s.length})`;
}


/**
 * What visitors type into the search box, drawn from titles of the corpus (so no index is
 * favoured): the start of a title's first word, its first words with the next one unfinished,
 * and a run of words from inside it, unfinished. Each is one keystroke's request.
 */
export function typedPrefixes(titles: readonly string[]): string[] {
  const typed = new Set<string>();
  for (const title of titles) {
    const words = title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
    if (words.length === 0) continue;
    typed.add(words[0]!.slice(0, 3));
    if (words.length > 1) typed.add(`${words[0]} ${words[1]!.slice(0, 2)}`);
    const inside = Math.floor(words.length / 2);
    if (inside > 0 && words.length > inside + 1) typed.add(`${words[inside]} ${words[inside + 1]!.slice(0, 1)}`);
  }
  return [...typed].filter((t) => t.length >= 2);
}
