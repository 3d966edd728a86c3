/**
 * Property-based tests of the embedded engine's filtering, facet counting and date ordering:
 * random libraries and random selections, each checked against a brute-force count written from
 * the documented rules alone, through the engine's public search() over a real SQLite generation.
 * They say nothing about how the engine counts (typed arrays, SQL, anything else), so they hold
 * through a rewrite of its internals.
 *
 * The rules (README, DESIGN): values of one facet combine with OR, facets with AND; each facet's
 * counts apply every other facet's selection and the year range but not its own; the year buckets
 * apply every facet but not the year range; a selected value is always listed, even with no
 * document; values are listed by count, most first, equal counts by label (then value); `newest`/`oldest` order by
 * date with undated documents last.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { openSqliteBackend, type SqliteBackend } from '../../src/backends/sqlite';
import { FACET_FIELDS } from '../../src/search/fields';
import { facetLabeller } from '../../src/search/facet-values';
import { analyseQuery } from '../../src/search/query-analyser';
import { FACET_NAMES, type FacetFilters, type FacetName, type ResourceDocument, type SearchQuery, type SearchResultPage } from '../../src/search/types';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { makeDocument } from '../contract/contract-documents';

const vocab = loadVocabulary();

// Small value domains, so that random selections hit, miss and overlap.
const COUNTRIES = ['NPL', 'QAT', 'PHL', 'IDN', 'MYS', 'KGZ'];
const THEMES = vocab.themes.slice(0, 5).map((t) => t.id);
const TYPES = ['Report', 'Policy brief', 'Study'];
const PUBLISHERS = ['ILO', 'IOM', 'MPI', 'UNHCR'];
const LANGUAGES = ['en', 'fr', 'es'];
const CORRIDORS = ['NPL-QAT', 'PHL-MYS', 'IDN-MYS', 'KGZ-QAT'];
/** Blocs the countries above belong to (derived from them), and one none does. */
const GROUPINGS = ['asean', 'gcc', 'saarc', 'eaeu', 'mercosur'];
/** Made-up words no analyser knows or stems, so that a word's matches are exactly the titles holding it. */
const WORDS = ['zorblax', 'quintor', 'mavrel', 'tupeno'];

const subset = (values: readonly string[], maxLength = values.length) => fc.uniqueArray(fc.constantFrom(...values), { maxLength });

