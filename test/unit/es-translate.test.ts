/** The Elasticsearch adapter's pure parts: query translation, mappings, response reading, text alignment. */
import type { QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import { analyseQuery } from '../../src/search/query-analyser';
import { FACET_FIELDS as CORE_FACETS, SEARCH_FIELDS } from '../../src/search/fields';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { FACET_NAMES, HIGHLIGHT_END, HIGHLIGHT_START, type FacetName, type SearchQuery } from '../../src/search/types';
import { countBody, FACET_FIELDS, splitForCache, translateQuery, type EsSearchBody } from '../../src/backends/elasticsearch/translate-query';
import { indexBody } from '../../src/backends/elasticsearch/mappings';
import { MAX_RESULT_WINDOW } from '../../src/search/result-rules';
import { MAX_WILDCARDS } from '../../src/search/query-parser';
import { readResponse, type EsSearchResponse } from '../../src/backends/elasticsearch/read-response';
import { ES_MARK_END, ES_MARK_START, esId, restoreMarked, searchableText, toEsDocument } from '../../src/backends/elasticsearch/document';
import { indexNames } from '../../src/backends/elasticsearch/names';
import { staleGenerations, swapActions, rollbackActions, type GenerationState } from '../../src/backends/elasticsearch/generations';
import { bulkAction, dropFailure } from '../../src/backends/elasticsearch/bulk';
import { makeDocument } from '../contract/contract-documents';
import { facetLabeller } from '../../src/search/facet-values';
import { facetValuesBody, prefixPattern } from '../../src/backends/elasticsearch/facet-values-query';
import { query } from '../contract/engine-contract';

const vocab = loadVocabulary();
const label = facetLabeller(vocab);
const translate = (q: SearchQuery): EsSearchBody => translateQuery({ query: q, analysed: analyseQuery(vocab, q.text) });

/** Every object in a JSON tree, with the key it sits under. */
function* walk(node: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, node];
  if (Array.isArray(node)) for (const item of node) yield* walk(item, key);
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) yield* walk(v, k);
}

const BOOSTED = SEARCH_FIELDS.map((f) => `text.${f.name}^${f.boost}`);

/** The positive clauses of a translated query (bool.must is a query or a list of them). */
function mustOf(body: EsSearchBody): QueryDslQueryContainer[] {
  const must = body.query?.bool?.must;
  return must === undefined ? [] : Array.isArray(must) ? must : [must];
}

