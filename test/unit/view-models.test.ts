import path from 'node:path';
import ejs from 'ejs';
import { apiResource, apiSearchResponse } from '../../src/web/api-model';
import type { SearchOutcome } from '../../src/search/search-service';
import type { FacetName, FacetValue, ResourceDocument, SearchHit, SearchQuery } from '../../src/search/types';
import {
  FACET_VISIBLE_VALUES,
  chips,
  formatPublished,
  hitView,
  lastPageFor,
  pagination,
  resourceView,
  safeExternalUrl,
  searchPageView,
  sortOptions,
  yearFacetView,
  sourceLink,
  textLanguage,
  type LabelLookup,
} from '../../src/web/view-models';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import type { SiteVocabulary } from '../../src/web/site-vocabulary';
import { facetValueCheck, movedGroupingsHref } from '../../src/web/site-vocabulary';
import { neighbourWindow, readResultContext, resultHref, resultNavView } from '../../src/web/result-context';
import { facetPageView } from '../../src/web/facet-views';
import { parseSearchParams, toSearchParams } from '../../src/search/params';
import { searchHref } from '../../src/web/links';

const S = '\u0001';
const E = '\u0002';

const labels: LabelLookup = {
  countryLabel: (c) => ({ PHL: 'Philippines', NPL: 'Nepal', LAO: 'Lao PDR', QAT: 'Qatar', MYS: 'Malaysia' })[c],
  regionLabel: (r) => ({ asean: 'ASEAN', gcc: 'Gulf Cooperation Council' })[r],
  themeLabel: (t) => ({ 'domestic-work': 'Domestic work', remittances: 'Remittances' })[t],
};

const vocab = loadVocabulary();
/** The stub labels, with the real vocabulary's hierarchy and checks (what searchPageView needs beyond labels). */
const site: SiteVocabulary = {
  ...labels,
  country: (c) => vocab.country(c),
  theme: (t) => vocab.theme(t),
  isGeography: (id) => vocab.isGeography(id),
  isGrouping: (id) => vocab.isGrouping(id),
  geography: () => vocab.geography(),
};

function query(overrides: Partial<SearchQuery> = {}, filters: Partial<SearchQuery['filters']> = {}): SearchQuery {
  return {
    text: '',
    sort: overrides.text ? 'relevance' : 'newest',
    page: 1,
    size: 20,
    ...overrides,
    filters: { country: [], region: [], grouping: [], theme: [], corridor: [], type: [], publisher: [], language: [], ...filters },
  };
}

function doc(overrides: Partial<ResourceDocument> = {}): ResourceDocument {
  return {
    id: 'ilo-2021-home-truths',
    title: 'Home truths: Access to adequate housing for migrant workers in the ASEAN region',
    abstract: 'Living standards in Singapore, Thailand and Malaysia.',
    url: 'https://www.ilo.org/asia/publications/home-truths',
    publisher: 'ILO',
    publishers: ['ILO'],
    authors: ['Tunon, Max', 'Baruah, Nilim'],
    published: '2021-03',
    year: 2021,
    type: 'Report',
    languages: ['en'],
    countries: ['MYS', 'SGP', 'THA'],
    regions: ['un-m49-035'],
    groupings: ['asean'],
    themes: ['housing'],
    corridors: [],
    keywords: ['accommodation'],
    tagging: {
      countries: { given: ['MYS'], found: ['MYS', 'SGP', 'THA'] },
      regions: { given: [], found: ['asean'], derived: ['asean', 'un-m49-035'] },
      themes: { given: ['housing'], found: [] },
    },
    source: 'sample',
    ...overrides,
  };
}

function hit(d: ResourceDocument, title = d.title, snippets: string[] = []): SearchHit {
  return { id: d.id, score: 1, document: d, title, snippets };
}

function emptyFacets(): Record<FacetName, FacetValue[]> {
  return { country: [], region: [], grouping: [], theme: [], corridor: [], type: [], publisher: [], language: [] };
}

function outcome(q: SearchQuery, partial: Partial<SearchOutcome['result']> = {}, extra: Partial<SearchOutcome> = {}): SearchOutcome {
  return {
    query: q,
    result: {
      total: 0,
      page: q.page,
      size: q.size,
      hits: [],
      facets: emptyFacets(),
      years: { years: [], undated: 0 },
      tookMs: 1,
      ...partial,
    },
    match: 'all',
    tagged: {},
    relaxations: [],
    ...extra,
  };
}

/** Parses a search href back into its parameters, for asserting what a link does. */
function paramsOf(href: string): URLSearchParams {
  expect(href.startsWith('/')).toBe(true);
  return new URL(href, 'http://x').searchParams;
}

