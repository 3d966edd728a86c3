/**
 * `npm run eval:corridors`: how precise the corridor facet is (src/search/vocabulary/corridors.ts).
 *
 * - On the sample data (data-sample/), every pair found is compared with the pairs a person finds
 *   by reading each record's title, abstract and keywords (bench/corridor-gold.json): precision
 *   and recall, with every miss and every wrong pair listed.
 * - On the real catalogues in ../shared/data (when present): how many records get a corridor, and
 *   the precision of a seeded random sample of the pairs found, as judged by a person
 *   (bench/corridor-judgements.json: "record-id CODE" → true when the text states that people
 *   from the first country are, go or went to the second). Pairs of the sample nobody has judged
 *   yet are printed with the words that state them, for judging.
 *
 * Records go through the real pipeline (normalisation, the tagger, toDocument), so what is
 * measured is what the index gets. Prints figures; asserts nothing (test/unit/corridors.test.ts
 * does that for the sample).
 *
 *   npm run eval:corridors                      # sample + catalogues, 150 judged pairs per catalogue
 *   npm run eval:corridors -- --sample 200 --seed 7
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { listInputFiles } from '../indexer/file-inputs';
import { readInputFile } from '../indexer/records/parse-input';
import { recordPreparer } from '../indexer/prepare';
import { normaliseRecord } from '../indexer/records/normalise';
import { analysisParts } from '../indexer/records/to-document';
import type { ResourceDocument } from '../src/search/types';
import { findCorridorEvidence } from '../src/search/vocabulary/tagger';
import { loadVocabulary, type Vocabulary } from '../src/search/vocabulary/vocabulary';
import { iomRecord, usaidRecord } from './catalogues';
import { SHARED_DATA } from './corpus';

type Json = Record<string, unknown>;

const ROOT = path.resolve(__dirname, '..');
const GOLD = path.join(__dirname, 'corridor-gold.json');
const JUDGEMENTS = path.join(__dirname, 'corridor-judgements.json');

interface Gold {
  about: string;
  /** Record id → the pairs its text states; records not listed state none. */
  records: Record<string, string[]>;
}