describe('translateQuery', () => {
  const hostile = ['"', '""', '-', '(', 'AND OR NOT', 'NEAR(a b)', 'title:x', '*', 'a^2', '{x}', "'; DROP TABLE docs; --", '\u0000', '🙂',
    '"unbalanced', 'x OR', '\\', 'text.title:(a OR b)~2', '/regex.*/', 'a && b || !c', '_exists_:year', 'fo?o bar*', '+must -not', '<script>', 'wom?n', '*abc', 'ab*c*d?e*f*g*h', 'x[a-z]?yz', 'a\\?bcd'];

  it.each(hostile)('builds structured DSL only, with plain words, for %j', (text) => {
    const body = translate(query(text));
    const forbidden = ['query_string', 'simple_query_string', 'regexp', 'fuzzy', 'script', 'script_score'];
    for (const [key, value] of walk(body)) {
      expect(forbidden).not.toContain(key);
      if (key === 'multi_match' || key === 'combined_fields') expect((value as { query: string }).query).toMatch(/^[\p{L}\p{N}]+( [\p{L}\p{N}]+)*$/u);
      // Truncation ("bar*"): a prefix of one plain word of three letters or more, never a pattern.
      if (key === 'prefix') for (const field of Object.values(value as Record<string, { value: string }>)) expect(field.value).toMatch(/^[\p{L}\p{N}]{3,}$/u);
      // Wildcards ("wom?n"): letters first, only '?' and '*' besides letters, a few of them at most.
      if (key === 'wildcard') {
        for (const field of Object.values(value as Record<string, { value: string }>)) {
          expect(field.value).toMatch(/^\p{L}[\p{L}\p{N}]*([?*]+[\p{L}\p{N}]*)*$/u);
          expect(field.value.replace(/[^?*]/g, '').length).toBeLessThanOrEqual(MAX_WILDCARDS);
        }
      }
    }
  });

  it('searches every text field with the boosts of SEARCH_FIELDS', () => {
    const body = translate(query('remittances abroad'));
    const multi = [...walk(body.query?.bool?.must)].filter(([k]) => k === 'multi_match' || k === 'combined_fields').map(([, v]) => v as { fields: string[] });
    expect(multi.length).toBeGreaterThan(0);
    for (const m of multi) expect(m.fields).toEqual(BOOSTED);
    // The proximity boost looks in title and abstract only, with their boosts.
    const proximity = translate(query('domestic workers abroad')).query?.bool?.should;
    expect(proximity).toEqual([
      { multi_match: { query: 'domestic workers abroad', type: 'phrase', fields: BOOSTED.filter((f) => /title|abstract/.test(f)) } },
    ]);
  });

  it('ANDs clauses, ORs the units of a clause, and excludes negated clauses', () => {
    const bool = translate(query('migrant -Nepal')).query?.bool;
    expect(bool?.must).toHaveLength(1);
    expect(bool?.must_not).toHaveLength(1);
    const excluded = JSON.stringify(bool?.must_not);
    expect(excluded).toContain('"countries":{"value":"NPL"');
    expect(excluded).toContain('"query":"nepal"');
    const onlyExclusion = translate(query('-Nepal')).query?.bool;
    expect(onlyExclusion?.must).toEqual([{ match_all: {} }]);
    // A recognised name: the phrase, its words apart, its equivalent names (aliases), and its tag.
    const units = mustOf(translate(query('domestic workers')))[0]?.bool?.should as QueryDslQueryContainer[];
    expect(units.slice(0, 2)).toEqual([
      { multi_match: { query: 'domestic workers', type: 'phrase', fields: BOOSTED } },
      { combined_fields: { query: 'domestic workers', operator: 'and', fields: BOOSTED } },
    ]);
    expect(units).toContainEqual({ multi_match: { query: 'household workers', type: 'phrase', fields: BOOSTED } });
    expect(units[units.length - 1]).toEqual({ term: { themes: { value: 'domestic-work', boost: 4 } } });
    expect(mustOf(translate(query('remittances')))[0]).toMatchObject({
      bool: { should: expect.arrayContaining([{ combined_fields: { query: 'remittances', operator: 'and', fields: BOOSTED } }]) },
    });
    const phrase = JSON.stringify(translate(query('"domestic workers"')).query);
    expect(phrase).toContain('"type":"phrase"');
    expect(phrase).not.toContain('combined_fields');
  });

  it('puts the facet filters in post_filter and gives each facet the OTHER facets\' filters (disjunctive counts)', () => {
    const body = translate(query('', { filters: { country: ['NPL', 'LAO'], type: ['Report'] }, yearFrom: 2010 }));
    const filters = body.post_filter?.bool?.filter;
    expect(filters).toEqual(
      expect.arrayContaining([{ terms: { countries: ['NPL', 'LAO'] } }, { terms: { type: ['Report'] } }, { range: { year: { gte: 2010 } } }]),
    );
    const aggs = body.aggs ?? {};
    const filterOf = (name: string) => JSON.stringify(aggs[name]?.filter);
    // A facet with a selection is counted under every OTHER facet's filter and the year range …
    expect(filterOf('except_country')).not.toContain('"countries"');
    expect(filterOf('except_country')).toContain('"type":["Report"]');
    expect(filterOf('except_country')).toContain('"gte":2010');
    expect(filterOf('except_type')).toContain('"countries":["NPL","LAO"]');
    expect(filterOf('except_type')).not.toContain('"type"');
    // … the years with a range under every facet filter but not the range …
    expect(filterOf('except_year')).not.toContain('"range"');
    expect(filterOf('except_year')).toContain('"countries"');
    expect(Object.keys(aggs.except_year?.aggs ?? {}).sort()).toEqual(['year_buckets', 'year_undated']);
    // … and every facet without a selection under all filters, in one group whose count is the total.
    expect(aggs.all?.filter).toEqual(body.post_filter);
    const unselected = FACET_NAMES.filter((f) => f !== 'country' && f !== 'type');
    expect(Object.keys(aggs.all?.aggs ?? {}).sort()).toEqual(unselected.map((f) => `${f}_values`).sort());
    for (const [facet, field] of Object.entries(FACET_FIELDS)) {
      const group = (unselected as string[]).includes(facet) ? 'all' : `except_${facet}`;
      expect(aggs[group]?.aggs?.[`${facet}_values`]?.terms).toMatchObject({ field, size: CORE_FACETS[facet as FacetName].listLimit });
    }
    // Selected values are always counted, in the order they were selected.
    expect(aggs.except_country?.aggs?.country_selected?.filters?.filters).toEqual([{ term: { countries: 'NPL' } }, { term: { countries: 'LAO' } }]);
    expect(JSON.stringify(aggs)).not.toContain('theme_selected');
    expect(aggs.except_year?.aggs).toMatchObject({ year_buckets: { histogram: { field: 'year', interval: 1 } }, year_undated: { missing: { field: 'year' } } });
  });

  it('counts at the top level, with no filter aggregation, what no filter applies to', () => {
    const body = translate(query(''));
    expect(body.post_filter).toBeUndefined();
    expect(Object.keys(body.aggs ?? {}).sort()).toEqual([...Object.keys(FACET_FIELDS).map((f) => `${f}_values`), 'year_buckets', 'year_undated'].sort());
    // The total is then the hits' total of the counts search.
    expect(splitForCache(body).counts.track_total_hits).toBe(true);
    // A facet that is the only filter: its own counts apply none.
    const aggs = translate(query('', { filters: { country: ['NPL'] } })).aggs ?? {};
    expect(aggs.country_values).toBeDefined();
    expect(aggs.country_selected).toBeDefined();
    expect(aggs.all?.filter).toEqual({ bool: { filter: [{ terms: { countries: ['NPL'] } }] } });
  });

  it('filters undated documents only, with a missing-year filter', () => {
    expect(translate(query('', { undatedOnly: true })).post_filter).toEqual({
      bool: { filter: [{ bool: { must_not: [{ exists: { field: 'year' } }] } }] },
    });
  });

  it('sorts by score then id, or by date with undated last, then id', () => {
    expect(translate(query('migration')).sort).toEqual([{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
    const newest = [{ date: { order: 'desc', missing: '_last', unmapped_type: 'date' } }, { id: { order: 'asc' } }];
    expect(translate(query('')).sort).toEqual(newest);
    expect(translate(query('', { sort: 'relevance' })).sort).toEqual(newest);
    expect(translate(query('migration', { sort: 'newest' })).sort).toEqual(newest);
    expect(translate(query('', { sort: 'oldest' })).sort).toEqual([
      { date: { order: 'asc', missing: '_last', unmapped_type: 'date' } },
      { id: { order: 'asc' } },
    ]);
  });

  it('keeps from + size within max_result_window', () => {
    expect(translate(query('', { page: 3, size: 20 }))).toMatchObject({ from: 40, size: 20 });
    expect(translate(query('', { page: MAX_RESULT_WINDOW / 100, size: 100 }))).toMatchObject({ from: MAX_RESULT_WINDOW - 100, size: 100 });
    expect(translate(query('', { page: 1000, size: 100 }))).toMatchObject({ from: 0, size: 0 });
    expect(translate(query('', { page: 334, size: 30 }))).toMatchObject({ from: 9990, size: 10 });
  });

  it('highlights the typed words and every other form of a name they matched, in title and abstract, one query per field', () => {
    const fields = translate(query('"domestic workers" remittances -Nepal')).highlight?.fields as Record<string, { highlight_query?: QueryDslQueryContainer }>;
    for (const field of ['text.title', 'text.abstract']) {
      const should = fields[field]?.highlight_query?.bool?.should;
      expect(should).toContainEqual({ match_phrase: { [field]: 'domestic workers' } });
      expect(should).toContainEqual({ match: { [field]: 'remittances' } });
      expect(JSON.stringify(should)).not.toContain('nepal');
      // Each field's query names that field only.
      expect(JSON.stringify(should)).not.toMatch(field === 'text.title' ? /text\.abstract/ : /text\.title/);
    }
    const nepal = JSON.stringify(translate(query('Nepal')).highlight?.fields);
    for (const form of ['"nepal"', '"nepali"', '"nepalese"']) expect(nepal).toContain(form);
  });

  it('counts a demonym only where the record carries the tag', () => {
    const units = JSON.stringify(mustOf(translate(query('Nepal')))[0]);
    expect(units).toContain('{"bool":{"must":[{"combined_fields":{"query":"nepali"');
    expect(units).toContain('"filter":[{"term":{"countries":"NPL"}}]');
  });

  it('reads AND, OR, NOT and groups as nested bool queries', () => {
    const or = mustOf(translate(query('remittances OR trafficking')))[0];
    const orJson = JSON.stringify(or);
    expect(or?.bool?.minimum_should_match).toBe(1);
    expect(orJson).toContain('"query":"remittances"');
    expect(orJson).toContain('"value":"trafficking"');
    const not = translate(query('nepal NOT qatar')).query?.bool;
    expect(JSON.stringify(not?.must)).toContain('"NPL"');
    expect(JSON.stringify(not?.must_not)).toContain('"QAT"');
    const group = JSON.stringify(translate(query('(nepali workers) OR qatar')).query);
    expect(group).toContain('"bool":{"must":[');
  });

  it('asks for most of the clauses, those with more first, for a partial match', () => {
    const analysed = { ...analyseQuery(vocab, 'remittances trafficking kafala'), minimumMatch: 2 };
    const bool = translateQuery({ query: query('remittances trafficking kafala'), analysed }).query?.bool;
    expect(bool?.minimum_should_match).toBe(2);
    expect(bool?.should).toHaveLength(3);
    expect(JSON.stringify(bool?.should)).toContain('"constant_score"');
    expect(bool?.must).toBeUndefined();
  });

  it('splits the search into a page of hits and cacheable counts that also give the total', () => {
    const body = translate(query('migration', { filters: { country: ['NPL'] } }));
    const { hits, counts } = splitForCache(body);
    expect(hits?.aggs).toBeUndefined();
    // The hits are not counted (the top ones can be found without visiting every match) …
    expect(hits).toMatchObject({ query: body.query, post_filter: body.post_filter, highlight: body.highlight, track_total_hits: false });
    // … the total is counted with the facets, in the cacheable size-0 search.
    expect(counts).toEqual({ query: body.query, size: 0, track_total_hits: true, aggs: body.aggs });
    expect(body.aggs?.all?.filter).toEqual(body.post_filter);
    // A page beyond the result window has no hits to ask for: only the counts are sent.
    expect(splitForCache(translate(query('migration', { page: 1000, size: 100 }))).hits).toBeUndefined();
  });

  it('counts with the query and every filter in filter context, size 0 so that the request cache keeps it', () => {
    const q = query('migration -Nepal', { filters: { country: ['QAT'] }, yearFrom: 2010, page: 7 });
    const body = countBody({ query: q, analysed: analyseQuery(vocab, q.text) });
    const search = translate(q);
    expect(body).toEqual({ query: { bool: { filter: [search.query, search.post_filter] } }, size: 0, track_total_hits: true });
    expect(countBody({ query: query(''), analysed: analyseQuery(vocab, '') }).query).toEqual({ bool: { filter: [{ match_all: {} }] } });
  });

  it('highlights title and abstract with private-use tags and no HTML encoder', () => {
    const highlight = translate(query('migration')).highlight;
    expect(highlight).toMatchObject({ pre_tags: [ES_MARK_START], post_tags: [ES_MARK_END] });
    expect(highlight?.encoder).toBeUndefined();
    expect(Object.keys(highlight?.fields ?? {})).toEqual(['text.title', 'text.abstract']);
    expect(translate(query('')).highlight).toBeUndefined();
  });
});

describe('mappings', () => {
  const body = indexBody({ shards: 2, replicas: 1 });

  it('loads the index files named into memory when a generation opens, and none when none are named', () => {
    expect(indexBody({ shards: 1, replicas: 0, preload: ['*'] }).settings).toMatchObject({ 'store.preload': ['*'] });
    expect(indexBody({ shards: 1, replicas: 0, preload: [] }).settings).not.toHaveProperty('store.preload');
    expect(body.settings).not.toHaveProperty('store.preload');
  });

  it('indexes one English text field per SEARCH_FIELDS entry, searched as indexed (no synonym filters: the query analyser expands)', () => {
    const text = (body.mappings?.properties?.text as { properties: Record<string, { analyzer: string; search_analyzer?: string }> }).properties;
    expect(Object.keys(text)).toEqual(SEARCH_FIELDS.map((f) => f.name));
    for (const field of Object.values(text)) {
      expect(field).toMatchObject({ analyzer: 'corridor_text' });
      expect(field.search_analyzer).toBeUndefined();
    }
    const analysis = body.settings?.analysis;
    expect(analysis?.analyzer?.corridor_text).toEqual({
      type: 'custom',
      tokenizer: 'standard',
      filter: ['lowercase', 'asciifolding', 'corridor_possessive', 'corridor_stemmer'],
    });
    expect(JSON.stringify(analysis)).not.toContain('synonym');
    expect(analysis?.filter?.corridor_stemmer).toEqual({ type: 'stemmer', language: 'english' });
    expect(analysis?.filter?.corridor_possessive).toEqual({ type: 'stemmer', language: 'possessive_english' });
    expect(body.settings).toMatchObject({ number_of_shards: 2, number_of_replicas: 1 });
  });

  it('uses only stock filters that the test plugin also registers', () => {
    const filters = Object.values(body.settings?.analysis?.filter ?? {}) as { type: string }[];
    for (const f of filters) expect(['stemmer']).toContain(f.type);
    const chains = Object.values(body.settings?.analysis?.analyzer ?? {}) as { tokenizer: string; filter: string[] }[];
    for (const a of chains) {
      expect(a.tokenizer).toBe('standard');
      for (const f of a.filter) expect(['lowercase', 'asciifolding', 'corridor_possessive', 'corridor_stemmer']).toContain(f);
    }
  });

  it('has keyword facets, a sortable date, an unindexed stored document and a completion field', () => {
    const props = body.mappings?.properties ?? {};
    for (const field of [...Object.values(FACET_FIELDS), 'id', 'source']) expect(props[field]).toMatchObject({ type: 'keyword' });
    expect(props.date).toMatchObject({ type: 'date' });
    expect(props.year).toMatchObject({ type: 'integer' });
    expect(props.doc).toEqual({ type: 'object', enabled: false });
    expect(props.suggest).toMatchObject({ type: 'completion' });
    expect(body.mappings?.dynamic).toBe(false);
  });

});

describe('document and highlight alignment', () => {
  it('blanks non-word characters without moving any offset', () => {
    const text = "Côte d'Ivoire: <b>Wages</b> & “fees” 🙂 women’s";
    const blank = searchableText(text);
    expect(blank).toHaveLength(text.length);
    expect(blank.replace(/\s+/g, ' ').trim()).toBe('Côte d Ivoire b Wages b fees women s');
  });

  it('restores the original text around the marks, as the core sentinels', () => {
    const original = "Migrants in Côte d'Ivoire: women's work.";
    const marked = searchableText(original).replace('Ivoire', `${ES_MARK_START}Ivoire${ES_MARK_END}`).trim();
    expect(restoreMarked(marked, original)).toEqual({
      text: `Migrants in Côte d'${HIGHLIGHT_START}Ivoire${HIGHLIGHT_END}: women's work`,
      start: 0,
      end: original.length - 1,
    });
    expect(restoreMarked('not in the text', original)).toBeUndefined();
  });

  it('derives the searchable fields from SEARCH_FIELDS and keeps the document', () => {
    const doc = makeDocument({ id: 'x', title: 'Workers’ rights', countries: ['LAO'], themes: ['remittances'], published: '2019-04', publisher: 'ILO', authors: ['A. Author'] });
    const es = toEsDocument(doc, vocab);
    expect(es.text.title).toBe('Workers  rights');
    expect(es.text.tags).toContain('Lao PDR');
    expect(es.text.people).toBe('ILO  A  Author');
    expect(es).toMatchObject({ id: 'x', countries: ['LAO'], date: '2019-04', year: 2019, publishers: ['ILO'], doc });
    expect(es.regions.length).toBeGreaterThan(0);
    expect(es.regions).toEqual(expect.arrayContaining([...doc.regions, ...doc.groupings]));
    expect(es.geography).toEqual(doc.regions);
    expect(es.groupings).toEqual(doc.groupings);
    expect(esId('x'.repeat(600))).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(esId('short')).toBe('short');
  });
});

describe('readResponse', () => {
  const doc = makeDocument({ id: 'r1', title: "Women's work in Côte d'Ivoire", abstract: 'A long study. It covers remittances and wages in detail, and more.' });
  const response = {
    took: 7,
    timed_out: false,
    _shards: { total: 1, successful: 1, failed: 0 },
    hits: {
      // Without filters the total; with them, the document count of the group that applies them all.
      total: { value: 1000, relation: 'eq' },
      hits: [
        {
          _index: 'i',
          _id: 'r1',
          _score: 3.5,
          _source: { doc },
          highlight: {
            'text.title': [searchableText(doc.title).replace('Women', `${ES_MARK_START}Women${ES_MARK_END}`)],
            'text.abstract': [`It covers ${ES_MARK_START}remittances${ES_MARK_END} and wages in detail`],
          },
        },
      ],
    },
    aggregations: {
      // The country facet is the only filter: its own counts apply none (translate-query.ts countGroups).
      country_values: { buckets: [{ key: 'NPL', doc_count: 5 }, { key: 'LAO', doc_count: 5 }, { key: 'QAT', doc_count: 9 }] },
      country_selected: { buckets: [{ doc_count: 0 }, { doc_count: 5 }] },
      all: {
        doc_count: 42,
        region_values: { buckets: [] },
        year_buckets: { buckets: [{ key: 2019.0, doc_count: 3 }, { key: 2001.0, doc_count: 1 }] },
        year_undated: { doc_count: 4 },
      },
    },
  } as unknown as EsSearchResponse;

  it('reads hits with restored highlights and trimmed snippets', () => {
    const page = readResponse(query('women', { filters: { country: ['ATA', 'NPL'] } }), response, label);
    expect(page).toMatchObject({ total: 42, page: 1, size: 20, tookMs: 7 });
    const [hit] = page.hits;
    expect(hit).toMatchObject({ id: 'r1', score: 3.5, document: doc });
    expect(hit.title).toBe(`${HIGHLIGHT_START}Women${HIGHLIGHT_END}'s work in Côte d'Ivoire`);
    expect(hit.snippets).toEqual([`…It covers ${HIGHLIGHT_START}remittances${HIGHLIGHT_END} and wages in detail…`]);
  });

  it('lists facet values by count then label, and every selected value (0 when absent)', () => {
    const page = readResponse(query('', { filters: { country: ['ATA', 'NPL'] } }), response, label);
    expect(page.facets.country).toEqual([
      { value: 'QAT', count: 9, selected: false },
      { value: 'LAO', count: 5, selected: false },
      { value: 'NPL', count: 5, selected: true },
      { value: 'ATA', count: 0, selected: true },
    ]);
    expect(page.facets.theme).toEqual([]);
    expect(page.years).toEqual({ years: [{ year: 2001, count: 1 }, { year: 2019, count: 3 }], undated: 4 });
  });

  it('takes the total from the hits without filters', () => {
    expect(readResponse(query('women'), response, label).total).toBe(1000);
  });

  it('gives an empty page, selected values still listed, when there is no index', () => {
    const page = readResponse(query('x', { filters: { theme: ['health'] } }), undefined, label);
    expect(page).toMatchObject({ total: 0, hits: [], years: { years: [], undated: 0 } });
    expect(page.facets.theme).toEqual([{ value: 'health', count: 0, selected: true }]);
  });
});

describe('generations', () => {
  const names = indexNames('corridor');
  const gen = (name: string, state?: 'building' | 'committed', runId?: string) => ({
    name,
    createdAt: Date.now(),
    meta: state ? { state, generation: name, startedAt: '', ...(runId ? { runId } : {}) } : undefined,
  });

  it('names generations so that only they match, whatever the prefix', () => {
    const g = names.newGeneration(new Date('2026-01-02T03:04:05.678Z'));
    expect(g).toMatch(/^corridor-docs-20260102t030405678z-[0-9a-f]{6}$/);
    expect(names.isGeneration(g)).toBe(true);
    expect(names.isGeneration(names.previous)).toBe(false);
    expect(indexNames('corridor-docs').isGeneration(g)).toBe(false);
  });

  it('removes superseded generations and builds of runs that are not building now, never the live or rollback one', () => {
    const state: GenerationState = {
      indices: [
        gen('live', 'committed'),
        gen('prev', 'committed'),
        gen('old', 'committed'),
        gen('crashed', 'building', 'run-dead'),
        gen('unnamed', 'building'),
        gen('running', 'building', 'run-live'),
      ],
    };
    state.live = state.indices[0];
    state.previous = state.indices[1];
    // The lease holder's run is building "running"; every other build belongs to a run that died.
    expect(staleGenerations(state, ['run-live'])).toEqual(['old', 'crashed', 'unnamed']);
    expect(staleGenerations(state, [undefined])).toEqual(['old', 'crashed', 'unnamed', 'running']);
  });

  it('swaps and rolls back both aliases in one request', () => {
    const state: GenerationState = { indices: [], live: gen('g2'), previous: gen('g1') };
    expect(swapActions(names, state, 'g3')).toEqual([
      { remove: { index: 'g1', alias: 'corridor-docs-previous' } },
      { remove: { index: 'g2', alias: 'corridor-docs' } },
      { add: { index: 'g2', alias: 'corridor-docs-previous' } },
      { add: { index: 'g3', alias: 'corridor-docs' } },
    ]);
    expect(swapActions(names, { indices: [] }, 'g1')).toEqual([{ add: { index: 'g1', alias: 'corridor-docs' } }]);
    expect(rollbackActions(names, state)).toEqual([
      { remove: { index: 'g1', alias: 'corridor-docs-previous' } },
      { remove: { index: 'g2', alias: 'corridor-docs' } },
      { add: { index: 'g2', alias: 'corridor-docs-previous' } },
      { add: { index: 'g1', alias: 'corridor-docs' } },
    ]);
    expect(rollbackActions(names, { indices: [], live: gen('g2') })).toBeUndefined();
  });
});

describe('bulk operations', () => {
  it('writes with external versions, so that the last write of an id wins whatever order requests land in', () => {
    expect(bulkAction('g1', { action: 'index', id: 'a', version: 1001, json: '{"id":"a"}' })).toEqual([
      { index: { _index: 'g1', _id: 'a', version: 1001, version_type: 'external' } },
      '{"id":"a"}',
    ]);
    expect(bulkAction('g1', { action: 'delete', id: 'a', version: 1002 })).toEqual({
      delete: { _index: 'g1', _id: 'a', version: 1002, version_type: 'external' },
    });
    expect(bulkAction('g1', { action: 'create', id: 'b', document: { id: 'b' } })).toEqual([{ create: { _index: 'g1', _id: 'b' } }, { id: 'b' }]);
  });

  it('fails the build for refused documents, naming them, but not for superseded writes or missing deletes', () => {
    const dropped = (kind: string, status: number, error: { type: string; reason: string } | null = null) => ({
      status,
      error,
      operation: { [kind]: { _index: 'g1', _id: 'd-1' } },
    });
    expect(dropFailure(dropped('index', 409, { type: 'version_conflict_engine_exception', reason: 'newer' }))).toBeUndefined();
    expect(dropFailure(dropped('create', 409, { type: 'version_conflict_engine_exception', reason: 'exists' }))).toBeUndefined();
    expect(dropFailure(dropped('delete', 404))).toBeUndefined();
    expect(dropFailure(dropped('index', 400, { type: 'document_parsing_exception', reason: 'bad' }))).toBe('d-1: document_parsing_exception: bad');
    expect(dropFailure(dropped('index', 429))).toBe('d-1: kept being rejected with 429 (too many requests)');
  });
});

describe('facet values request', () => {
  const request = (facet: FacetName, prefix?: string, q = query('', { filters: { country: ['NPL'], type: ['Report'] } })) =>
    facetValuesBody({ facet, query: q, analysed: analyseQuery(vocab, q.text), prefix, order: 'count', offset: 0, limit: 10 });

  it('counts every value under the other filters, not the facet’s own, and the selected ones apart', () => {
    const body = request('country');
    const json = JSON.stringify(body.query);
    expect(json).toContain('"type":["Report"]');
    expect(json).not.toContain('"countries":["NPL"]');
    expect(body.size).toBe(0);
    expect(body.aggs?.values?.terms).toMatchObject({ field: 'countries', size: 10_000 });
    expect(body.aggs?.values?.terms?.include).toBeUndefined();
    expect(body.aggs?.selected?.filters?.filters).toEqual([{ term: { countries: 'NPL' } }]);
  });

  it('narrows a free-text facet with a pattern made of letter classes only', () => {
    const include = request('publisher', 'Un W').aggs?.values?.terms?.include as string;
    expect(include.startsWith('.*[')).toBe(true);
    expect(include).toMatch(/^\.\*(\[[\p{L}\p{N}]+\]|\.\+)+\.\*$/u);
    const asRegExp = new RegExp(`^${include}$`);
    expect(asRegExp.test('UN Women')).toBe(true);
    expect(asRegExp.test('Ünited wömen')).toBe(true);
    expect(asRegExp.test('ILO')).toBe(false);
    // Letters beyond Latin Extended-A fold as the embedded engine folds them.
    const romanian = new RegExp(`^${request('publisher', 'stiinti').aggs?.values?.terms?.include as string}$`);
    expect(romanian.test('Editura Științifică')).toBe(true);
    const vietnamese = new RegExp(`^${request('publisher', 'vien').aggs?.values?.terms?.include as string}$`);
    expect(vietnamese.test('Viện Khoa học Lao động')).toBe(true);
  });

  it('builds no pattern from punctuation, and never lets a character of the prefix through as syntax', () => {
    for (const prefix of ['.*', '[', '\\', '(?', '#', '"', '', undefined]) expect(prefixPattern(prefix)).toBeUndefined();
    for (const prefix of ['a|b', 'x{2,}', '(?i)press', 'P.ess', 'Côte d’Ivoire', 'x'.repeat(500)]) {
      const pattern = prefixPattern(prefix)!;
      expect(pattern).toMatch(/^\.\*(\[[\p{L}\p{N}]+\]|\.\+)+\.\*$/u);
      expect(pattern.length).toBeLessThanOrEqual(1000);
    }
    expect(request('country', 'nep').aggs?.values?.terms?.include).toBeUndefined();
  });
});