describe('facet groups', () => {
  const q = query({ text: 'domestic' }, { country: ['PHL'] });
  const facets = {
    ...emptyFacets(),
    country: [
      { value: 'NPL', count: 12, selected: false },
      { value: 'PHL', count: 7, selected: true },
    ],
  };
  const view = searchPageView(outcome(q, { total: 7, facets }), site);
  const country = view.facets.find((g) => g.name === 'country')!;

  it('labels values from the vocabulary and formats counts', () => {
    expect(country.label).toBe('Country');
    expect(country.values.map((v) => [v.value, v.label, v.count, v.selected])).toEqual([
      ['NPL', 'Nepal', 12, false],
      ['PHL', 'Philippines', 7, true],
    ]);
  });

  it('gives each value a toggle URL that adds or removes exactly that value and resets the page', () => {
    const add = paramsOf(country.values[0]!.toggleUrl);
    expect(add.getAll('country').sort()).toEqual(['NPL', 'PHL']);
    expect(add.get('q')).toBe('domestic');
    expect(add.get('page')).toBeNull();
    const remove = paramsOf(country.values[1]!.toggleUrl);
    expect(remove.getAll('country')).toEqual([]);
    expect(remove.get('q')).toBe('domestic');
  });

  it('links the facet’s own page for the same search, and says how many values it has when the listing is complete', () => {
    expect(country.allText).toBe('All 2 countries');
    const p = paramsOf(country.allUrl);
    expect(country.allUrl.startsWith('/facets/country?')).toBe(true);
    expect([p.get('q'), p.getAll('country')]).toEqual(['domestic', ['PHL']]);
    const many = Array.from({ length: 50 }, (_, i) => ({ value: `Pub ${i}`, count: 60 - i, selected: false }));
    const publisher = searchPageView(outcome(query(), { facets: { ...emptyFacets(), publisher: many } }), site).facets.find((g) => g.name === 'publisher')!;
    // 50 is as many as a result lists of a free-text facet: there may be more.
    expect(publisher.allText).toBe('All publishers');
    expect(publisher.findable).toBe(true);
    expect(country.findable).toBe(false);
  });

  it('shows regions as a tree, continent → sub-region → country, with counts at each level', () => {
    const regionFacets = {
      ...emptyFacets(),
      region: [
        { value: 'un-m49-142', count: 5, selected: false },
        { value: 'un-m49-034', count: 3, selected: false },
        { value: 'un-m49-035', count: 2, selected: true },
        { value: 'un-m49-150', count: 1, selected: false },
      ],
      country: [
        { value: 'NPL', count: 3, selected: false },
        { value: 'THA', count: 2, selected: false },
        { value: 'LAO', count: 2, selected: true },
      ],
    };
    const v = searchPageView(outcome(query({}, { region: ['un-m49-035'], country: ['LAO'] }), { total: 2, facets: regionFacets }), vocab);
    const group = v.facets.find((g) => g.name === 'region')!;
    expect(group.findable).toBe(false);
    expect(group.values).toEqual([]);
    const tree = group.tree!;
    expect(tree.map((n) => [n.id, n.count])).toEqual([
      ['un-m49-142', 5],
      ['un-m49-150', 1],
    ]);
    const asia = tree[0]!;
    expect(asia.label).toBe('Asia');
    expect(asia.open).toBe(true);
    expect(asia.regions.map((r) => [r.id, r.count, r.selected])).toEqual([
      ['un-m49-034', 3, false],
      ['un-m49-035', 2, true],
    ]);
    const southEast = asia.regions[1]!;
    // Equal counts by label: Lao PDR before Thailand.
    expect(southEast.countries.map((c) => [c.code, c.count, c.selected])).toEqual([
      ['LAO', 2, true],
      ['THA', 2, false],
    ]);
    expect(paramsOf(southEast.countries[1]!.url).getAll('country').sort()).toEqual(['LAO', 'THA']);
    expect(southEast.countries[0]!.url.endsWith('#results')).toBe(true);
    expect(paramsOf(southEast.countries[0]!.url).getAll('country')).toEqual([]);
    expect(tree[1]!.open).toBe(false);
  });

  it('shows the top values and every selected one; the rest go behind "more"', () => {
    const values = Array.from({ length: FACET_VISIBLE_VALUES + 4 }, (_, i) => ({ value: `Pub ${i}`, count: 100 - i, selected: false }));
    const last = values[values.length - 1]!;
    last.selected = true;
    const q2 = query({}, { publisher: [last.value] });
    const group = searchPageView(outcome(q2, { total: 1, facets: { ...emptyFacets(), publisher: values } }), site).facets.find(
      (g) => g.name === 'publisher',
    )!;
    expect(group.values).toHaveLength(FACET_VISIBLE_VALUES + 1);
    expect(group.values.at(-1)!.value).toBe(last.value);
    expect(group.more).toHaveLength(3);
    expect(new Set([...group.values, ...group.more].map((v) => v.inputId)).size).toBe(values.length);
  });

  it('labels languages by name and leaves unknown ids as they are', () => {
    const v = searchPageView(
      outcome(query(), {
        facets: { ...emptyFacets(), language: [{ value: 'fr', count: 2, selected: false }], theme: [{ value: 'unknown-theme', count: 1, selected: false }] },
      }),
      site,
    );
    expect(v.facets.find((g) => g.name === 'language')!.values[0]!.label).toBe('French');
    expect(v.facets.find((g) => g.name === 'theme')!.values[0]!.label).toBe('unknown-theme');
  });
});

