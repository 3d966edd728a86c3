/**
 * Benchmark corpus: real catalogue records from ../shared/data when present (ReliefWeb titles,
 * USAID DEC, IOM evaluations), mapped to Corridor's record format and repeated with variations
 * until the requested size; a synthetic corpus from the project's vocabulary otherwise.
 * Written once as NDJSON under .bench/ and reused.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { loadVocabulary } from '../src/search/vocabulary/vocabulary';
import { iomRecord, str, usaidRecord } from './catalogues';

export const SHARED_DATA = path.resolve(__dirname, '..', '..', 'shared', 'data');
export const BENCH_DIR = path.resolve(__dirname, '..', '.bench');

type Json = Record<string, unknown>;

async function* readNdjson(file: string): AsyncGenerator<Json> {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) yield JSON.parse(line) as Json;
}


/** Each shared file mapped to the record format. */
async function loadRealRecords(): Promise<Json[]> {
  const out: Json[] = [];
  const rw = path.join(SHARED_DATA, 'reliefweb_titles.ndjson');
  for await (const r of readNdjson(rw)) {
    out.push({ id: r.id, title: r.title, published: str(r.date)?.slice(0, 10), url: r.url, countries: r.country_hint ? [String(r.country_hint)] : [], type: 'Report', publisher: 'ReliefWeb', language: 'en' });
  }
  for await (const r of readNdjson(path.join(SHARED_DATA, 'usaid_dec_1947_1970.ndjson'))) out.push(usaidRecord(r));
  for await (const r of readNdjson(path.join(SHARED_DATA, 'iom_evaluations.ndjson'))) out.push(iomRecord(r));
  return out;
}

function syntheticRecords(count: number): Json[] {
  const vocab = loadVocabulary();
  const countries = vocab.countries;
  const themes = vocab.themes;
  const types = ['Report', 'Policy brief', 'Guide', 'Study', 'Working paper', 'Evaluation'];
  const publishers = ['ILO', 'IOM', 'MPI', 'UNHCR', 'World Bank', 'OECD', 'ADB', 'ICMPD'];
  const out: Json[] = [];
  for (let i = 0; i < count; i++) {
    const c = countries[(i * 7) % countries.length];
    const t = themes[(i * 13) % themes.length];
    out.push({
      id: `syn-${i}`,
      title: `${t.label} and migrant workers in ${c.name}`,
      abstract: `A study of ${t.label.toLowerCase()} among workers from ${c.name}, with evidence from surveys and interviews.`,
      published: String(1990 + (i % 35)),
      type: types[i % types.length],
      publisher: publishers[i % publishers.length],
      language: 'en',
      countries: [c.code],
    });
  }
  return out;
}

const VARIANT_WORDS = ['update', 'review', 'annex', 'summary', 'brief', 'revised', 'volume', 'addendum'];

/** Writes (or reuses) .bench/corpus-<size>.ndjson; returns its path. */
export async function ensureCorpus(size: number): Promise<{ file: string; real: boolean }> {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const real = fs.existsSync(path.join(SHARED_DATA, 'reliefweb_titles.ndjson'));
  const file = path.join(BENCH_DIR, `corpus-${real ? 'real' : 'synthetic'}-${size}.ndjson`);
  if (fs.existsSync(file)) return { file, real };
  const base = real ? await loadRealRecords() : syntheticRecords(Math.min(size, 50_000));
  const tmp = `${file}.tmp`;
  const out = fs.createWriteStream(tmp);
  for (let i = 0; i < size; i++) {
    const round = Math.floor(i / base.length);
    const record = { ...base[i % base.length] };
    if (round > 0) {
      // Repeats differ in id, title and date so they are distinct documents, not duplicates.
      record.id = `${String(record.id)}~${round}`;
      record.title = `${String(record.title)} (${VARIANT_WORDS[round % VARIANT_WORDS.length]} ${round})`;
    }
    if (!out.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  fs.renameSync(tmp, file);
  return { file, real };
}
