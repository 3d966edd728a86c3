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
  type LabelLookup,
} from '../../src/web/view-models';

const S = '\u0001';
const E = '\u0002';

const labels: LabelLookup = {
  countryLabel: (c) => ({ PHL: 'Philippines', NPL: 'Nepal', LAO: 'Lao PDR', QAT: 'Qatar', MYS: 'Malaysia' })[c],
  regionLabel: (r) => ({ asean: 'ASEAN', gcc: 'Gulf Cooperation Council' })[r],
  themeLabel: (t) => ({ 'domestic-work': 'Domestic work', remittances: 'Remittances' })[t],
};

function query(overrides: Partial<SearchQuery> = {}, filters: Partial<SearchQuery['filters']> = {}): SearchQuery {
  return {
    text: '',
    sort: overrides.text ? 'relevance' : 'newest',
    page: 1,
    size: 20,
    ...overrides,
    filters: { country: [], region: [], theme: [], corridor: [], type: [], publisher: [], language: [], ...filters },
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
    regions: ['asean'],
    themes: ['housing'],
    corridors: [],
    keywords: ['accommodation'],
    tagging: {
      countries: { given: ['MYS'], found: ['MYS', 'SGP', 'THA'] },
      regions: { given: [], found: ['asean'], derived: ['asean'] },
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
  return { country: [], region: [], theme: [], corridor: [], type: [], publisher: [], language: [] };
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
  const view = searchPageView(outcome(q, { total: 7, facets }), labels);
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

  it('always lists a selected value, even when the engine left it out', () => {
    const q2 = query({}, { theme: ['remittances'] });
    const v = searchPageView(outcome(q2, { facets: { ...emptyFacets(), theme: [{ value: 'domestic-work', count: 3, selected: false }] } }), labels);
    const theme = v.facets.find((g) => g.name === 'theme')!;
    expect(theme.values.find((x) => x.value === 'remittances')).toMatchObject({ selected: true, count: 0, label: 'Remittances' });
  });

  it('shows the top values and every selected one; the rest go behind "more"', () => {
    const values = Array.from({ length: FACET_VISIBLE_VALUES + 4 }, (_, i) => ({ value: `Pub ${i}`, count: 100 - i, selected: false }));
    const last = values[values.length - 1]!;
    last.selected = true;
    const q2 = query({}, { publisher: [last.value] });
    const group = searchPageView(outcome(q2, { total: 1, facets: { ...emptyFacets(), publisher: values } }), labels).facets.find(
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
      labels,
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
});

describe('year facet', () => {
  it('lists single years when there are few, newest first, with range links', () => {
    const q = query({ text: 'x' });
    const y = yearFacetView({ years: [{ year: 2019, count: 2 }, { year: 2021, count: 5 }], undated: 3 }, q);
    expect(y.buckets.map((b) => [b.label, b.count])).toEqual([
      ['2021', 5],
      ['2019', 2],
    ]);
    const p = paramsOf(y.buckets[0]!.url);
    expect([p.get('from'), p.get('to'), p.get('q')]).toEqual(['2021', '2021', 'x']);
    expect(y.min).toBe(2019);
    expect(y.max).toBe(2021);
  });

  it('summarises many years into at most eight ranges whose counts add up', () => {
    const years = Array.from({ length: 30 }, (_, i) => ({ year: 1995 + i, count: i + 1 }));
    const y = yearFacetView({ years, undated: 0 }, query());
    expect(y.buckets.length).toBeLessThanOrEqual(8);
    expect(y.buckets.reduce((n, b) => n + b.count, 0)).toBe(years.reduce((n, b) => n + b.count, 0));
    expect(y.buckets[0]!.label).toBe('2020–2024');
    expect(y.buckets.every((b) => b.to - b.from === 4)).toBe(true);
  });

  it('offers the undated bucket as a toggle that replaces any year range', () => {
    const q = query({ yearFrom: 2000 });
    const y = yearFacetView({ years: [], undated: 4 }, q);
    expect(y.undated).toMatchObject({ count: 4, countText: '4', selected: false });
    const p = paramsOf(y.undated.url);
    expect(p.get('undated')).toBe('only');
    expect(p.get('from')).toBeNull();
    expect(paramsOf(yearFacetView({ years: [], undated: 4 }, query({ undatedOnly: true })).undated.url).get('undated')).toBeNull();
  });

  it('marks the bucket matching the current range as selected and offers to clear it', () => {
    const y = yearFacetView({ years: [{ year: 2020, count: 1 }] , undated: 0 }, query({ yearFrom: 2020, yearTo: 2020 }));
    expect(y.buckets[0]!.selected).toBe(true);
    expect(paramsOf(y.clearUrl!).get('from')).toBeNull();
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

  it('falls back to the stored title when the engine gives an empty one', () => {
    expect(hitView(hit(doc({ title: 'A & B' }), ''), 1, labels).titleHtml).toBe('A &amp; B');
  });

  it('never links a javascript: URL', () => {
    expect(hitView(hit(doc({ url: 'javascript:alert(1)' })), 1, labels).originalUrl).toBeUndefined();
    expect(safeExternalUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeExternalUrl('not a url')).toBeUndefined();
  });
});

describe('search page view', () => {
  it('opens on the latest resources with no query', () => {
    const v = searchPageView(outcome(query(), { total: 1234, hits: [hit(doc())] }), labels);
    expect(v).toMatchObject({ browsing: true, heading: 'Latest resources', countText: '1,234 results', noResults: false });
    expect(v.rangeText).toBe('Showing 1–1 of 1,234, newest first');
    expect(v.robots).toBeUndefined();
  });

  it('numbers hits from the page offset', () => {
    const v = searchPageView(outcome(query({ page: 3, size: 10 }), { total: 100, hits: [hit(doc())] }), labels);
    expect(v.hits[0]!.position).toBe(21);
  });

  it('says "1 result" in the singular', () => {
    expect(searchPageView(outcome(query({ text: 'x' }), { total: 1, hits: [hit(doc())] }), labels).countText).toBe('1 result');
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
      labels,
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
    expect(v.regions[0]).toMatchObject({
      label: 'ASEAN',
      given: false,
      found: true,
      derived: true,
      provenance: 'found in the text and from its countries',
    });
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
    expect(r.regions[0]).toEqual({ id: 'asean', label: 'ASEAN', given: false, found: true, derived: true });
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
        labels,
      ),
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; <mark>Wages</mark>'.replace(/&#34;/g, '&quot;'));
    expect(html).toMatch(/<form id="search-form"[^>]*method="get"[^>]*action="\/"/);
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
        labels,
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