describe('chips', () => {
  const q = query({ text: 'fees', yearFrom: 2015, yearTo: 2020, sort: 'oldest' }, { country: ['PHL', 'NPL'], theme: ['domestic-work'] });
  const list = chips(q, labels);

  it('has one chip per selected value, words and year bound', () => {
    expect(list.map((c) => `${c.param}=${c.label}`)).toEqual([
      'q=fees',
      'country=Philippines',
      'country=Nepal',
      'theme=Domestic work',
      'from=2015',
      'to=2020',
    ]);
  });

  it('each remove link removes exactly one value and keeps everything else', () => {
    const removeNepal = paramsOf(list[2]!.removeUrl);
    expect(removeNepal.getAll('country')).toEqual(['PHL']);
    expect(removeNepal.getAll('theme')).toEqual(['domestic-work']);
    expect(removeNepal.get('q')).toBe('fees');
    expect(removeNepal.get('from')).toBe('2015');
    expect(removeNepal.get('sort')).toBe('oldest');

    const removeFrom = paramsOf(list[4]!.removeUrl);
    expect(removeFrom.get('from')).toBeNull();
    expect(removeFrom.get('to')).toBe('2020');
    expect(removeFrom.getAll('country')).toEqual(['PHL', 'NPL']);
  });

  it('removing the words of a relevance search returns to the newest-first listing', () => {
    const p = paramsOf(chips(query({ text: 'fees' }, { country: ['PHL'] }), labels)[0]!.removeUrl);
    expect(p.get('q')).toBeNull();
    expect(p.get('sort')).toBeNull();
    expect(p.getAll('country')).toEqual(['PHL']);
  });

  it('has a chip for the undated bucket', () => {
    const c = chips(query({ undatedOnly: true }), labels);
    expect(c).toEqual([expect.objectContaining({ param: 'undated', label: 'Undated only' })]);
    expect(paramsOf(c[0]!.removeUrl).get('undated')).toBeNull();
  });

  it('has a chip for "and undated" that keeps the years', () => {
    const c = chips(query({ yearFrom: 2015, yearTo: 2020, includeUndated: true }), labels);
    expect(c.map((x) => x.label)).toEqual(['2015', '2020', 'and undated']);
    const p = paramsOf(c[2]!.removeUrl);
    expect([p.get('from'), p.get('to'), p.get('undated')]).toEqual(['2015', '2020', null]);
  });
});

describe('year histogram', () => {
  const href = (q: SearchQuery) => (change: Partial<SearchQuery>) => searchHref({ ...q, page: 1, ...change });
  const decades = Array.from({ length: 30 }, (_, i) => ({ year: 1995 + i, count: i + 1 }));

  it('shows decades when the years span more than a decade, each bar a link to its range', () => {
    const q = query({ text: 'x' });
    const y = yearFacetView({ years: decades, undated: 3 }, q, href(q));
    expect(y.caption).toBe('by decade');
    expect(y.bars.map((b) => [b.label, b.from, b.to])).toEqual([
      ['1990s', 1990, 1999],
      ['2000s', 2000, 2009],
      ['2010s', 2010, 2019],
      ['2020s', 2020, 2029],
    ]);
    expect(y.bars.reduce((n, b) => n + b.count, 0)).toBe(decades.reduce((n, b) => n + b.count, 0));
    const p = paramsOf(y.bars[2]!.url!);
    expect([p.get('from'), p.get('to'), p.get('q')]).toEqual(['2010', '2019', 'x']);
    expect(y.bars[2]!.spoken).toBe(`2010s, ${y.bars[2]!.count} results`);
    // Lengths are relative to the longest bar, in 20 steps.
    expect(Math.max(...y.bars.map((b) => b.length))).toBe(20);
    expect(y.bars.every((b) => b.length >= 1)).toBe(true);
    expect(y.trail).toEqual([]);
  });

  it('drills down: a chosen decade shows its years, a chosen year its decade, with the way back up', () => {
    const decade = query({ yearFrom: 2010, yearTo: 2019 });
    const y = yearFacetView({ years: decades, undated: 0 }, decade, href(decade));
    expect(y.caption).toBe('by year');
    expect(y.bars.map((b) => b.label)).toEqual(['2010', '2011', '2012', '2013', '2014', '2015', '2016', '2017', '2018', '2019']);
    expect(y.bars.every((b) => b.from === b.to && !b.selected)).toBe(true);
    expect(y.trail.map((t) => t.label)).toEqual(['All years']);
    const year = query({ yearFrom: 2015, yearTo: 2015 });
    const z = yearFacetView({ years: decades, undated: 0 }, year, href(year));
    expect(z.bars.map((b) => b.label)).toEqual(y.bars.map((b) => b.label));
    expect(z.bars.filter((b) => b.selected).map((b) => b.label)).toEqual(['2015']);
    expect(z.trail.map((t) => t.label)).toEqual(['All years', '2010s']);
    const up = paramsOf(z.trail[1]!.url);
    expect([up.get('from'), up.get('to')]).toEqual(['2010', '2019']);
    expect(paramsOf(z.trail[0]!.url).get('from')).toBeNull();
  });

  it('draws empty years and decades as bars without links', () => {
    const y = yearFacetView({ years: [{ year: 1949, count: 1 }, { year: 1971, count: 2 }], undated: 0 }, query(), href(query()));
    expect(y.bars.map((b) => [b.label, b.count, b.url === undefined])).toEqual([
      ['1940s', 1, false],
      ['1950s', 0, true],
      ['1960s', 0, true],
      ['1970s', 2, false],
    ]);
    expect(y.bars[1]!.length).toBe(0);
  });

  it('keeps "and undated" on the bars, and offers "undated only" in place of the years', () => {
    const q = query({ yearFrom: 2010, yearTo: 2019, includeUndated: true });
    const y = yearFacetView({ years: decades, undated: 4 }, q, href(q));
    expect(y.undated).toMatchObject({ count: 4, included: true, only: false, canInclude: true });
    expect(paramsOf(y.bars[0]!.url!).get('undated')).toBe('include');
    const only = paramsOf(y.undated.onlyUrl);
    expect([only.get('undated'), only.get('from')]).toEqual(['only', null]);
    const none = yearFacetView({ years: decades, undated: 4 }, query(), href(query()));
    expect(none.undated.canInclude).toBe(false);
  });
});

