/**
 * `npm run eval:catalogues`: Corridor's ingestion measured against real catalogues in
 * ../shared/data, whose records were described by people:
 *
 * - how many records of the USAID DEC and IOM evaluation catalogues are rejected, and why, when
 *   mapped field for field to the record format (every language, dates as written);
 * - the precision and recall of the countries the tagger finds in their text, against the
 *   countries the cataloguers assigned (the record's own country list is left out, so only
 *   text analysis is measured);
 * - the same for themes, on the ReliefWeb sample with human-assigned themes (through the
 *   vocabulary's ReliefWeb crosswalk).
 *
 * Prints figures; asserts nothing (the tests do that).
 */
import fs from 'node:fs';
import path from 'node:path';
import { normaliseRecord } from '../indexer/records/normalise';
import { findTags } from '../src/search/vocabulary/tagger';
import { loadVocabulary, type Vocabulary } from '../src/search/vocabulary/vocabulary';
import { iomRecord, list, str, usaidRecord } from './catalogues';
import { SHARED_DATA } from './corpus';

type Json = Record<string, unknown>;

function readNdjson(file: string): Json[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);
}


interface Tally {
  records: number;
  rejected: number;
  reasons: Map<string, number>;
  warnings: Map<string, number>;
}

function tallyIngestion(vocab: Vocabulary, records: Json[]): Tally {
  const t: Tally = { records: records.length, rejected: 0, reasons: new Map(), warnings: new Map() };
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const raw of records) {
    const r = normaliseRecord(raw, vocab, 'eval');
    if (!r.ok) {
      t.rejected++;
      bump(t.reasons, r.reason.replace(/'[^']*'/g, "'…'").slice(0, 80));
    } else {
      for (const w of r.warnings) bump(t.warnings, w.replace(/'[^']*'|"[^"]*"/g, '…').slice(0, 70));
    }
  }
  return t;
}

interface Agreement {
  tp: number;
  fp: number;
  fn: number;
  wrong: Map<string, number>;
  examples: string[];
}

function score(a: Agreement): string {
  const p = a.tp / Math.max(1, a.tp + a.fp);
  const r = a.tp / Math.max(1, a.tp + a.fn);
  return `precision ${(p * 100).toFixed(1)}% (${a.tp} of ${a.tp + a.fp} found), recall ${(r * 100).toFixed(1)}% (${a.tp} of ${a.tp + a.fn} assigned)`;
}

/**
 * Countries found in the text against the cataloguers' countries. A record whose assigned
 * places resolve to no country ("Worldwide", "Latin America") is left out: nothing to compare.
 * A found country that is a member of an assigned region counts as right (the cataloguer named
 * the region): it is not what the precision measure is about.
 */
function countryAgreement(vocab: Vocabulary, records: { text: string[]; assigned: string[]; id: string }[]): Agreement {
  const a: Agreement = { tp: 0, fp: 0, fn: 0, wrong: new Map(), examples: [] };
  for (const r of records) {
    const human = new Set<string>();
    const humanRegions = new Set<string>();
    for (const v of r.assigned) {
      const c = vocab.resolveCountry(v);
      if (c) human.add(c);
      else {
        const reg = vocab.resolveRegion(v);
        if (reg) humanRegions.add(reg);
      }
    }
    if (human.size === 0) continue;
    const found = findTags(vocab, r.text).countries;
    for (const c of found) {
      if (human.has(c)) a.tp++;
      else if ([...humanRegions].some((reg) => vocab.region(reg)?.members.includes(c))) continue;
      else {
        a.fp++;
        a.wrong.set(c, (a.wrong.get(c) ?? 0) + 1);
        if (a.examples.length < 400) a.examples.push(`${r.id}: ${c} in "${r.text.join(' | ').slice(0, 160)}" (assigned ${[...human].join(',')})`);
      }
    }
    for (const c of human) if (!found.includes(c)) a.fn++;
  }
  return a;
}

function themeAgreement(vocab: Vocabulary, records: Json[]): Agreement {
  const a: Agreement = { tp: 0, fp: 0, fn: 0, wrong: new Map(), examples: [] };
  for (const r of records) {
    const human = new Set(list(r.themes));
    const text = str(r.title_plus_body) ?? '';
    const found = new Set(findTags(vocab, [text]).themes.flatMap((id) => vocab.theme(id)?.reliefweb ?? []));
    for (const t of found) {
      if (human.has(t)) a.tp++;
      else {
        a.fp++;
        a.wrong.set(t, (a.wrong.get(t) ?? 0) + 1);
      }
    }
    for (const t of human) if (!found.has(t)) a.fn++;
  }
  return a;
}

function top(m: Map<string, number>, n: number): string {
  return [...m.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, n)
    .map(([k, v]) => `${v}× ${k}`)
    .join('\n    ');
}

function main(): void {
  if (!fs.existsSync(SHARED_DATA)) {
    console.log(`No ${SHARED_DATA}: nothing to evaluate.`);
    return;
  }
  const vocab = loadVocabulary();
  const usaid = readNdjson(path.join(SHARED_DATA, 'usaid_dec_1947_1970.ndjson'));
  const iom = readNdjson(path.join(SHARED_DATA, 'iom_evaluations.ndjson'));
  const verbose = process.argv.includes('--verbose');

  console.log('Ingestion (records mapped field for field; validation and normalisation as in a run)');
  for (const [name, records] of [['USAID DEC', usaid.map(usaidRecord)], ['IOM evaluations', iom.map(iomRecord)]] as const) {
    const t = tallyIngestion(vocab, records);
    console.log(`  ${name}: ${t.records} records, ${t.rejected} rejected`);
    if (t.reasons.size > 0) console.log(`    ${top(t.reasons, 8)}`);
    if (verbose && t.warnings.size > 0) console.log(`    warnings:\n    ${top(t.warnings, 12)}`);
  }

  console.log('\nCountries found in text vs countries assigned by cataloguers');
  const usaidText = usaid.map((r) => ({
    id: String(r.id),
    text: [str(r.title) ?? '', str(r.abstract) ?? '', ...list(r.subjects)].filter(Boolean),
    assigned: list(r.countries),
  }));
  const iomText = iom.map((r) => ({ id: String(r.id), text: [str(r.title) ?? ''], assigned: list(r.countries_raw) }));
  for (const [name, recs] of [['USAID DEC (title, abstract, subjects)', usaidText], ['IOM evaluations (titles)', iomText]] as const) {
    const a = countryAgreement(vocab, recs);
    console.log(`  ${name}: ${score(a)}`);
    console.log(`    most frequent countries found but not assigned:\n    ${top(a.wrong, 10)}`);
    if (verbose) console.log(`    ${a.examples.join('\n    ')}`);
  }

  const rw = path.join(SHARED_DATA, 'reliefweb_theme_sample.ndjson');
  if (fs.existsSync(rw)) {
    const a = themeAgreement(vocab, readNdjson(rw));
    console.log(`\nThemes found in text vs ReliefWeb themes assigned by editors (through the crosswalk)\n  ${score(a)}`);
    console.log(`    most frequent themes found but not assigned:\n    ${top(a.wrong, 8)}`);
  }
}

// Only when run, not when another evaluation imports its record mappings.
if (require.main === module) main();
