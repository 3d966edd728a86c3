/**
 * The behaviour every SearchEngine adapter must have. Each engine's test file calls
 * describeEngineContract() with a factory that gives a fresh, empty, real engine.
 */
import { INGEST_LOCK, runHolder, type LeaseStore } from '../../src/jobs/lease';
import { CommitRefusedError, type ChangeListRequest, type CompletionRequest, type FacetValuesRequest, type IndexAdmin, type SearchEngine } from '../../src/search/ports';
import { completionKey } from '../../src/search/completion';
import { corridorLabel } from '../../src/search/vocabulary/corridors';
import { FACET_FIELDS } from '../../src/search/fields';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import {
  FACET_NAMES,
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type FacetFilters,
  type FacetName,
  type ResourceDocument,
  type SearchQuery,
} from '../../src/search/types';
import { contractDocuments, makeDocument } from './contract-documents';
import { MAX_RESULT_WINDOW, plainSnippets } from '../../src/search/result-rules';
import { SearchService } from '../../src/search/search-service';

export interface EngineUnderTest {
  engine: SearchEngine;
  admin: IndexAdmin;
  /** The ingest lease that lives with the engine. */
  leases: LeaseStore;
  cleanup(): Promise<void>;
}

async function collect(ids: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const id of ids) out.push(id);
  return out.sort();
}

const vocab = loadVocabulary();

function emptyFilters(): FacetFilters {
  return Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as FacetFilters;
}

export function query(text = '', overrides: Partial<Omit<SearchQuery, 'filters'>> & { filters?: Partial<FacetFilters> } = {}): SearchQuery {
  return {
    text,
    sort: text ? 'relevance' : 'newest',
    page: 1,
    size: 20,
    ...overrides,
    filters: { ...emptyFilters(), ...overrides.filters },
  };
}

const vocabLabel = (facet: FacetName, value: string): string => {
  switch (FACET_FIELDS[facet].labelKind) {
    case 'country':
      return vocab.countryLabel(value);
    case 'region':
      return vocab.regionLabel(value);
    case 'theme':
      return vocab.themeLabel(value);
    case 'corridor':
      return corridorLabel(value, (c) => vocab.countryLabel(c));
    case 'language':
      return new Intl.DisplayNames(['en'], { type: 'language' }).of(value) ?? value;
    case 'self':
      return value;
  }
};

function strip(marked: string): string {
  return marked.split(HIGHLIGHT_START).join('').split(HIGHLIGHT_END).join('');
}