describe('links that carry the search to the resource page', () => {
  it('gives each hit the search (without its page) and its position', () => {
    const q = query({ text: 'fees', page: 3, size: 10 }, { country: ['NPL'] });
    const h = hitView(hit(doc()), 23, labels, undefined, q);
    const url = new URL(h.href, 'http://x');
    expect(url.pathname).toBe('/resources/ilo-2021-home-truths');
    expect([url.searchParams.get('q'), url.searchParams.getAll('country'), url.searchParams.get('size'), url.searchParams.get('page'), url.searchParams.get('pos')]).toEqual(['fees', ['NPL'], '10', null, '23']);
  });

  it('reads the search back, and ignores a missing or broken one', () => {
    const parse = (raw: Record<string, unknown>) => parseSearchParams(raw);
    expect(readResultContext({ q: 'fees', country: 'NPL', size: '10', pos: '23' }, parse)).toMatchObject({ position: 23, query: { text: 'fees', size: 10, page: 1 } });
    expect(readResultContext({ q: 'fees' }, parse)).toBeUndefined();
    expect(readResultContext({ q: 'fees', pos: '0' }, parse)).toBeUndefined();
    expect(readResultContext({ q: 'fees', pos: 'x' }, parse)).toBeUndefined();
    expect(readResultContext({ size: '5000', pos: '2' }, parse)).toBeUndefined();
  });

  it('fetches a position and its neighbours in one page of the search', () => {
    for (const position of [1, 2, 3, 19, 20, 21, 100, 101, 997, 9_999, 10_000]) {
      const w = neighbourWindow(position);
      const first = (w.page - 1) * w.size + 1;
      expect(first + w.index).toBe(position);
      expect(first).toBeLessThanOrEqual(Math.max(1, position - 1));
      expect(first + w.size - 1).toBeGreaterThanOrEqual(position + 1);
      expect(w.size).toBeLessThanOrEqual(100);
    }
  });

  it('goes back to the page of results the resource is on, scrolled to it, and steps to its neighbours', () => {
    const q = { ...query({ text: 'fees', size: 10 }, { country: ['NPL'] }), page: 1 };
    const nav = resultNavView({ context: { query: q, position: 23 }, total: 57, prev: { id: 'a', title: 'A' }, next: { id: 'b', title: 'B' }, searchLabel: 'Results for “fees”' });
    const back = new URL(nav.backUrl, 'http://x');
    expect([back.pathname, back.searchParams.get('page'), back.searchParams.get('q'), back.hash]).toEqual(['/', '3', 'fees', '#hit-23']);
    expect(nav.positionText).toBe('Result 23 of 57');
    expect(nav.prev!.url).toBe(resultHref('a', q, 22));
    expect(new URL(nav.next!.url, 'http://x').searchParams.get('pos')).toBe('24');
    expect(nav.text).toBe('fees');
  });
});

describe('vocabulary checks', () => {
  const check = facetValueCheck(vocab);

  it('knows the values of the coded facets, and leaves free-text facets alone', () => {
    expect([check('country', 'NPL'), check('country', 'XXX')]).toEqual([true, false]);
    expect([check('region', 'un-m49-142'), check('region', 'asean'), check('region', 'nope')]).toEqual([true, false, false]);
    expect([check('grouping', 'asean'), check('grouping', 'colombo-process'), check('grouping', 'un-m49-142')]).toEqual([true, true, false]);
    expect([check('theme', 'remittances'), check('theme', 'nope')]).toEqual([true, false]);
    expect([check('language', 'ne'), check('language', 'zz')]).toEqual([true, false]);
    expect([check('publisher', 'Anyone'), check('type', 'Anything')]).toEqual([true, true]);
  });

  it('moves groupings of old region links to the grouping parameter, keeping everything else', () => {
    const href = movedGroupingsHref('/', { q: 'fees', region: ['ASEAN', 'un-m49-142'], country: 'NPL' }, vocab)!;
    const p = paramsOf(href);
    expect([p.get('q'), p.getAll('region'), p.getAll('grouping'), p.get('country')]).toEqual(['fees', ['un-m49-142'], ['ASEAN'], 'NPL']);
    expect(movedGroupingsHref('/', { region: 'un-m49-142' }, vocab)).toBeUndefined();
    expect(movedGroupingsHref('/', { q: 'x' }, vocab)).toBeUndefined();
  });
});