const dateArb = fc.option(
  fc.record({ year: fc.integer({ min: 1995, max: 2004 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }),
  { nil: undefined, freq: 4 },
);

const documentArb = fc.record({
  countries: subset(COUNTRIES, 3),
  themes: subset(THEMES, 2),
  type: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
  publishers: subset(PUBLISHERS, 2),
  languages: subset(LANGUAGES, 2),
  corridors: subset(CORRIDORS, 2),
  words: subset(WORDS, 2),
  date: dateArb,
});

const libraryArb = fc.array(documentArb, { minLength: 0, maxLength: 40 });
type DocumentSpec = typeof documentArb extends fc.Arbitrary<infer T> ? T : never;

function buildDocument(spec: DocumentSpec, i: number): ResourceDocument {
  const pad = (n: number) => String(n).padStart(2, '0');
  const published = spec.date ? `${spec.date.year}-${pad(spec.date.month)}-${pad(spec.date.day)}` : undefined;
  const doc = makeDocument({
    id: `p-${i}`,
    title: ['Labour migration study', i, ...spec.words].join(' '),
    countries: spec.countries,
    themes: spec.themes,
    type: spec.type,
    publishers: [...spec.publishers].sort(),
    corridors: spec.corridors,
    published,
  });
  return { ...doc, languages: [...spec.languages].sort() };
}

const selectionArb = fc.record({
  filters: fc.record(Object.fromEntries(
    FACET_NAMES.map((f) => [f, f === 'region' ? fc.constant([] as string[]) : subset(domainOf(f), 2)]),
  ) as Record<FacetName, fc.Arbitrary<string[]>>),
  regions: subset(['south-asia', 'south-eastern-asia', 'gcc', 'central-asia', 'asean'], 2),
  years: fc.oneof(
    fc.constant({}),
    fc.record({ yearFrom: fc.integer({ min: 1995, max: 2004 }) }),
    fc.record({ yearTo: fc.integer({ min: 1995, max: 2004 }) }),
    fc.integer({ min: 1995, max: 2004 }).chain((from) => fc.record({ yearFrom: fc.constant(from), yearTo: fc.integer({ min: from, max: 2004 }) })),
    fc.constant({ undatedOnly: true }),
  ),
  text: fc.option(fc.constantFrom(...WORDS), { nil: undefined, freq: 2 }),
  sort: fc.constantFrom('newest' as const, 'oldest' as const),
  page: fc.integer({ min: 1, max: 3 }),
  size: fc.integer({ min: 1, max: 12 }),
});

function domainOf(facet: FacetName): string[] {
  switch (facet) {
    case 'country':
      return COUNTRIES;
    case 'theme':
      return THEMES;
    case 'type':
      return TYPES;
    case 'publisher':
      return PUBLISHERS;
    case 'language':
      return LANGUAGES;
    case 'corridor':
      return CORRIDORS;
    case 'grouping':
      return GROUPINGS;
    case 'region':
      return [];
  }
}

type Selection = typeof selectionArb extends fc.Arbitrary<infer T> ? T : never;

function toQuery(s: Selection): SearchQuery {
  const filters = { ...s.filters, region: s.regions } as FacetFilters;
  return { text: s.text ?? '', filters, sort: s.sort, page: s.page, size: s.size, ...s.years };
}

// ---------------------------------------------------------------------------------------------
// Brute force, from the rules.

const valuesOf = (doc: ResourceDocument, facet: FacetName) => FACET_FIELDS[facet].values(doc);
const label = facetLabeller(vocab);
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function matchesText(doc: ResourceDocument, q: SearchQuery): boolean {
  return q.text === '' || doc.title.split(' ').includes(q.text);
}

function matchesFacet(doc: ResourceDocument, q: SearchQuery, facet: FacetName): boolean {
  const selected = q.filters[facet];
  return selected.length === 0 || valuesOf(doc, facet).some((v) => selected.includes(v));
}

function matchesYears(doc: ResourceDocument, q: SearchQuery): boolean {
  if (q.undatedOnly) return doc.year === undefined;
  if (q.yearFrom === undefined && q.yearTo === undefined) return true;
  return doc.year !== undefined && doc.year >= (q.yearFrom ?? -Infinity) && doc.year <= (q.yearTo ?? Infinity);
}

function matches(doc: ResourceDocument, q: SearchQuery, except?: FacetName | 'years'): boolean {
  return (
    matchesText(doc, q) &&
    FACET_NAMES.every((f) => f === except || matchesFacet(doc, q, f)) &&
    (except === 'years' || matchesYears(doc, q))
  );
}

function expectedFacet(docs: ResourceDocument[], q: SearchQuery, facet: FacetName): { value: string; count: number; selected: boolean }[] {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    if (!matches(doc, q, facet)) continue;
    for (const v of valuesOf(doc, facet)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const listed = [...counts]
    .sort(([a, x], [b, y]) => y - x || collator.compare(label(facet, a), label(facet, b)) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value, count]) => ({ value, count, selected: q.filters[facet].includes(value) }));
  for (const value of q.filters[facet]) {
    if (!counts.has(value)) listed.push({ value, count: 0, selected: true });
  }
  return listed;
}

function expectedYears(docs: ResourceDocument[], q: SearchQuery): { years: { year: number; count: number }[]; undated: number } {
  const years = new Map<number, number>();
  let undated = 0;
  for (const doc of docs) {
    if (!matches(doc, q, 'years')) continue;
    if (doc.year === undefined) undated++;
    else years.set(doc.year, (years.get(doc.year) ?? 0) + 1);
  }
  return { years: [...years].sort(([a], [b]) => a - b).map(([year, count]) => ({ year, count })), undated };
}

/** The dates of the page's hits, as the order says they must come: by date, undated last. */
function expectedPageDates(docs: ResourceDocument[], q: SearchQuery): (string | undefined)[] {
  const dates = docs.filter((d) => matches(d, q)).map((d) => d.published);
  const dated = dates.filter((d): d is string => d !== undefined).sort();
  if (q.sort === 'newest') dated.reverse();
  const ordered = [...dated, ...dates.filter((d) => d === undefined)];
  const offset = (q.page - 1) * q.size;
  return ordered.slice(offset, offset + q.size);
}

function check(docs: ResourceDocument[], q: SearchQuery, page: SearchResultPage): void {
  const label = JSON.stringify(q);
  const matching = docs.filter((d) => matches(d, q));
  expect({ label, total: page.total }).toEqual({ label, total: matching.length });
  for (const hit of page.hits) expect({ label, id: hit.id, matches: matches(hit.document, q) }).toEqual({ label, id: hit.id, matches: true });
  expect({ label, dates: page.hits.map((h) => h.document.published) }).toEqual({ label, dates: expectedPageDates(docs, q) });
  for (const facet of FACET_NAMES) {
    expect({ label, facet, values: page.facets[facet] }).toEqual({ label, facet, values: expectedFacet(docs, q, facet) });
  }
  expect({ label, years: page.years }).toEqual({ label, years: expectedYears(docs, q) });
}

// ---------------------------------------------------------------------------------------------

describe('SQLite engine: facet counts, filters and date order against a brute-force count', () => {
  let dir: string;
  let backend: SqliteBackend;
  let generation = 0;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-property-'));
    backend = openSqliteBackend({ dataDir: dir, labels: vocab });
  });
  afterAll(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function build(docs: ResourceDocument[]): Promise<void> {
    const runId = `property-${++generation}`;
    const writer = await backend.admin.openWriter({ mode: 'full', runId });
    await writer.write(docs);
    // An empty library cannot be committed (the commit guard): a placeholder nobody selects stands in.
    if (docs.length === 0) await writer.write([makeDocument({ id: 'placeholder', title: 'Placeholder' })]);
    await writer.commit({ runId, maxDropShare: 1 });
  }

  it('agrees with the brute-force count for random libraries and selections', async () => {
    await fc.assert(
      fc.asyncProperty(libraryArb, fc.array(selectionArb, { minLength: 8, maxLength: 8 }), async (specs, selections) => {
        const docs = specs.map((s, i) => buildDocument(s, i));
        await build(docs);
        const all = docs.length === 0 ? [makeDocument({ id: 'placeholder', title: 'Placeholder' })] : docs;
        for (const selection of selections) {
          const q = toQuery(selection);
          const page = await backend.engine.search({ query: q, analysed: analyseQuery(vocab, q.text) });
          check(all, q, page);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
