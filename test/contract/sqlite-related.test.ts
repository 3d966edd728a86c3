/**
 * Related publications on the embedded engine in a library larger than what one record's query
 * may score (src/backends/sqlite/related.ts): only the records that share its rarest words are
 * scored, then completed by those that share its countries and themes. A real generation of the
 * contract documents, read with a candidate budget small enough to take that path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteBackend } from '../../src/backends/sqlite';
import { readFacetArrays } from '../../src/backends/sqlite/facet-arrays';
import { rarestWithin, RelatedReader } from '../../src/backends/sqlite/related';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { contractDocuments } from './contract-documents';

const vocab = loadVocabulary();
let dataDir: string;
let db: Database.Database;
let reader: (budget: number) => RelatedReader;
let idOf: (rowid: number) => string;

const documentOf = (id: string) => contractDocuments.find((d) => d.id === id)!;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-related-'));
  const backend = openSqliteBackend({ dataDir, labels: vocab, searchWorkers: 0 });
  const writer = await backend.admin.openWriter({ mode: 'full', runId: 'related' });
  await writer.write(contractDocuments);
  await writer.commit({ runId: 'related', maxDropShare: 1 });
  await backend.close();
  const pointer = JSON.parse(fs.readFileSync(path.join(dataDir, 'index', 'current.json'), 'utf8')) as { current: { file: string } };
  db = new Database(path.join(dataDir, 'index', pointer.current.file), { readonly: true });
  const { facets, postings } = readFacetArrays(db)!;
  reader = (budget) => new RelatedReader(db, facets, postings, budget);
  const ids = db.prepare('SELECT id FROM docs WHERE rowid = ?').pluck();
  idOf = (rowid) => ids.get(rowid) as string;
});
afterAll(() => {
  db?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('related publications from the rarest words, in a large library', () => {
  const related = (id: string, budget: number, limit = 5) => reader(budget).related(documentOf(id), limit).map(idOf);

  it('lists first the record that shares the rarest words and a country, as the whole query does', () => {
    expect(related('c-nepal-qatar', 2)[0]).toBe('c-qatar-stadiums');
    expect(related('c-nepal-qatar', Infinity)[0]).toBe('c-qatar-stadiums');
  });

  it('completes the list with records that share a country or theme, never the record itself, never more than asked', () => {
    const found = related('c-nepal-qatar', 2);
    expect(found).not.toContain('c-nepal-qatar');
    // Shares Nepal but not one of the rarest words.
    expect(found).toContain('c-nepal');
    expect(related('c-nepal-qatar', 2, 1)).toEqual(['c-qatar-stadiums']);
  });

  it('never lists a record that shares nothing with it', () => {
    // French text about Côte d'Ivoire: not a word or a tag in common with Nepal and Qatar.
    expect(related('c-nepal-qatar', 2, 50)).not.toContain('c-civ');
  });
});

describe('rarestWithin', () => {
  const df: Record<string, number> = { stadium: 3, heat: 4, qatar: 6, construction: 10 };
  const words = Object.keys(df);

  it('takes the rarest words while what they match fits the budget, and always the rarest', () => {
    expect(rarestWithin(words, (w) => df[w]!, (w) => df[w]!, 13)).toEqual(['stadium', 'heat', 'qatar']);
    expect(rarestWithin(words, (w) => df[w]!, (w) => df[w]!, 1)).toEqual(['stadium']);
  });

  it('sizes each word by what the index matches (its stemmed forms too), not by the word list', () => {
    // "heat" matches "heating" and "heated" too in the index: 20 documents, past the budget.
    const matches = (w: string) => (w === 'heat' ? 20 : df[w]!);
    expect(rarestWithin(words, (w) => df[w]!, matches, 13)).toEqual(['stadium']);
  });
});