describe('a facet’s own page', () => {
  const q = { ...query({ text: 'fees', sort: 'oldest' }, { country: ['NPL', 'PHL'], theme: ['remittances'] }), page: 1 };
  const view = facetPageView({
    facet: 'country',
    query: q,
    prefix: 'n',
    order: 'label',
    page: 2,
    total: 250,
    values: [{ value: 'NPL', count: 3, selected: true }, { value: 'NER', count: 1, selected: false }],
    vocab: labels,
    siteName: 'Corridor',
    searchParams: toSearchParams(q),
  });

  it('keeps the search in both forms, and the selected values that are on other pages', () => {
    expect(view.hidden.map((h) => `${h.name}=${h.value}`)).toEqual(['q=fees', 'theme=remittances', 'sort=oldest']);
    expect(view.selectedElsewhere).toEqual([{ name: 'country', value: 'PHL' }]);
    expect(view.applyAction).toBe('/#results');
    expect(view.values.map((v) => [v.value, v.selected])).toEqual([['NPL', true], ['NER', false]]);
  });

  it('pages, orders and narrows with links that keep each other', () => {
    expect([view.page, view.lastPage]).toEqual([2, 3]);
    const next = paramsOf(view.nextUrl!);
    expect([next.get('page'), next.get('order'), next.get('prefix'), next.get('q'), next.getAll('country')]).toEqual(['3', 'label', 'n', 'fees', ['NPL', 'PHL']]);
    expect(paramsOf(view.prevUrl!).get('page')).toBeNull();
    const byCount = paramsOf(view.orders[0]!.url);
    expect([byCount.get('order'), byCount.get('page'), byCount.get('prefix')]).toEqual([null, null, 'n']);
    expect(view.orders.map((o) => o.current)).toEqual([false, true]);
    expect(view.totalText).toBe('250 countries matching “n”');
    expect(view.scope).toBe('Results for “fees” with 3 filters');
  });

  it('says a year range narrows the counts, as a ticked value does', () => {
    const pageFor = (q: SearchQuery) =>
      facetPageView({ facet: 'country', query: q, prefix: '', order: 'count', page: 1, total: 2, values: [], vocab: labels, siteName: 'Corridor', searchParams: toSearchParams(q) });
    const years = { ...query({ text: '' }, {}), yearFrom: 2015, yearTo: 2020, page: 1 };
    expect([pageFor(years).scope, pageFor(years).narrowed]).toEqual(['Filtered resources', true]);
    const everything = { ...query({ text: '' }, {}), page: 1 };
    expect([pageFor(everything).scope, pageFor(everything).narrowed]).toEqual(['All resources', false]);
    expect(pageFor({ ...years, text: 'fees' }).scope).toBe('Results for “fees” with 1 filter');
  });
});

describe('language of record text, and where "read it at the source" leads', () => {
  it('marks a record in one other language, and none in English or in several', () => {
    expect(textLanguage({ languages: ['fr'] })).toBe('fr');
    expect(textLanguage({ languages: ['en'] })).toBeUndefined();
    expect(textLanguage({ languages: ['en', 'fr'] })).toBeUndefined();
    expect(textLanguage({ languages: [] })).toBeUndefined();
  });

  it('calls a site’s front page the publisher’s website, and anything deeper the document', () => {
    expect(sourceLink('https://www.ilo.org/')).toEqual({ url: 'https://www.ilo.org/', kind: 'website', host: 'www.ilo.org' });
    expect(sourceLink('https://www.ilo.org')?.kind).toBe('website');
    expect(sourceLink('https://www.ilo.org/en/')?.kind).toBe('website');
    expect(sourceLink('https://www.ilo.org/index.html')?.kind).toBe('website');
    expect(sourceLink('https://www.ilo.org/publications/home-truths')?.kind).toBe('document');
    expect(sourceLink('https://www.ilo.org/?p=123')?.kind).toBe('document');
    expect(sourceLink('https://doi.org/10.1234/abc')?.kind).toBe('document');
    expect(sourceLink('javascript:alert(1)')).toBeUndefined();
    expect(sourceLink(undefined)).toBeUndefined();
  });
});

describe('sort options', () => {
  it('offers relevance only when there are words, with the default as an empty value', () => {
    expect(sortOptions(query({ text: 'x' })).map((o) => [o.value, o.label, o.selected])).toEqual([
      ['', 'Relevance', true],
      ['newest', 'Newest first', false],
      ['oldest', 'Oldest first', false],
    ]);
    expect(sortOptions(query()).map((o) => [o.value, o.selected])).toEqual([
      ['', true],
      ['oldest', false],
    ]);
  });

  it('links each order, back on page 1', () => {
    const p = paramsOf(sortOptions(query({ text: 'x', page: 4 }))[2]!.url);
    expect(p.get('sort')).toBe('oldest');
    expect(p.get('page')).toBeNull();
  });
});