interface Judgements {
  about: string;
  /** Catalogue file → "record-id CODE" → whether the text states that corridor. */
  catalogues: Record<string, Record<string, boolean>>;
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

function percent(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`;
}

/**
 * A seeded sample that stays put: pairs ordered by a hash of (seed, record, pair), so a change to
 * the rules only brings in or drops the pairs it changes, and earlier judgements still apply.
 */
function stableSample<T extends { id: string; code: string }>(items: T[], seed: number, size: number): T[] {
  const key = (p: T): string => crypto.createHash('sha1').update(`${seed} ${p.id} ${p.code}`).digest('hex');
  return items
    .map((p) => ({ p, k: key(p) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .slice(0, size)
    .map((x) => x.p);
}

interface FoundPair {
  id: string;
  code: string;
  evidence: string;
}

/** The pairs the pipeline gives a raw record, with the words that state each. */
function pairsOf(vocab: Vocabulary, prepare: ReturnType<typeof recordPreparer>, raw: Json): FoundPair[] {
  const prepared = prepare(raw, 'eval');
  if (!prepared.ok) return [];
  const doc: ResourceDocument = prepared.document;
  if (doc.corridors.length === 0) return [];
  const normalised = normaliseRecord(raw, vocab, 'eval');
  const evidence = normalised.ok ? findCorridorEvidence(vocab, analysisParts(normalised.record)) : [];
  return doc.corridors.map((code) => ({
    id: doc.id,
    code,
    evidence: (evidence.find((e) => e.code === code)?.text ?? '').replace(/\s+/g, ' '),
  }));
}

async function evaluateSample(vocab: Vocabulary): Promise<void> {
  const gold = JSON.parse(fs.readFileSync(GOLD, 'utf8')) as Gold;
  const prepare = recordPreparer(vocab);
  const found = new Map<string, string[]>();
  let records = 0;
  for (const file of await listInputFiles([path.join(ROOT, 'data-sample')])) {
    for await (const item of readInputFile(file, { source: 'sample' })) {
      if (item.kind !== 'record') continue;
      const prepared = prepare(item.raw, item.source);
      if (!prepared.ok) continue;
      records++;
      if (prepared.document.corridors.length > 0) found.set(prepared.document.id, prepared.document.corridors);
    }
  }
  let right = 0;
  let wrong = 0;
  let expected = 0;
  const problems: string[] = [];
  for (const [id, pairs] of found) {
    for (const code of pairs) {
      if (gold.records[id]?.includes(code)) right++;
      else {
        wrong++;
        problems.push(`  wrong   ${id} ${code}`);
      }
    }
  }
  for (const [id, pairs] of Object.entries(gold.records)) {
    expected += pairs.length;
    for (const code of pairs) if (!found.get(id)?.includes(code)) problems.push(`  missed  ${id} ${code}`);
  }
  console.log(`Sample data: ${records} records, ${found.size} with a corridor, ${right + wrong} pairs found, ${expected} stated in the text`);
  console.log(`  precision ${percent(right, right + wrong)} (${right}/${right + wrong}), recall ${percent(right, expected)} (${right}/${expected})`);
  for (const p of problems) console.log(p);
}

interface Catalogue {
  file: string;
  label: string;
  /** Raw catalogue record → the record format (as a source mapping would do it). */
  record(r: Json): Json;
}

const CATALOGUES: Catalogue[] = [
  { file: 'reliefweb_titles.ndjson', label: 'ReliefWeb titles', record: (r) => ({ id: r.id, title: r.title }) },
  {
    file: 'reliefweb_theme_sample.ndjson',
    label: 'ReliefWeb reports (title and body excerpt)',
    record: (r) => {
      const [title = '', ...body] = String(r.title_plus_body ?? '').split('\n');
      return { id: r.id, title, abstract: body.join('\n').trim() || undefined };
    },
  },
  { file: 'usaid_dec_1947_1970.ndjson', label: 'USAID DEC 1947–1970', record: usaidRecord },
  { file: 'iom_evaluations.ndjson', label: 'IOM evaluations (titles)', record: iomRecord },
];

function evaluateCatalogues(vocab: Vocabulary, sampleSize: number, seed: number): void {
  if (!fs.existsSync(SHARED_DATA)) {
    console.log(`\nCatalogues: skipped (${SHARED_DATA} is not there)`);
    return;
  }
  const judgements = (JSON.parse(fs.readFileSync(JUDGEMENTS, 'utf8')) as Judgements).catalogues;
  const prepare = recordPreparer(vocab);
  const unjudged: string[] = [];
  for (const catalogue of CATALOGUES) {
    const file = path.join(SHARED_DATA, catalogue.file);
    if (!fs.existsSync(file)) continue;
    const rows = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Json);
    const pairs: FoundPair[] = [];
    const withCorridor = new Set<string>();
    for (const row of rows) {
      for (const p of pairsOf(vocab, prepare, catalogue.record(row))) {
        pairs.push(p);
        withCorridor.add(p.id);
      }
    }
    const sample = stableSample(pairs, seed, sampleSize);
    const judged = judgements[catalogue.file] ?? {};
    let right = 0;
    let wrong = 0;
    for (const p of sample) {
      const verdict = judged[`${p.id} ${p.code}`];
      if (verdict === undefined) unjudged.push(`${catalogue.file}\t${p.id} ${p.code}\t${p.evidence}`);
      else if (verdict) right++;
      else wrong++;
    }
    console.log(
      `\n${catalogue.label}: ${rows.length} records, ${withCorridor.size} with a corridor, ${pairs.length} pairs; ` +
        `judged sample of ${sample.length} (seed ${seed}): precision ${percent(right, right + wrong)} (${right}/${right + wrong})`,
    );
    const wrongOnes = sample.filter((p) => judged[`${p.id} ${p.code}`] === false);
    for (const p of wrongOnes) console.log(`  wrong  ${p.id} ${p.code}  “${p.evidence.slice(0, 90)}”`);
  }
  if (unjudged.length > 0) {
    console.log(`\n${unjudged.length} sampled pairs have no judgement yet (add them to ${path.relative(ROOT, JUDGEMENTS)}):`);
    for (const line of unjudged) console.log(`  ${line}`);
  }
}

async function main(): Promise<void> {
  const vocab = loadVocabulary();
  await evaluateSample(vocab);
  evaluateCatalogues(vocab, option('sample', 150), option('seed', 2025));
}

void main();