export function describeEngineContract(name: string, create: () => Promise<EngineUnderTest>): void {
  describe(`${name}: engine contract`, () => {
    let under: EngineUnderTest;
    const search = (q: SearchQuery) => under.engine.search({ query: q, analysed: analyseQuery(vocab, q.text) });
    const ids = async (q: SearchQuery) => (await search(q)).hits.map((h) => h.id);
    const facetValues = (facet: FacetName, q: SearchQuery, options: Partial<Omit<FacetValuesRequest, 'facet' | 'query' | 'analysed'>> = {}) =>
      under.engine.facetValues({ facet, query: q, analysed: analyseQuery(vocab, q.text), order: 'count', offset: 0, limit: 1000, ...options });
    const valuesOf = async (...args: Parameters<typeof facetValues>) => (await facetValues(...args)).values.map((v) => v.value);
    const countsOf = (values: { value: string; count: number }[]) => Object.fromEntries(values.map((v) => [v.value, v.count]));
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    const docsWith = (facet: FacetName, value: string) => contractDocuments.filter((d) => FACET_FIELDS[facet].values(d).includes(value));

    async function build(docs: ResourceDocument[]): Promise<void> {
      const writer = await under.admin.openWriter({ mode: 'full' });
      await writer.write(docs);
      await writer.commit({ runId: 'contract', maxDropShare: 1 });
    }

    /**
     * The ids of `extra` (all with `prefix`) each query finds, in a library of the contract's
     * documents and these, built for the test and rolled back after it: the tests after it expect the library they had.
     */
    async function withExtraDocuments(prefix: string, extra: ResourceDocument[], check: (found: (q: string) => Promise<string[]>) => Promise<void>): Promise<void> {
      await build([...contractDocuments, ...extra]);
      try {
        await check(async (q) => (await ids(query(q))).filter((id) => id.startsWith(prefix)).sort());
      } finally {
        await under.admin.rollback();
      }
    }

    beforeAll(async () => {
      under = await create();
      await build(contractDocuments);
    });
    afterAll(async () => {
      await under.cleanup();
    });

    describe('browsing and retrieval', () => {
      it('lists every document newest first when there is no query, undated last', async () => {
        const page = await search(query('', { size: 100 }));
        expect(page.total).toBe(contractDocuments.length);
        const years = page.hits.map((h) => h.document.year ?? 0);
        const dated = years.filter((y) => y > 0);
        expect(dated).toEqual([...dated].sort((a, b) => b - a));
        expect(years.slice(dated.length).every((y) => y === 0)).toBe(true);
      });

      it('sorts oldest first with undated still last', async () => {
        const page = await search(query('', { sort: 'oldest', size: 100 }));
        const years = page.hits.map((h) => h.document.year ?? 0);
        const dated = years.filter((y) => y > 0);
        expect(dated).toEqual([...dated].sort((a, b) => a - b));
        expect(years[years.length - 1]).toBe(0);
      });

      it('returns a stored document by id, and null for an unknown id', async () => {
        const doc = await under.engine.get('c-lao');
        expect(doc?.title).toBe(contractDocuments.find((d) => d.id === 'c-lao')?.title);
        expect(await under.engine.get('no-such-id')).toBeNull();
      });

      it('reports the document count in its status', async () => {
        expect((await under.engine.status()).documents).toBe(contractDocuments.length);
      });
    });

    describe('facets', () => {
      it('combines values of one facet with OR and different facets with AND', async () => {
        const either = await ids(query('', { filters: { country: ['LAO', 'NPL'] }, size: 100 }));
        expect(new Set(either)).toEqual(new Set(['c-lao', 'c-nepal', 'c-nepal-qatar']));
        const both = await ids(query('', { filters: { country: ['NPL'], type: ['Policy brief'] }, size: 100 }));
        expect(both).toEqual(['c-nepal']);
      });

      it('counts disjunctively: a facet ignores its own selection but applies the others', async () => {
        const page = await search(query('', { filters: { country: ['NPL'], type: ['Report'] }, size: 100 }));
        const countryCounts = Object.fromEntries(page.facets.country.map((v) => [v.value, v.count]));
        const reports = contractDocuments.filter((d) => d.type === 'Report');
        for (const code of ['NPL', 'QAT', 'LAO']) {
          expect(countryCounts[code] ?? 0).toBe(reports.filter((d) => d.countries.includes(code)).length);
        }
        const typeCounts = Object.fromEntries(page.facets.type.map((v) => [v.value, v.count]));
        const nepal = contractDocuments.filter((d) => d.countries.includes('NPL'));
        expect(typeCounts['Report']).toBe(nepal.filter((d) => d.type === 'Report').length);
        expect(typeCounts['Policy brief']).toBe(nepal.filter((d) => d.type === 'Policy brief').length);
        expect(page.total).toBe(nepal.filter((d) => d.type === 'Report').length);
      });

      it('always lists a selected value, even one no document has', async () => {
        const page = await search(query('', { filters: { country: ['ATA'] } }));
        expect(page.total).toBe(0);
        expect(page.facets.country).toContainEqual({ value: 'ATA', count: 0, selected: true });
      });

      it('filters and counts corridors (origin → destination) like any other facet', async () => {
        expect(await ids(query('', { filters: { corridor: ['NPL-QAT'] } }))).toEqual(['c-nepal-qatar']);
        const all = await search(query('', { size: 1 }));
        const counts = Object.fromEntries(all.facets.corridor.map((v) => [v.value, v.count]));
        expect(counts).toEqual({ 'LAO-THA': 1, 'MMR-THA': 1, 'NPL-QAT': 1 });
        // Disjunctive: the country filter narrows the corridor counts, a corridor filter does not narrow its own.
        const thai = await search(query('', { filters: { country: ['THA'], corridor: ['LAO-THA'] } }));
        expect(thai.hits.map((h) => h.id)).toEqual(['c-lao']);
        expect(Object.fromEntries(thai.facets.corridor.map((v) => [v.value, v.count]))).toEqual({ 'LAO-THA': 1, 'MMR-THA': 1 });
        expect(thai.facets.corridor.find((v) => v.value === 'LAO-THA')?.selected).toBe(true);
        expect((await under.engine.get('c-nepal-qatar'))?.corridors).toEqual(['NPL-QAT']);
      });

      it('lists equal counts by label, not by code', async () => {
        const page = await search(query('', { size: 1 }));
        for (const facet of FACET_NAMES) {
          const values = page.facets[facet];
          for (let i = 1; i < values.length; i++) {
            const [a, b] = [values[i - 1]!, values[i]!];
            expect(a.count).toBeGreaterThanOrEqual(b.count);
            if (a.count === b.count) {
              const [la, lb] = [vocabLabel(facet, a.value), vocabLabel(facet, b.value)];
              expect(collator.compare(la, lb)).toBeLessThanOrEqual(0);
            }
          }
        }
        // ARE (United Arab Emirates) comes after QAT (Qatar): both are in one document each.
        const countries = page.facets.country.map((v) => v.value);
        expect(countries.indexOf('QAT')).toBeLessThan(countries.indexOf('ARE'));
      });

      it('counts a joint publication for each of its publishers', async () => {
        const page = await search(query('', { filters: { publisher: ['UN Women'] }, size: 100 }));
        expect(page.hits.map((h) => h.id)).toEqual(['c-uae']);
        const ilo = await search(query('', { filters: { publisher: ['ILO'] }, size: 100 }));
        expect(ilo.hits.map((h) => h.id)).toContain('c-uae');
      });

      it('keeps geography and groupings apart: UN M49 regions in one facet, blocs and processes in the other', async () => {
        const page = await search(query('', { size: 1 }));
        expect(page.facets.region.length).toBeGreaterThan(0);
        expect(page.facets.grouping.length).toBeGreaterThan(0);
        for (const v of page.facets.region) expect(vocab.isGeography(v.value)).toBe(true);
        for (const v of page.facets.grouping) expect(vocab.isGrouping(v.value)).toBe(true);
        const region = countsOf(page.facets.region);
        const grouping = countsOf(page.facets.grouping);
        // South-eastern Asia and ASEAN: Laos, Thailand and Myanmar are in both.
        expect(region['un-m49-035']).toBe(docsWith('region', 'un-m49-035').length);
        expect(grouping['asean']).toBe(docsWith('grouping', 'asean').length);
        expect(grouping['asean']).toBeGreaterThan(0);
        const asean = await ids(query('', { filters: { grouping: ['asean'] }, size: 100 }));
        expect(new Set(asean)).toEqual(new Set(docsWith('grouping', 'asean').map((d) => d.id)));
        // A grouping and a region of different facets combine with AND.
        const both = await ids(query('', { filters: { grouping: ['gcc'], region: ['un-m49-035'] }, size: 100 }));
        expect(both).toEqual([]);
      });

      it('filters by year range and counts years and undated ones', async () => {
        const page = await search(query('', { yearFrom: 2015, yearTo: 2019, size: 100 }));
        expect(page.hits.every((h) => (h.document.year ?? 0) >= 2015 && (h.document.year ?? 0) <= 2019)).toBe(true);
        expect(page.total).toBe(contractDocuments.filter((d) => d.year && d.year >= 2015 && d.year <= 2019).length);
        // Year counts ignore the year filter itself, so the whole range stays visible.
        const all = contractDocuments.filter((d) => d.year).length;
        expect(page.years.years.reduce((s, y) => s + y.count, 0)).toBe(all);
        expect(page.years.undated).toBe(contractDocuments.filter((d) => !d.year).length);
        const undated = await search(query('', { undatedOnly: true, size: 100 }));
        expect(undated.total).toBe(page.years.undated);
      });
    });

    describe('years and undated resources', () => {
      const inRange = (d: ResourceDocument) => d.year !== undefined && d.year >= 2015 && d.year <= 2019;

      it('adds the undated resources to a year range when asked ("2015–2019 and undated")', async () => {
        const page = await search(query('', { yearFrom: 2015, yearTo: 2019, includeUndated: true, size: 100 }));
        const expected = contractDocuments.filter((d) => inRange(d) || d.year === undefined);
        expect(new Set(page.hits.map((h) => h.id))).toEqual(new Set(expected.map((d) => d.id)));
        expect(page.total).toBe(expected.length);
        // The year facet still counts every year: it ignores its own selection.
        expect(page.years.undated).toBe(contractDocuments.filter((d) => d.year === undefined).length);
      });

      it('combines "and undated" with the other filters and counts them disjunctively', async () => {
        const q = query('', { yearFrom: 2015, yearTo: 2019, includeUndated: true, filters: { type: ['Guide'] }, size: 100 });
        const page = await search(q);
        const guides = contractDocuments.filter((d) => d.type === 'Guide');
        expect(new Set(page.hits.map((h) => h.id))).toEqual(new Set(guides.filter((d) => inRange(d) || d.year === undefined).map((d) => d.id)));
        const types = countsOf(page.facets.type);
        expect(types['Report']).toBe(contractDocuments.filter((d) => d.type === 'Report' && (inRange(d) || d.year === undefined)).length);
      });
    });

    describe('facet values', () => {
      it('reaches every value of a facet, also those a search result does not list', async () => {
        const listed = (await search(query('', { size: 1 }))).facets.publisher.map((v) => v.value);
        expect(listed).toHaveLength(FACET_FIELDS.publisher.listLimit);
        const all = await facetValues('publisher', query());
        const publishers = new Set(contractDocuments.flatMap((d) => d.publishers));
        expect(all.total).toBe(publishers.size);
        expect(new Set(all.values.map((v) => v.value))).toEqual(publishers);
        for (const v of all.values) expect(v.count).toBe(docsWith('publisher', v.value).length);
        expect(all.values.some((v) => !listed.includes(v.value))).toBe(true);
      });

      it('lists by count with equal counts by label, or A–Z by label, one page at a time', async () => {
        const byCount = await facetValues('country', query());
        expect(byCount.values.map((v) => v.value)).toEqual((await search(query('', { size: 1 }))).facets.country.map((v) => v.value));
        const az = await facetValues('country', query(), { order: 'label' });
        const labels = az.values.map((v) => vocabLabel('country', v.value));
        expect(labels).toEqual([...labels].sort(collator.compare));
        const page2 = await facetValues('country', query(), { order: 'label', offset: 3, limit: 3 });
        expect(page2.total).toBe(az.total);
        expect(page2.values).toEqual(az.values.slice(3, 6));
      });

      it('finds values by a word of their label, ignoring case and accents, never by a match inside a word', async () => {
        expect(await valuesOf('country', query(), { prefix: 'qat' })).toEqual(['QAT']);
        expect(await valuesOf('country', query(), { prefix: 'United Ara' })).toEqual(['ARE']);
        expect(await valuesOf('country', query(), { prefix: 'cote d' })).toEqual(['CIV']);
        expect(await valuesOf('country', query(), { prefix: 'arab' })).toEqual(['SAU', 'ARE']);
        expect(await valuesOf('publisher', query(), { prefix: 'women' })).toEqual(['UN Women']);
        expect(await valuesOf('publisher', query(), { prefix: 'un w' })).toEqual(['UN Women']);
        expect(await valuesOf('publisher', query(), { prefix: 'omen' })).toEqual([]);
        expect(await valuesOf('publisher', query(), { prefix: 'PRESS 5', order: 'label' })).toEqual(['Press 50', 'Press 51', 'Press 52', 'Press 53', 'Press 54', 'Press 55']);
        expect(await valuesOf('language', query(), { prefix: 'fren' })).toEqual(['fr']);
      });

      it('treats any typed prefix as words, never as pattern syntax', async () => {
        const everything = (await facetValues('publisher', query())).total;
        // Nothing but punctuation: no words to look for, every value.
        for (const prefix of ['.*', '[', '\\', '(?', '#', '@&~', '"', '<>', '\u0000', '🙂', '*', '^$']) {
          expect((await facetValues('publisher', query(), { prefix })).total).toBe(everything);
        }
        for (const prefix of ['a|b', 'x{2,}', '[a-z]+', 'P.ess', '(?i)press']) {
          expect(await valuesOf('publisher', query(), { prefix })).toEqual([]);
        }
        // As a pattern, "Press.*5" would also match "Press 05" and "Press 15".
        expect(await valuesOf('publisher', query(), { prefix: 'Press.*5', order: 'label' })).toEqual(['Press 50', 'Press 51', 'Press 52', 'Press 53', 'Press 54', 'Press 55']);
      });

      it('counts disjunctively and within the search: other filters and the words apply, the facet’s own selection does not', async () => {
        const q = query('', { filters: { country: ['NPL'], type: ['Report'] } });
        const countries = countsOf((await facetValues('country', q)).values);
        const reports = contractDocuments.filter((d) => d.type === 'Report');
        for (const code of ['NPL', 'QAT', 'LAO', 'ARE']) expect(countries[code] ?? 0).toBe(reports.filter((d) => d.countries.includes(code)).length);
        const selected = (await facetValues('country', q)).values.filter((v) => v.selected).map((v) => v.value);
        expect(selected).toEqual(['NPL']);
        // Within the words: the same counts as the search lists for them.
        const words = query('Thailand');
        const thailand = countsOf((await facetValues('country', words)).values);
        expect(thailand).toEqual(countsOf((await search(words)).facets.country));
        expect(thailand['THA']).toBeGreaterThan(0);
        expect(thailand['NPL']).toBeUndefined();
      });

      it('always includes a selected value that matches the prefix, even one no document has', async () => {
        const q = query('', { filters: { country: ['ATA'] } });
        expect((await facetValues('country', q)).values).toContainEqual({ value: 'ATA', count: 0, selected: true });
        expect((await facetValues('country', q, { prefix: 'antarc' })).values).toEqual([{ value: 'ATA', count: 0, selected: true }]);
        expect((await facetValues('country', q, { prefix: 'qat' })).values.map((v) => v.value)).toEqual(['QAT']);
      });
    });

    describe('full-text', () => {
      it('ranks a title match above a match in the description only', async () => {
        const order = await ids(query('remittances'));
        expect(order.indexOf('c-remit-title')).toBeLessThan(order.indexOf('c-remit-abstract'));
      });

      it('ranks the words as a phrase above the same words scattered', async () => {
        const order = await ids(query('domestic workers'));
        expect(order.indexOf('c-phrase')).toBeGreaterThanOrEqual(0);
        expect(order.indexOf('c-phrase')).toBeLessThan(order.indexOf('c-scattered'));
        const filtered = await ids(query('domestic workers', { filters: { type: ['Guide'] } }));
        expect(filtered.indexOf('c-phrase')).toBeGreaterThanOrEqual(0);
        expect(filtered.indexOf('c-phrase')).toBeLessThan(filtered.indexOf('c-scattered'));
      });

      it('orders the same matches the same way with and without a filter that keeps them all', async () => {
        const plain = await ids(query('workers'));
        const everyLanguage = [...new Set(contractDocuments.flatMap((d) => d.languages))];
        const filtered = await ids(query('workers', { filters: { language: everyLanguage } }));
        expect(filtered).toEqual(plain);
      });

      it('matches a "quoted phrase" only where the words are adjacent', async () => {
        const found = await ids(query('"domestic workers"'));
        expect(found).toContain('c-phrase');
        expect(found).not.toContain('c-scattered');
      });

      it('excludes documents with a -word', async () => {
        const all = await ids(query('migrant'));
        const without = await ids(query('migrant -Nepal'));
        expect(all).toContain('c-nepal');
        expect(without).not.toContain('c-nepal');
        expect(without.length).toBeGreaterThan(0);
        const onlyExclusion = await search(query('-Nepal', { size: 100 }));
        expect(onlyExclusion.hits.map((h) => h.id)).not.toContain('c-nepal');
        expect(onlyExclusion.total).toBeGreaterThan(0);
      });

      it('stems and folds diacritics', async () => {
        expect(await ids(query('worker'))).toContain('c-phrase');
        expect(await ids(query('Cote d Ivoire'))).toContain('c-civ');
        expect(await ids(query('côte'))).toContain('c-civ');
      });

      it('treats any typed text as words, never as engine syntax', async () => {
        const hostile = ['"', '""', '-', '(', 'AND OR NOT', 'NEAR(a b)', 'title:x', '*', 'a^2', '{x}', "'; DROP TABLE docs; --", '\u0000', '🙂', '"unbalanced', 'x OR', '\\'];
        for (const text of hostile) {
          await expect(search(query(text))).resolves.toHaveProperty('total');
        }
      });
    });

    describe('countries, regions, themes', () => {
      it('finds a country by another of its names', async () => {
        expect(await ids(query('Laos'))).toContain('c-lao');
        expect(await ids(query('Lao PDR'))).toContain('c-lao');
      });

      it('finds a country named in the text in another form, even where no tag says so', async () => {
        expect(await ids(query('Laos'))).toContain('c-untagged-lao');
      });

      it('scores a record naming the country in any form (Thai, Thailand) above one found through the tag alone', async () => {
        for (const filters of [{}, { type: ['Report'] }]) {
          const order = await ids(query('Thailand', { filters }));
          expect(order).toContain('c-tag-only-tha');
          for (const named of ['c-lao', 'c-myanmar']) {
            expect(order.indexOf(named)).toBeGreaterThanOrEqual(0);
            expect(order.indexOf(named)).toBeLessThan(order.indexOf('c-tag-only-tha'));
          }
        }
      });

      it('lets a record that names the country by its demonym compete with one that spells the name', async () => {
        const order = await ids(query('Nepal'));
        // "Nepali migrant workers …" and "From Nepal to Qatar …": both name Nepal in their title.
        expect(order.slice(0, 2).sort()).toEqual(['c-nepal', 'c-nepal-qatar']);
      });


      it('finds a country by its demonym', async () => {
        expect(await ids(query('Burmese migrants'))).toContain('c-myanmar');
      });

      it("does not take another country for one whose name is part of its name (Sudan, South Sudan; Korea, North Korea)", async () => {
        const places = [
          makeDocument({ id: 'p-sdn', title: 'Floods in Sudan', countries: ['SDN'] }),
          makeDocument({ id: 'p-ssd', title: 'Returns to South Sudan', countries: ['SSD'] }),
          makeDocument({ id: 'p-both', title: 'Crossing from Sudan to South Sudan', countries: ['SDN', 'SSD'] }),
          makeDocument({ id: 'p-kor', title: 'Migrant workers in the Republic of Korea', countries: ['KOR'] }),
          makeDocument({ id: 'p-prk', title: "Food security in the Democratic People's Republic of Korea", countries: ['PRK'] }),
          makeDocument({ id: 'p-png', title: 'Labour mobility from Papua New Guinea', countries: ['PNG'] }),
          makeDocument({ id: 'p-gin', title: 'Returnees in Guinea', countries: ['GIN'] }),
        ];
        await withExtraDocuments('p-', places, async (found) => {
          expect(await found('Sudan')).toEqual(['p-both', 'p-sdn']);
          expect(await found('South Sudan')).toEqual(['p-both', 'p-ssd']);
          expect(await found('South Korea')).toEqual(['p-kor']);
          expect(await found('Korea')).toEqual(['p-kor']);
          expect(await found('North Korea')).toEqual(['p-prk']);
          expect(await found('Guinea')).toEqual(['p-gin']);
          // Quoted, a name is the text as typed.
          expect(await found('"Sudan"')).toEqual(['p-both', 'p-sdn', 'p-ssd']);
          // Excluding Sudan leaves South Sudan.
          expect(await found('migration OR returns OR crossing -Sudan')).toEqual(['p-ssd']);
        });
      });

      it("finds a theme's records by its tag for a name of the whole theme, and only what says so for a narrower subject", async () => {
        const themed = [
          makeDocument({ id: 't-stateless', title: 'Statelessness in the region', themes: ['refugees-displacement'] }),
          makeDocument({ id: 't-camps', title: 'Life in the camps', themes: ['refugees-displacement'] }),
          makeDocument({ id: 't-idps', title: 'Internally displaced persons return home', themes: ['refugees-displacement'] }),
        ];
        await withExtraDocuments('t-', themed, async (found) => {
          expect(await found('refugees')).toEqual(['t-camps', 't-idps', 't-stateless']);
          expect(await found('displacement')).toEqual(['t-camps', 't-idps', 't-stateless']);
          expect(await found('statelessness')).toEqual(['t-stateless']);
          expect(await found('IDPs')).toEqual(['t-idps']);
        });
      });

      it('finds documents tagged with member countries when a region is searched', async () => {
        const found = await ids(query('ASEAN'));
        expect(found).toContain('c-lao');
        expect(found).not.toContain('c-nepal-qatar');
      });

      it('matches spelling variants', async () => {
        expect(await ids(query('labor migration'))).toContain('c-labour-uk');
      });
    });

    describe('query language: AND, OR, NOT, groups, and the "most of the words" fallback', () => {
      it('excludes with NOT: nepal NOT qatar leaves out the record about Nepal and Qatar', async () => {
        const found = await ids(query('nepal NOT qatar'));
        expect(found).toContain('c-nepal');
        expect(found).not.toContain('c-nepal-qatar');
      });

      it('matches either side of OR', async () => {
        const found = await ids(query('remittances OR trafficking'));
        for (const id of ['c-remit-title', 'c-remit-abstract', 'c-tag-only-tha']) expect(found).toContain(id);
        expect(found).not.toContain('c-phrase');
      });

      it('requires every side of AND, and reads groups', async () => {
        expect(await ids(query('nepal AND qatar'))).toEqual(['c-nepal-qatar']);
        const grouped = await ids(query('(nepal OR laos) AND recruitment'));
        expect(grouped.sort()).toEqual(['c-lao', 'c-nepal']);
        const groupInOr = await ids(query('(nepali recruitment) OR remittances'));
        expect(groupInOr).toContain('c-nepal');
        expect(groupInOr).toContain('c-remit-title');
        expect(groupInOr).not.toContain('c-nepal-qatar');
      });

      it('reads a word typed with * as its beginning, as catalogues read truncation', async () => {
        const remit = await ids(query('remit*'));
        expect(remit).toEqual(expect.arrayContaining(['c-remit-title', 'c-remit-abstract']));
        // "construction" is stemmed "construct": the typed beginning is no prefix of the stem, only of the word.
        const construction = (await ids(query('construction'))).sort();
        expect(construction.length).toBeGreaterThanOrEqual(2);
        expect((await ids(query('constructio*'))).sort()).toEqual(construction);
        for (const id of ['c-lao', 'c-labour-uk', 'c-civ']) expect(await ids(query('migra*'))).toContain(id);
        // Excluded, and in a group, as any word.
        expect(await ids(query('migrant -remit*'))).not.toContain('c-remit-abstract');
        expect(await ids(query('(remit* OR constructio*) AND qatar'))).toEqual(expect.arrayContaining(construction.filter((id) => id !== 'c-remit-title')));
        // Too short a beginning is the word itself.
        expect(await ids(query('mi*'))).toEqual(await ids(query('mi')));
      });

      it('marks the words a beginning matched', async () => {
        const hit = (await search(query('remit*'))).hits.find((h) => h.id === 'c-remit-title');
        expect(hit?.title).toBe(`${HIGHLIGHT_START}Remittances${HIGHLIGHT_END} and development in Central Asia`);
      });

      it("reads '?' and '*' inside a word as wildcards: any word of that shape, in all its forms", async () => {
        // "stad?um" is "stadium", found in all its forms ("stadiums" too), as a typed word is.
        const stadium = (await ids(query('stadiums'))).sort();
        expect(stadium).toEqual(['c-nepal-qatar', 'c-qatar-stadiums']);
        expect((await ids(query('stad?um'))).sort()).toEqual(stadium);
        expect((await ids(query('St*ums'))).sort()).toEqual(stadium);
        expect(await ids(query('sav?ngs'))).toEqual(expect.arrayContaining(['c-remit-abstract', 'c-untagged-lao']));
        expect(await ids(query('sta?ium'))).toEqual(await ids(query('stadium')));
        // Nothing has the shape: nothing matches, alone, beside a word, or excluded.
        expect(await ids(query('stad?zz'))).toEqual([]);
        expect(await ids(query('qatar stad?zz'))).toEqual([]);
        expect((await ids(query('stad?zz OR remittances'))).sort()).toEqual((await ids(query('remittances'))).sort());
        expect((await ids(query('qatar -stad?um'))).sort()).toEqual((await ids(query('qatar -stadiums'))).sort());
        // A question mark at the end of a word is punctuation.
        expect((await ids(query('stadiums?'))).sort()).toEqual(stadium);
        const hit = (await search(query('stad?um'))).hits.find((h) => h.id === 'c-qatar-stadiums');
        expect(hit?.title).toBe(`${HIGHLIGHT_START}Stadium${HIGHLIGHT_END} construction workers in Qatar`);
      });

      it('excludes a group: NOT (qatar OR thailand)', async () => {
        const found = await ids(query('migrant NOT (qatar OR thailand)'));
        expect(found.length).toBeGreaterThan(0);
        for (const id of ['c-nepal-qatar', 'c-lao', 'c-myanmar']) expect(found).not.toContain(id);
      });

      it('finds nothing for words no record has together, and the records with most of them on request', async () => {
        const all = await search(query('remittances trafficking'));
        expect(all.total).toBe(0);
        const analysed = { ...analyseQuery(vocab, 'remittances trafficking'), minimumMatch: 1 };
        const partial = await under.engine.search({ query: query('remittances trafficking'), analysed });
        const found = partial.hits.map((h) => h.id);
        for (const id of ['c-remit-title', 'c-remit-abstract', 'c-tag-only-tha']) expect(found).toContain(id);
        expect(partial.total).toBe(found.length);
      });

      it('ranks the records with more of the words first in a partial match', async () => {
        const text = 'remittances kyrgyzstan trafficking';
        const analysed = { ...analyseQuery(vocab, text), minimumMatch: 1 };
        for (const filters of [{}, { language: ['en'] }]) {
          const order = (await under.engine.search({ query: query(text, { filters }), analysed })).hits.map((h) => h.id);
          // Remittances and Kyrgyzstan: two of the three.
          expect(order[0]).toBe('c-remit-title');
          expect(order).toContain('c-tag-only-tha');
        }
        const atLeastTwo = await under.engine.search({ query: query(text), analysed: { ...analysed, minimumMatch: 2 } });
        expect(atLeastTwo.hits.map((h) => h.id)).toEqual(['c-remit-title']);
      });
    });

    describe('highlighting', () => {
      it('marks matches in the title and snippet without altering the text', async () => {
        const page = await search(query('remittances'));
        const hit = page.hits.find((h) => h.id === 'c-remit-title');
        expect(hit?.title).toContain(`${HIGHLIGHT_START}`);
        expect(strip(hit!.title)).toBe(hit!.document.title);
      });

      it('highlights each hit in its own text, for every hit of the page', async () => {
        const page = await search(query('workers', { size: 100 }));
        expect(page.hits.length).toBeGreaterThan(3);
        for (const hit of page.hits) {
          expect(strip(hit.title)).toBe(hit.document.title);
          for (const snippet of hit.snippets) {
            const plain = strip(snippet).replace(/…/g, '');
            expect(hit.document.abstract ?? '').toContain(plain.trim().slice(0, 20));
          }
        }
      });

      it('marks every form of a name the query matched: Nepali for Nepal, Myanmar for Burma', async () => {
        const nepal = (await search(query('Nepal'))).hits.find((h) => h.id === 'c-nepal');
        expect(nepal?.title).toBe(`${HIGHLIGHT_START}Nepali${HIGHLIGHT_END} migrant workers and recruitment costs`);
        const burma = (await search(query('Burma'))).hits.find((h) => h.id === 'c-myanmar');
        expect(burma?.snippets.join(' ')).toContain(`${HIGHLIGHT_START}Myanmar${HIGHLIGHT_END}`);
      });

      it('returns record text raw (escaping is the renderer’s job) so markup in records stays inert text', async () => {
        const page = await search(query('script'));
        const hit = page.hits.find((h) => h.id === 'c-markup');
        expect(hit).toBeDefined();
        expect(strip(hit!.title)).toBe('<script>alert("x")</script> Wages & "fees" <b>');
      });
    });

    describe('completion: suggestions as you type', () => {
      const complete = (typed: string, over: Partial<CompletionRequest> = {}) =>
        under.engine.complete({ prefix: completionKey(typed), titles: 5, publishers: 5, counts: [], ...over });
      const titleIds = async (typed: string, over: Partial<CompletionRequest> = {}) => (await complete(typed, over)).titles.map((t) => t.id);

      it('completes titles from any of their words, those that start with the typed words first', async () => {
        // "Domestic policy for …" starts with it; "Protecting domestic workers abroad" has it inside.
        expect(await titleIds('domestic')).toEqual(['c-scattered', 'c-phrase']);
        expect(await titleIds('domestic pol')).toEqual(['c-scattered']);
        expect(await titleIds('domestic workers')).toEqual(['c-phrase']);
        expect(await titleIds('domestic workers a')).toEqual(['c-phrase']);
        expect(await titleIds('workers abroad')).toEqual(['c-phrase', 'c-scattered']);
      });

      it('completes an unfinished last word, ignoring case, accents and punctuation', async () => {
        expect(await titleIds('nepali mig')).toEqual(['c-nepal']);
        expect(await titleIds("CÔTE D'IV")).toEqual(['c-civ']);
        expect(await titleIds('main d oeuvre')).toEqual(['c-civ']);
        expect(await titleIds('nepali workers')).toEqual([]);
      });

      it('lists each title once with its year, newest first among equals, at most as many as asked', async () => {
        const all = (await complete('migra', { titles: 20 })).titles;
        expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
        expect(all.map((t) => t.id)).toEqual(expect.arrayContaining(['c-lao', 'c-civ', 'c-nepal', 'c-labour-uk']));
        // Two start with "Migra…" (2018, then undated), the others have it inside.
        expect((await complete('migra', { titles: 2 })).titles).toEqual([
          { id: 'c-lao', title: 'Migrant workers from Lao PDR in Thailand', year: 2018 },
          { id: 'c-civ', title: "Migration de main-d'œuvre en Côte d'Ivoire" },
        ]);
      });

      it('completes publishers from any of their words, with how many documents each has', async () => {
        const ilo = contractDocuments.filter((d) => d.publishers.includes('ILO')).length;
        expect((await complete('il')).publishers).toEqual([{ value: 'ILO', count: ilo }]);
        expect((await complete('bank')).publishers).toEqual([{ value: 'World Bank', count: 1 }]);
        expect((await complete('rights wa')).publishers).toEqual([{ value: 'Human Rights Watch', count: 1 }]);
        expect((await complete('test &')).publishers).toEqual([{ value: 'Test & Co', count: 1 }]);
        expect((await complete('il', { publishers: 0 })).publishers).toEqual([]);
      });

      it('counts the documents that have given facet values, 0 for a value none has', async () => {
        const { counts } = await complete('', {
          counts: [
            { facet: 'country', values: ['NPL', 'ATA'] },
            { facet: 'corridor', values: ['NPL-QAT'] },
          ],
        });
        expect(counts).toEqual({ country: { NPL: 2, ATA: 0 }, corridor: { 'NPL-QAT': 1 } });
      });

      it('offers nothing for nothing typed, and reads any typed text as words', async () => {
        expect(await complete('')).toEqual({ titles: [], publishers: [], counts: {} });
        for (const text of ['"', '<script>', "'; DROP TABLE docs; --", '\u0000', '🙂', '\\', '%', '*', 'a'.repeat(100)]) {
          const result = await complete(text);
          expect(Array.isArray(result.titles) && Array.isArray(result.publishers)).toBe(true);
        }
        expect(await titleIds('<script')).toEqual(['c-markup']);
      });
    });

    describe('related publications', () => {
      const documentOf = (id: string) => contractDocuments.find((d) => d.id === id)!;
      const related = async (id: string, limit = 5) => (await under.engine.related({ document: documentOf(id), limit })).map((d) => d.id);

      it('lists first the record with most in common: a country and most of the words', async () => {
        const found = await related('c-nepal-qatar');
        expect(found[0]).toBe('c-qatar-stadiums');
        expect(found).toContain('c-nepal');
        expect(found).not.toContain('c-nepal-qatar');
      });

      it('never lists a record that shares nothing with it, nor more than asked', async () => {
        // French text about Côte d'Ivoire: not a word or a tag in common with Nepal and Qatar.
        expect(await related('c-nepal-qatar', 50)).not.toContain('c-civ');
        expect(await related('c-nepal-qatar', 1)).toEqual(['c-qatar-stadiums']);
      });

      it('relates records through a shared country even without a shared word', async () => {
        // Only the Thailand tag links these two.
        expect(await related('c-tag-only-tha', 50)).toEqual(expect.arrayContaining(['c-lao', 'c-myanmar']));
      });

      it('returns whole documents, and copes with a record without text or not in the index', async () => {
        const [first] = await under.engine.related({ document: documentOf('c-nepal-qatar'), limit: 1 });
        expect(first).toMatchObject({ id: 'c-qatar-stadiums', title: 'Stadium construction workers in Qatar', countries: ['QAT'] });
        await expect(related('c-undated-guide')).resolves.toEqual(expect.any(Array));
        // A record from elsewhere (a preview, a record being edited) is compared all the same.
        const outsider = makeDocument({ id: 'not-indexed', title: 'Qatar stadium workers', countries: ['QAT'] });
        expect((await under.engine.related({ document: outsider, limit: 2 })).map((d) => d.id)).toContain('c-qatar-stadiums');
        expect(await under.engine.related({ document: documentOf('c-nepal-qatar'), limit: 0 })).toEqual([]);
      });
    });

    describe('pagination', () => {
      it('pages through results without overlap and beyond the end returns no hits', async () => {
        const first = await search(query('', { size: 3, page: 1 }));
        const second = await search(query('', { size: 3, page: 2 }));
        expect(first.hits).toHaveLength(3);
        expect(second.hits.map((h) => h.id)).not.toEqual(expect.arrayContaining(first.hits.map((h) => h.id)));
        const beyond = await search(query('', { size: 20, page: 50 }));
        expect(beyond.hits).toHaveLength(0);
        expect(beyond.total).toBe(contractDocuments.length);
      });
    });

    describe('the result rules every engine keeps (src/search/result-rules.ts, src/search/facet-values.ts)', () => {
      it('lists a selected value with its own count and marked selected, also one outside the listed top values', async () => {
        const listed = (await search(query('', { size: 1 }))).facets.publisher.map((v) => v.value);
        const everyPublisher = [...new Set(contractDocuments.flatMap((d) => d.publishers))];
        const unlisted = everyPublisher.filter((p) => !listed.includes(p)).sort()[0];
        expect(unlisted).toBeDefined();
        const yearbooks = contractDocuments.filter((d) => d.type === 'Yearbook');
        for (const q of [
          query('', { filters: { publisher: [unlisted!] } }),
          query('yearbook', { filters: { publisher: [unlisted!, 'Nobody Press'], type: ['Yearbook'] } }),
        ]) {
          const page = await search(q);
          const selected = page.facets.publisher.filter((v) => v.selected);
          // Disjunctive: the publisher's count ignores the publisher selection itself.
          const count = (q.filters.type.length > 0 ? yearbooks : contractDocuments).filter((d) => d.publishers.includes(unlisted!)).length;
          expect(selected).toContainEqual({ value: unlisted, count, selected: true });
          expect(selected.map((v) => v.value).sort()).toEqual([...q.filters.publisher].sort());
          expect(page.facets.publisher.filter((v) => v.value === unlisted)).toHaveLength(1);
        }
      });

      it('gives no hits for a page that starts beyond the result window, and still its total and facets', async () => {
        const size = 100;
        const beyond = query('', { size, page: MAX_RESULT_WINDOW / size + 1 });
        const first = await search(query('', { size }));
        const page = await search(beyond);
        expect(page.hits).toEqual([]);
        expect(page.total).toBe(contractDocuments.length);
        expect(page.facets).toEqual(first.facets);
        expect(page.years).toEqual(first.years);
        expect(await under.engine.count({ query: beyond, analysed: analyseQuery(vocab, '') })).toBe(contractDocuments.length);
      });

      it('orders "relevance" without words to rank by as newest first', async () => {
        for (const text of ['', '-Nepal']) {
          const newest = await ids(query(text, { sort: 'newest', size: 100 }));
          expect(await ids(query(text, { sort: 'relevance', size: 100 }))).toEqual(newest);
          expect(newest.length).toBeGreaterThan(10);
        }
      });

      it("gives every hit the record's own title, marked where the query matched", async () => {
        for (const q of [query('', { size: 100 }), query('workers', { size: 100 }), query('Burma'), query('migrant', { filters: { country: ['NPL'] } })]) {
          const page = await search(q);
          expect(page.hits.length).toBeGreaterThan(0);
          for (const hit of page.hits) expect(strip(hit.title)).toBe(hit.document.title);
        }
      });

      it('shows the beginning of the abstract as the snippet when nothing in it matched, and no snippet without an abstract', async () => {
        const long = contractDocuments.find((d) => d.id === 'c-long-abstract')!;
        for (const q of [query('pastoralists'), query('', { size: 100 })]) {
          const hit = (await search(q)).hits.find((h) => h.id === long.id);
          expect(hit?.snippets).toEqual(plainSnippets(long.abstract));
        }
        expect(plainSnippets(long.abstract)[0]).toMatch(/^Herders in the Sahel .*…$/);
        const browse = await search(query('', { size: 100 }));
        for (const hit of browse.hits) expect(hit.snippets).toEqual(plainSnippets(hit.document.abstract));
        expect(browse.hits.some((h) => h.snippets.length === 0)).toBe(true);
      });

      it('shows the passage where the query matched, marked, when the abstract has it', async () => {
        const hit = (await search(query('savings'))).hits.find((h) => h.id === 'c-remit-abstract');
        expect(hit?.snippets.join(' ')).toContain(`${HIGHLIGHT_START}savings${HIGHLIGHT_END}`);
      });
    });

    /** Words, phrases, names, exclusions, operators, filters, year ranges and pages, for what must agree with search(). */
    const variedQueries = (): SearchQuery[] => [
      query(''),
      query('workers'),
      query('"domestic workers"'),
      query('Burma'),
      query('ASEAN'),
      query('migrant -Nepal'),
      query('-Nepal'),
      query('remittances OR trafficking'),
      query('(nepali workers) OR qatar'),
      query('nothingmatchesthis'),
      query('', { filters: { country: ['NPL', 'LAO'] } }),
      query('workers', { filters: { country: ['NPL'], type: ['Report', 'Policy brief'] } }),
      query('', { filters: { country: ['ATA'] } }),
      query('', { yearFrom: 2015, yearTo: 2019 }),
      query('', { yearFrom: 2015, yearTo: 2019, includeUndated: true }),
      query('', { undatedOnly: true }),
      query('workers', { filters: { language: ['en'] }, yearTo: 2018, page: 3, size: 5 }),
    ];

    describe('a search without counts (facets: false): what lists records and nothing else', () => {
      it('finds the same hits in the same order and the same total as the full search, and counts nothing', async () => {
        for (const q of [...variedQueries(), query('', { yearFrom: 2015, yearTo: 2019, includeUndated: true, sort: 'oldest' })]) {
          const analysed = analyseQuery(vocab, q.text);
          const full = await under.engine.search({ query: q, analysed });
          const bare = await under.engine.search({ query: q, analysed, facets: false });
          expect({ q: q.text, total: bare.total, ids: bare.hits.map((h) => h.id) }).toEqual({ q: q.text, total: full.total, ids: full.hits.map((h) => h.id) });
          expect(bare.hits.map((h) => h.title)).toEqual(full.hits.map((h) => h.title));
          for (const facet of FACET_NAMES) expect(bare.facets[facet]).toEqual([]);
          expect(bare.years).toEqual({ years: [], undated: 0 });
        }
      });
    });

    describe('count: the number of matches alone', () => {
      const count = (q: SearchQuery, minimumMatch?: number) =>
        under.engine.count({ query: q, analysed: { ...analyseQuery(vocab, q.text), ...(minimumMatch === undefined ? {} : { minimumMatch }) } });

      it('is the total search() reports, for words, phrases, names, exclusions, operators, filters and year ranges', async () => {
        for (const q of variedQueries()) {
          const total = (await search(q)).total;
          expect({ q: q.text, filters: q.filters, count: await count(q) }).toEqual({ q: q.text, filters: q.filters, count: total });
        }
        expect(await count(query(''))).toBe(contractDocuments.length);
        expect(await count(query('', { filters: { country: ['NPL'] } }))).toBe(docsWith('country', 'NPL').length);
      });

      it('counts a partial match ("most of the words") as search() finds it', async () => {
        const text = 'remittances kyrgyzstan trafficking';
        const cases: [number, Partial<FacetFilters>][] = [[1, {}], [2, {}], [1, { language: ['en'] }]];
        for (const [minimumMatch, filters] of cases) {
          const q = query(text, { filters });
          const analysed = { ...analyseQuery(vocab, text), minimumMatch };
          expect(await count(q, minimumMatch)).toBe((await under.engine.search({ query: q, analysed })).total);
        }
        expect(await count(query(text), 2)).toBe(1);
      });

      it('is 0 before the first build, as search() finds an empty library', async () => {
        const empty = await create();
        try {
          const q = query('workers', { filters: { country: ['NPL'] } });
          expect(await empty.engine.count({ query: q, analysed: analyseQuery(vocab, q.text) })).toBe(0);
          expect((await empty.engine.search({ query: q, analysed: analyseQuery(vocab, q.text) })).total).toBe(0);
        } finally {
          await empty.cleanup();
        }
      });

      it('answers counts asked for together, each its own', async () => {
        const qs = [query('workers'), query('nothingmatchesthis'), query('', { filters: { country: ['NPL'] } }), query('Burma')];
        const together = await Promise.all(qs.map((q) => count(q)));
        const alone: number[] = [];
        for (const q of qs) alone.push(await count(q));
        expect(together).toEqual(alone);
        expect(together[1]).toBe(0);
      });
    });

    describe('no-results help asks the engine for counts, not searches (SearchService over this engine)', () => {
      function recorded(): { service: SearchService; calls: string[] } {
        const calls: string[] = [];
        const engine = under.engine;
        const spy: SearchEngine = Object.create(engine) as SearchEngine;
        spy.search = (request) => {
          calls.push('search');
          return engine.search(request);
        };
        spy.count = (request) => {
          calls.push('count');
          return engine.count(request);
        };
        return { service: new SearchService(spy, (text) => analyseQuery(vocab, text), vocab), calls };
      }

      it('counts each filter to remove, and searches once', async () => {
        const { service, calls } = recorded();
        const q = query('recruitment', { filters: { country: ['NPL', 'QAT'], type: ['Report'] }, yearFrom: 2019 });
        const outcome = await service.search(q);
        expect(outcome.result.total).toBe(0);
        const byValue = Object.fromEntries(outcome.relaxations.map((r) => [`${r.facet}:${r.value}`, r.count]));
        const without = async (changed: Partial<SearchQuery>) => (await search({ ...q, ...changed })).total;
        expect(byValue).toEqual({
          'country:NPL': await without({ filters: { ...q.filters, country: ['QAT'] } }),
          'country:QAT': await without({ filters: { ...q.filters, country: ['NPL'] } }),
          'type:Report': await without({ filters: { ...q.filters, type: [] } }),
          'year:2019–': await without({ yearFrom: undefined }),
        });
        expect(calls.filter((c) => c === 'search')).toHaveLength(1);
        expect(calls.filter((c) => c === 'count')).toHaveLength(4);
      });

      it('counts the levels of "most of the words" and the corrected spelling, then searches only the partial match shown', async () => {
        const { service, calls } = recorded();
        const outcome = await service.search(query('remittances trafficking'));
        expect(outcome.match).toBe('partial');
        expect(outcome.result.total).toBeGreaterThan(0);
        expect(calls.filter((c) => c === 'search')).toHaveLength(2);
        const misspelt = recorded();
        const corrected = await misspelt.service.search(query('remitances'));
        expect(corrected.suggestion).toEqual({ text: 'remittances', total: (await search(query('remittances'))).total });
        expect(misspelt.calls).toEqual(['search', 'count']);
      });
    });

    describe('datestamps and the change listing (OAI-PMH, sitemap)', () => {
      type Listed = { id: string; changed: string };
      async function listAll(request: Omit<ChangeListRequest, 'limit' | 'after'> = {}, limit = 3): Promise<{ docs: Listed[]; total: number }> {
        const docs: Listed[] = [];
        let after: ChangeListRequest['after'];
        let total = -1;
        for (let guard = 0; guard < 100; guard++) {
          const page = await under.engine.listChanges({ ...request, after, limit });
          total = page.total;
          docs.push(...page.documents.map((d) => ({ id: d.id, changed: d.changed })));
          if (page.documents.length < limit) break;
          const last = page.documents[page.documents.length - 1]!;
          after = { changed: last.changed, id: last.id };
        }
        return { docs, total };
      }
      const byOrder = (a: Listed, b: Listed) => (a.changed === b.changed ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.changed < b.changed ? -1 : 1);
      const shift = (stamp: string, seconds: number) => new Date(Date.parse(stamp) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

      it('lists every document once, in (datestamp, id) order, page by page after a cursor', async () => {
        const { docs, total } = await listAll();
        expect(total).toBe(contractDocuments.length);
        expect(docs.map((d) => d.id).sort()).toEqual(contractDocuments.map((d) => d.id).sort());
        expect(docs).toEqual([...docs].sort(byOrder));
        for (const d of docs) expect(d.changed).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        const offsetPage = await under.engine.listChanges({ offset: 2, limit: 3 });
        expect(offsetPage.documents.map((d) => d.id)).toEqual(docs.slice(2, 5).map((d) => d.id));
        expect(offsetPage.generation).toBe((await under.engine.status()).generation);
        expect((await under.engine.get('c-lao'))?.changed).toBe(docs.find((d) => d.id === 'c-lao')?.changed);
      });

      it('filters by datestamp range (inclusive) and by one facet\'s values', async () => {
        const { docs } = await listAll();
        const stamp = docs[0]!.changed;
        expect((await listAll({ from: stamp, until: stamp })).total).toBe(docs.filter((d) => d.changed === stamp).length);
        expect((await listAll({ until: shift(stamp, -1) })).docs).toEqual([]);
        expect((await listAll({ from: shift(docs[docs.length - 1]!.changed, 1) })).docs).toEqual([]);
        const reports = await listAll({ facet: { name: 'type', values: ['Report', 'Guide'] } }, 2);
        const expected = contractDocuments.filter((d) => d.type === 'Report' || d.type === 'Guide').map((d) => d.id).sort();
        expect(reports.docs.map((d) => d.id).sort()).toEqual(expected);
        expect(reports.total).toBe(expected.length);
        // A multi-valued facet (OAI-PMH sets by theme work the same way).
        expect((await listAll({ facet: { name: 'country', values: ['THA'] } })).docs.map((d) => d.id).sort()).toEqual(
          contractDocuments.filter((d) => d.countries.includes('THA')).map((d) => d.id).sort(),
        );
      });

      it('keeps the datestamp of unchanged documents across rebuilds; changed and new ones get the commit time', async () => {
        const before = new Map((await listAll()).docs.map((d) => [d.id, d.changed]));
        // Datestamps have second precision: let the clock move on.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const edited = contractDocuments
          .filter((d) => d.id !== 'c-lao')
          .map((d) => (d.id === 'c-nepal' ? { ...d, title: `${d.title} (revised)` } : d));
        const startedAt = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const full = await under.admin.openWriter({ mode: 'full' });
        await full.write([...edited, makeDocument({ id: 'c-new', title: 'A new arrival' })]);
        await full.commit({ runId: 'datestamps', maxDropShare: 1 });
        const after = new Map((await listAll()).docs.map((d) => [d.id, d.changed]));
        expect(after.has('c-lao')).toBe(false);
        for (const d of edited) if (d.id !== 'c-nepal') expect(after.get(d.id)).toBe(before.get(d.id));
        const fresh = after.get('c-new')!;
        expect(fresh > startedAt).toBe(true);
        expect(after.get('c-nepal')).toBe(fresh);
        expect((await listAll({ from: fresh })).docs.map((d) => d.id).sort()).toEqual(['c-nepal', 'c-new']);

        // Incremental runs carry datestamps the same way, including those of the build before.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const incremental = await under.admin.openWriter({ mode: 'incremental' });
        const myanmar = contractDocuments.find((d) => d.id === 'c-myanmar')!;
        await incremental.write([contractDocuments.find((d) => d.id === 'c-remit-title')!, { ...myanmar, abstract: 'Changed.' }]);
        await incremental.commit({ runId: 'datestamps-2', maxDropShare: 1 });
        const third = new Map((await listAll()).docs.map((d) => [d.id, d.changed]));
        expect(third.get('c-remit-title')).toBe(before.get('c-remit-title'));
        expect(third.get('c-new')).toBe(fresh);
        expect(third.get('c-nepal')).toBe(fresh);
        expect(third.get('c-myanmar')! > fresh).toBe(true);
        expect((await under.engine.get('c-myanmar'))?.changed).toBe(third.get('c-myanmar'));

        // Back to the documents the other tests expect.
        const restore = await under.admin.openWriter({ mode: 'full' });
        await restore.write(contractDocuments);
        await restore.commit({ runId: 'restore', maxDropShare: 1 });
      });
    });

    describe('atomic rebuild', () => {
      it('keeps answering from the live index until a new one is committed', async () => {
        const writer = await under.admin.openWriter({ mode: 'full' });
        await writer.write([makeDocument({ id: 'n-1', title: 'Brand new zeppelin study' }), ...contractDocuments]);
        expect(await ids(query('zeppelin'))).toEqual([]);
        await writer.commit({ runId: 'rebuild', maxDropShare: 0.5 });
        expect(await ids(query('zeppelin'))).toEqual(['n-1']);
      });

      it('leaves the live index untouched when a build is aborted', async () => {
        const before = (await under.engine.status()).documents;
        const writer = await under.admin.openWriter({ mode: 'full' });
        await writer.write([makeDocument({ id: 'n-2', title: 'Aborted airship' })]);
        await writer.abort();
        expect((await under.engine.status()).documents).toBe(before);
        expect(await ids(query('airship'))).toEqual([]);
      });

      it('refuses an empty index and a drop beyond the allowed share', async () => {
        const before = (await under.engine.status()).documents;
        const empty = await under.admin.openWriter({ mode: 'full' });
        await expect(empty.commit({ runId: 'empty', maxDropShare: 1 })).rejects.toBeInstanceOf(CommitRefusedError);
        const small = await under.admin.openWriter({ mode: 'full' });
        await small.write(contractDocuments.slice(0, 2));
        await expect(small.commit({ runId: 'small', maxDropShare: 0.5 })).rejects.toBeInstanceOf(CommitRefusedError);
        expect((await under.engine.status()).documents).toBe(before);
      });

      it('keeps one document per id in a full build, as it was last written: twice in a batch, in a later batch, after a delete', async () => {
        const before = await under.engine.status();
        const writer = await under.admin.openWriter({ mode: 'full' });
        await writer.write([
          makeDocument({ id: 'w-1', title: 'Walrus census, first draft' }),
          makeDocument({ id: 'w-2', title: 'Wombat survey' }),
          makeDocument({ id: 'w-1', title: 'Walrus census, second draft' }),
        ]);
        await writer.write([makeDocument({ id: 'w-1', title: 'Walrus census, final text' }), ...contractDocuments]);
        expect(await writer.delete(['w-2'])).toBe(1);
        await writer.write([makeDocument({ id: 'w-2', title: 'Wombat survey, written again' })]);
        expect(await writer.delete(['w-2', 'w-2'])).toBe(1);
        await writer.write([makeDocument({ id: 'w-2', title: 'Wombat survey, third time' })]);
        await writer.commit({ runId: 'rewrite', maxDropShare: 1 });
        try {
          expect((await under.engine.status()).documents).toBe(contractDocuments.length + 2);
          expect((await under.engine.get('w-1'))?.title).toBe('Walrus census, final text');
          expect((await under.engine.get('w-2'))?.title).toBe('Wombat survey, third time');
          expect(await ids(query('walrus'))).toEqual(['w-1']);
          expect(await ids(query('draft'))).toEqual([]);
          expect(await ids(query('wombat'))).toEqual(['w-2']);
        } finally {
          // The tests after this one expect the library they had.
          await under.admin.rollback();
        }
        expect((await under.engine.status()).generation).toBe(before.generation);
      });

      it('applies incremental changes on top of the live index', async () => {
        const writer = await under.admin.openWriter({ mode: 'incremental' });
        await writer.write([makeDocument({ id: 'n-3', title: 'Incremental hovercraft report' })]);
        await writer.delete(['n-1']);
        await writer.commit({ runId: 'incremental', maxDropShare: 0.5 });
        expect(await ids(query('hovercraft'))).toEqual(['n-3']);
        expect(await ids(query('zeppelin'))).toEqual([]);
        expect(await ids(query('remittances'))).toContain('c-remit-title');
      });

      it('rolls back to the previous generation', async () => {
        expect(await under.admin.rollback()).toBe(true);
        expect(await ids(query('zeppelin'))).toEqual(['n-1']);
        expect(await ids(query('hovercraft'))).toEqual([]);
      });
    });

    describe('a new generation compared with the live one', () => {
      it('lists the live sources and ids, carries records over unless written again or excluded, and counts deletions', async () => {
        const first = await under.admin.openWriter({ mode: 'full', runId: 'contract-a' });
        await first.write([
          makeDocument({ id: 's-1', title: 'From feed A', source: 'feed-a' }),
          makeDocument({ id: 's-2', title: 'Also from feed A', source: 'feed-a' }),
          makeDocument({ id: 's-3', title: 'From feed B', source: 'feed-b' }),
          makeDocument({ id: 's-5', title: 'Also from feed B', source: 'feed-b' }),
          makeDocument({ id: 's-4', title: 'Without a source' }),
        ]);
        await first.commit({ runId: 'contract-a', maxDropShare: 1 });
        const stamped = (await under.engine.get('s-5'))?.changed;
        expect(stamped).toEqual(expect.any(String));
        // Datestamps have whole seconds: the next build must be in a later one to tell them apart.
        await new Promise((resolve) => setTimeout(resolve, 1100));

        const writer = await under.admin.openWriter({ mode: 'full', runId: 'contract-b' });
        expect(await writer.liveSources()).toEqual(new Map([['feed-a', 2], ['feed-b', 2], ['', 1]]));
        expect(await collect(writer.liveIds('feed-a'))).toEqual(['s-1', 's-2']);
        expect(await collect(writer.liveIds(''))).toEqual(['s-4']);
        expect(await collect(writer.liveIds('feed-c'))).toEqual([]);
        // Delivered again: the new record wins over the live one it would carry over.
        await writer.write([makeDocument({ id: 's-1', title: 'From feed A, revised', source: 'feed-a' })]);
        expect(await writer.carryOver('feed-a', new Set())).toBe(1);
        expect(await writer.carryOver('feed-b', new Set(['s-3']))).toBe(1);
        expect(await writer.delete(['s-2', 'not-there'])).toBe(1);
        expect(await writer.carryOver('feed-a', new Set(['s-2']))).toBe(0);
        await writer.commit({ runId: 'contract-b', maxDropShare: 1 });

        expect((await under.engine.get('s-1'))?.title).toBe('From feed A, revised');
        for (const gone of ['s-2', 's-3', 's-4']) expect(await under.engine.get(gone)).toBeNull();
        expect(await under.engine.status()).toMatchObject({ documents: 2, runId: 'contract-b' });
        // Carried over as it was: its datestamp too (harvesters of this portal see no change).
        expect((await under.engine.get('s-5'))?.changed).toBe(stamped);
        expect((await under.engine.get('s-1'))?.changed).not.toBe(stamped);
      });

      it("removes an unfinished build at once when its run does not hold the lease, and keeps the lease holder's", async () => {
        const before = await under.engine.status();
        const dead = await under.admin.openWriter({ mode: 'full', runId: 'contract-dead' });
        await dead.write([makeDocument({ id: 'o-1', title: 'Orphaned build', source: 'feed-a' })]);
        const holder = runHolder('test-host:1', 'contract-live');
        expect((await under.leases.acquire(INGEST_LOCK, holder, 60_000)).acquired).toBe(true);
        try {
          const live = await under.admin.openWriter({ mode: 'full', runId: 'contract-live' });
          await live.write([makeDocument({ id: 'o-2', title: 'Build of the lease holder', source: 'feed-a' })]);
          // Opened by someone else while the holder's run builds: its build stays, the dead one goes.
          const other = await under.admin.openWriter({ mode: 'full', runId: 'contract-other' });
          await other.abort();
          await expect(dead.commit({ runId: 'contract-dead', maxDropShare: 1 })).rejects.toThrow(/removed as abandoned/);
          await dead.abort();
          expect((await live.commit({ runId: 'contract-live', maxDropShare: 1 })).documents).toBe(1);
        } finally {
          await under.leases.release(INGEST_LOCK, holder);
        }
        expect(await under.engine.status()).toMatchObject({ documents: 1, runId: 'contract-live' });
        expect(before.generation).not.toBe((await under.engine.status()).generation);
      });

      it('completes a title written again, in one build or in an incremental one, only as it last was', async () => {
        const titles = async (typed: string) =>
          (await under.engine.complete({ prefix: completionKey(typed), titles: 5, publishers: 0, counts: [] })).titles.map((t) => t.id);
        const full = await under.admin.openWriter({ mode: 'full', runId: 'contract-titles' });
        await full.write([makeDocument({ id: 't-1', title: 'Zanzibar seafarers, a first version' })]);
        await full.write([makeDocument({ id: 't-1', title: 'Zanzibar fishers, a second version' })]);
        await full.commit({ runId: 'contract-titles', maxDropShare: 1 });
        expect(await titles('zanzibar sea')).toEqual([]);
        expect(await titles('zanzibar fish')).toEqual(['t-1']);
        const incremental = await under.admin.openWriter({ mode: 'incremental', runId: 'contract-titles-2' });
        await incremental.write([makeDocument({ id: 't-1', title: 'Zanzibar dockworkers, a third version' })]);
        await incremental.commit({ runId: 'contract-titles-2', maxDropShare: 1 });
        expect(await titles('zanzibar fish')).toEqual([]);
        expect(await titles('zanzibar dock')).toEqual(['t-1']);
        expect(await titles('third vers')).toEqual(['t-1']);
      });
    });
  });
}