describe('pagination', () => {
  it('has no links for a single page or no results', () => {
    expect(pagination(query(), 0).items).toEqual([]);
    const one = pagination(query(), 20);
    expect([one.items.length, one.prevUrl, one.nextUrl]).toEqual([0, undefined, undefined]);
  });

  it('numbers the first, last and nearby pages with gaps, and prev/next', () => {
    const p = pagination(query({ page: 10 }), 1000);
    expect(p.lastPage).toBe(50);
    expect(p.items.map((i) => (i.kind === 'gap' ? '…' : i.current ? `[${i.page}]` : String(i.page)))).toEqual([
      '1',
      '…',
      '8',
      '9',
      '[10]',
      '11',
      '12',
      '…',
      '50',
    ]);
    expect(paramsOf(p.prevUrl!).get('page')).toBe('9');
    expect(paramsOf(p.nextUrl!).get('page')).toBe('11');
  });

  it('fills a gap of one page with the page itself', () => {
    const p = pagination(query({ page: 4 }), 200);
    expect(p.items.map((i) => (i.kind === 'gap' ? '…' : i.page))).toEqual([1, 2, 3, 4, 5, 6, '…', 10]);
  });

  it('links page 1 without a page parameter', () => {
    const p = pagination(query({ page: 2 }), 100);
    expect(paramsOf(p.prevUrl!).get('page')).toBeNull();
  });

  it('never links beyond the result window', () => {
    const p = pagination(query({ page: 500, size: 20 }), 1_000_000);
    expect(p.lastPage).toBe(500);
    expect(p.capped).toBe(true);
    expect(p.nextUrl).toBeUndefined();
    const pages = p.items.flatMap((i) => (i.kind === 'page' ? [i.page] : []));
    expect(Math.max(...pages)).toBe(500);
    expect(lastPageFor(1_000_000, 100)).toBe(100);
    expect(lastPageFor(101, 100)).toBe(2);
  });

  it('says when the page asked for is past the last one', () => {
    const p = pagination(query({ page: 9 }), 45);
    expect(p).toMatchObject({ outOfRange: true, lastPage: 3, items: [] });
    expect(paramsOf(p.lastPageUrl!).get('page')).toBe('3');
  });
});

describe('hits', () => {
  it('highlights the title and snippet safely and links to the resource page', () => {
    const d = doc({ id: 'a/b c', title: '<script>alert(1)</script> & "Gulf"' });
    const h = hitView(hit(d, `<script>alert(1)</script> & "${S}Gulf${E}"`, [`${S}wage${E} <i>theft</i>`]), 1, labels);
    expect(h.href).toBe('/resources/a%2Fb%20c');
    expect(h.titleHtml).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;<mark>Gulf</mark>&quot;');
    expect(h.snippetsHtml).toEqual(['<mark>wage</mark> &lt;i&gt;theft&lt;/i&gt;']);
  });

  it('summarises type, publisher, year and countries in the metadata line', () => {
    const h = hitView(hit(doc({ countries: ['MYS', 'PHL', 'NPL', 'QAT', 'LAO'] })), 1, labels);
    expect(h.meta).toEqual(['Report', 'ILO', '2021', 'Malaysia, Philippines, Nepal and 2 more']);
    expect(hitView(hit(doc({ year: undefined, published: undefined, languages: ['fr'] })), 1, labels).meta).toContain('Undated');
    expect(hitView(hit(doc({ languages: ['fr'] })), 1, labels).meta).toContain('French');
    expect(hitView(hit(doc({ languages: ['en', 'es'] })), 1, labels).meta).toContain('English, Spanish');
  });

  it('never links a javascript: URL', () => {
    expect(hitView(hit(doc({ url: 'javascript:alert(1)' })), 1, labels).originalUrl).toBeUndefined();
    expect(safeExternalUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeExternalUrl('not a url')).toBeUndefined();
  });
});

describe('search page view', () => {
  it('opens on the latest resources with no query', () => {
    const v = searchPageView(outcome(query(), { total: 1234, hits: [hit(doc())] }), site);
    expect(v).toMatchObject({ browsing: true, heading: 'Latest resources', countText: '1,234 results', noResults: false });
    expect(v.rangeText).toBe('Showing 1–1 of 1,234, newest first');
    expect(v.robots).toBeUndefined();
  });

  it('numbers hits from the page offset', () => {
    const v = searchPageView(outcome(query({ page: 3, size: 10 }), { total: 100, hits: [hit(doc())] }), site);
    expect(v.hits[0]!.position).toBe(21);
  });

  it('says "1 result" in the singular', () => {
    expect(searchPageView(outcome(query({ text: 'x' }), { total: 1, hits: [hit(doc())] }), site).countText).toBe('1 result');
  });

  it('offers remove-this-filter links with counts and a spelling suggestion when nothing matched', () => {
    const q = query({ text: 'domestik', yearFrom: 2010, yearTo: 2012 }, { country: ['PHL'], theme: ['domestic-work'] });
    const v = searchPageView(
      outcome(q, { total: 0 }, {
        suggestion: { text: 'domestic', total: 42 },
        relaxations: [
          { facet: 'country', value: 'PHL', count: 3 },
          { facet: 'theme', value: 'domestic-work', count: 0 },
          { facet: 'year', value: '2010–2012', count: 9 },
        ],
      }),
      site,
    );
    expect(v.noResults).toBe(true);
    expect(v.robots).toBe('noindex, follow');
    expect(v.suggestion).toMatchObject({ text: 'domestic', totalText: '42 results' });
    const s = paramsOf(v.suggestion!.href);
    expect([s.get('q'), s.getAll('country'), s.get('from')]).toEqual(['domestic', ['PHL'], '2010']);

    expect(v.relaxations.map((r) => [r.label, r.countText])).toEqual([
      ['Years: 2010–2012', '9 results'],
      ['Country: Philippines', '3 results'],
    ]);
    const years = paramsOf(v.relaxations[0]!.href);
    expect([years.get('from'), years.get('to'), years.getAll('country')]).toEqual([null, null, ['PHL']]);
    const country = paramsOf(v.relaxations[1]!.href);
    expect([country.getAll('country'), country.getAll('theme'), country.get('from')]).toEqual([[], ['domestic-work'], '2010']);
  });
});

describe('resource view', () => {
  const v = resourceView(doc(), labels);

  it('says where each tag came from and links to a search by it', () => {
    expect(v.countries.map((c) => [c.value, c.label, c.given, c.found])).toEqual([
      ['MYS', 'Malaysia', true, true],
      ['SGP', 'SGP', false, true],
      ['THA', 'THA', false, true],
    ]);
    expect(v.groupings[0]).toMatchObject({
      label: 'ASEAN',
      given: false,
      found: true,
      derived: true,
      provenance: 'found in the text and from its countries',
    });
    expect(v.regions[0]).toMatchObject({ value: 'un-m49-035', derived: true, found: false, provenance: 'from its countries' });
    expect(paramsOf(v.groupings[0]!.searchUrl).getAll('grouping')).toEqual(['asean']);
    expect(paramsOf(v.regions[0]!.searchUrl).getAll('region')).toEqual(['un-m49-035']);
    expect(v.themes[0]).toMatchObject({ given: true, found: false, provenance: 'given by the source' });
    expect(paramsOf(v.countries[0]!.searchUrl).getAll('country')).toEqual(['MYS']);
    expect(v.publisher!.each.map((p) => paramsOf(p.searchUrl).getAll('publisher'))).toEqual([['ILO']]);
    const joint = resourceView(doc({ publisher: 'ILO and UN Women', publishers: ['ILO', 'UN Women'] }), labels);
    expect(joint.publisher!.name).toBe('ILO and UN Women');
    expect(joint.publisher!.each.map((p) => paramsOf(p.searchUrl).getAll('publisher'))).toEqual([['ILO'], ['UN Women']]);
  });

  it('formats dates and keeps unsafe URLs as text only', () => {
    expect(v.published).toBe('March 2021');
    expect(formatPublished('2021-03-05')).toBe('5 March 2021');
    expect(formatPublished('2019')).toBe('2019');
    const unsafe = resourceView(doc({ url: 'javascript:alert(1)' }), labels);
    expect(unsafe.originalUrl).toBeUndefined();
    expect(unsafe.unsafeUrl).toBe('javascript:alert(1)');
  });
});

describe('API model', () => {
  it('has the documented search shape', () => {
    const q = query({ text: 'housing' }, { country: ['MYS'] });
    const body = apiSearchResponse(
      outcome(q, {
        total: 1,
        hits: [hit(doc({ corridors: ['MYS-SGP'] }), `Home truths: ${S}housing${E}`, [`Living <${S}standards${E}>`])],
        facets: { ...emptyFacets(), country: [{ value: 'MYS', count: 1, selected: true }] },
        years: { years: [{ year: 2021, count: 1 }], undated: 0 },
      }),
      labels,
    );
    expect(body).toMatchObject({ total: 1, page: 1, size: 20, query: { q: 'housing', country: ['MYS'], sort: 'relevance' } });
    expect(body.hits[0]).toEqual({
      id: 'ilo-2021-home-truths',
      title: doc().title,
      url: 'https://www.ilo.org/asia/publications/home-truths',
      href: '/resources/ilo-2021-home-truths',
      highlights: { title: 'Home truths: <mark>housing</mark>', snippets: ['Living &lt;<mark>standards</mark>&gt;'] },
      countries: [
        { code: 'MYS', label: 'Malaysia' },
        { code: 'SGP', label: 'SGP' },
        { code: 'THA', label: 'THA' },
      ],
      themes: [{ id: 'housing', label: 'housing' }],
      corridors: [{ code: 'MYS-SGP', label: 'Malaysia → SGP', origin: { code: 'MYS', label: 'Malaysia' }, destination: { code: 'SGP', label: 'SGP' } }],
      type: 'Report',
      publisher: 'ILO',
      publishers: ['ILO'],
      year: 2021,
      languages: ['en'],
      doi: null,
      tagged: [],
    });
    expect(body.match).toBe('all');
    expect(body.partial).toBeUndefined();
    expect(body.reading).toBeUndefined();
    expect(body.facets.country).toEqual([{ value: 'MYS', label: 'Malaysia', count: 1, selected: true }]);
    expect(body.facets.year).toEqual({ years: [{ year: 2021, count: 1 }], undated: 0 });
    expect(body.suggestion).toBeUndefined();
    expect(body.relaxations).toBeUndefined();
  });

  it('returns the full record with labels and provenance', () => {
    const r = apiResource(doc(), labels);
    expect(r.countries[0]).toEqual({ code: 'MYS', label: 'Malaysia', given: true, found: true });
    expect(r.groupings[0]).toEqual({ id: 'asean', label: 'ASEAN', given: false, found: true, derived: true });
    expect(r.regions[0]).toEqual({ id: 'un-m49-035', label: 'un-m49-035', given: false, found: false, derived: true });
    expect(r.language).toEqual({ code: 'en', label: 'English' });
    expect(r.languages).toEqual([{ code: 'en', label: 'English' }]);
    const bilingual = apiResource(doc({ languages: ['en', 'es'], doi: '10.1234/abc' }), labels);
    expect(bilingual.languages.map((l) => l.label)).toEqual(['English', 'Spanish']);
    expect(bilingual.doi).toBe('10.1234/abc');
  });
});

// ---------------------------------------------------------------------------------------------
// The templates, rendered from the same view models (no server needed).

const viewsDir = path.join(__dirname, '..', '..', 'views');

function render(name: string, data: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(path.join(viewsDir, `${name}.ejs`), { siteName: 'Corridor', ...data });
}

describe('templates', () => {
  it('render the search form with checkboxes, chips, count region and escaped hits', async () => {
    const hostile = doc({ id: 'x1', title: '<script>alert("t")</script> Wages & "arrears"' });
    const q = query({ text: '<img src=x onerror=alert(1)>' }, { country: ['PHL'] });
    const html = await render('search', {
      view: searchPageView(
        outcome(q, {
          total: 1,
          hits: [hit(hostile, `<script>alert("t")</script> ${S}Wages${E} & "arrears"`, ['<b>bold</b>'])],
          facets: { ...emptyFacets(), country: [{ value: 'PHL', count: 1, selected: true }, { value: 'NPL', count: 4, selected: false }] },
        }),
        site,
      ),
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; <mark>Wages</mark>'.replace(/&#34;/g, '&quot;'));
    expect(html).toMatch(/<form id="search-form"[^>]*method="get"[^>]*action="\/#results"/);
    expect(html).toMatch(/<input type="checkbox" id="f-country-0" name="country" value="PHL" checked>/);
    expect(html).toMatch(/<input type="checkbox" id="f-country-1" name="country" value="NPL">/);
    expect(html).toContain('role="status" aria-live="polite"');
    expect(html).toContain('>1 result</p>');
    expect(html).toContain('Remove Country: Philippines');
    expect(html).toContain('<main id="main"');
    expect(html).toContain('href="#main"');
    // No inline script or style anywhere (the CSP would block them).
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
    // Attribute values are quoted and escaped, so with them blanked no event handler may remain.
    expect(html.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\son[a-z]+=/i);
  });

  it('render the no-results help', async () => {
    const q = query({ text: 'domestik' }, { country: ['PHL'] });
    const html = await render('search', {
      view: searchPageView(
        outcome(q, { total: 0 }, { suggestion: { text: 'domestic', total: 5 }, relaxations: [{ facet: 'country', value: 'PHL', count: 2 }] }),
        site,
      ),
    });
    expect(html).toContain('No resources match “domestik” with these filters');
    expect(html).toMatch(/Did you mean <a href="\/\?q=domestic&amp;country=PHL">domestic<\/a>\? \(5 results\)/);
    expect(html).toContain('Remove Country: Philippines</a> (2 results)');
  });

  it('render the resource page with provenance and a safe link to the original', async () => {
    const html = await render('resource', { view: resourceView(doc({ title: 'A <b>bold</b> title' }), labels) });
    expect(html).toContain('<h1>A &lt;b&gt;bold&lt;/b&gt; title</h1>');
    expect(html).toContain('href="https://www.ilo.org/asia/publications/home-truths"');
    expect(html).toContain('prov-given');
    expect(html).toContain('prov-found');
    expect(html).toContain('href="/?country=MYS"');
    expect(html).toContain('More from this publisher');
    const unsafe = await render('resource', { view: resourceView(doc({ url: 'javascript:alert(1)' }), labels) });
    expect(unsafe).not.toContain('href="javascript:');
  });

  it('render the error page listing each bad parameter', async () => {
    const html = await render('error', {
      status: 400,
      title: 'Bad request',
      message: 'Some parameters are not valid: q, sort.',
      params: [
        { param: 'q', message: 'q is too long' },
        { param: 'sort', message: 'sort must be one of relevance, newest, oldest, got "<x>"' },
      ],
      retryHref: '/?country=PHL',
    });
    expect(html).toContain('<code class="param-name">q</code>: q is too long');
    expect(html).toContain('got &#34;&lt;x&gt;&#34;');
    expect(html).toContain('Try again without these settings');
  });
});
