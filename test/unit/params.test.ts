import {
  DEFAULT_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  MAX_VALUES_PER_FACET,
  parseSearchParams,
  toSearchParams,
  type ParseResult,
} from '../../src/search/params';
import { MAX_RESULT_WINDOW } from '../../src/search/result-rules';

function errorsOf(result: ParseResult) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.query)}`);
  return result.errors;
}

function queryOf(result: ParseResult) {
  if (!result.ok) throw new Error(`expected a query, got ${JSON.stringify(result.errors)}`);
  return result.query;
}

function paramsNamed(result: ParseResult): string[] {
  return errorsOf(result).map((e) => e.param);
}

describe('parseSearchParams', () => {
  it('accepts codes and ids in any case, as people type them in URLs', () => {
    const parsed = parseSearchParams({ country: ['npl', 'NPL', 'Qat'], region: 'ASEAN', theme: 'Domestic-Work' });
    expect(parsed.ok && parsed.query.filters.country).toEqual(['NPL', 'QAT']);
    expect(parsed.ok && parsed.query.filters.region).toEqual(['asean']);
    expect(parsed.ok && parsed.query.filters.theme).toEqual(['domestic-work']);
  });

  it('reads a corridor as origin-destination codes, and names a malformed one', () => {
    const parsed = parseSearchParams({ corridor: ['npl-qat', 'NPL-QAT', 'Mmr-Tha'] });
    expect(parsed.ok && parsed.query.filters.corridor).toEqual(['NPL-QAT', 'MMR-THA']);
    expect(errorsOf(parseSearchParams({ corridor: 'Nepal to Qatar' }))).toEqual([{ param: 'corridor', message: '"Nepal to Qatar" is not a valid corridor value' }]);
  });

  it('gives the browse defaults with no parameters: newest first, page 1, default size', () => {
    const q = queryOf(parseSearchParams({}));
    expect(q).toMatchObject({ text: '', sort: 'newest', page: 1, size: DEFAULT_PAGE_SIZE });
    expect(q.filters).toEqual({ country: [], region: [], grouping: [], theme: [], corridor: [], type: [], publisher: [], language: [] });
  });

  it('sorts by relevance by default when there are words', () => {
    expect(queryOf(parseSearchParams({ q: 'domestic work' })).sort).toBe('relevance');
  });

  it('rejects an unknown sort, naming sort', () => {
    const errors = errorsOf(parseSearchParams({ sort: 'random' }));
    expect(errors).toEqual([expect.objectContaining({ param: 'sort' })]);
    expect(errors[0]!.message).toMatch(/relevance, newest, oldest/);
  });

  it('rejects page 0, naming page', () => {
    expect(paramsNamed(parseSearchParams({ page: '0' }))).toEqual(['page']);
  });

  it('rejects a negative or non-numeric page', () => {
    expect(paramsNamed(parseSearchParams({ page: '-1' }))).toEqual(['page']);
    expect(paramsNamed(parseSearchParams({ page: 'two' }))).toEqual(['page']);
    expect(paramsNamed(parseSearchParams({ page: '1.5' }))).toEqual(['page']);
  });

  it('rejects size 10000, naming size', () => {
    const errors = errorsOf(parseSearchParams({ size: '10000' }));
    expect(errors.map((e) => e.param)).toEqual(['size']);
    expect(errors[0]!.message).toMatch(/between 1 and 100/);
  });

  it('rejects pages beyond the result window for the page size', () => {
    const maxPage = MAX_RESULT_WINDOW / 20;
    expect(queryOf(parseSearchParams({ page: String(maxPage), size: '20' })).page).toBe(maxPage);
    expect(paramsNamed(parseSearchParams({ page: String(maxPage + 1), size: '20' }))).toEqual(['page']);
  });

  it('rejects a 5,000-character query, naming q', () => {
    const errors = errorsOf(parseSearchParams({ q: 'a'.repeat(5000) }));
    expect(errors.map((e) => e.param)).toEqual(['q']);
    expect(errors[0]!.message).toContain(String(MAX_QUERY_LENGTH));
  });

  it('accepts a query of exactly the maximum length', () => {
    expect(queryOf(parseSearchParams({ q: 'a'.repeat(MAX_QUERY_LENGTH) })).text).toHaveLength(MAX_QUERY_LENGTH);
  });

  it('rejects text that a broken encoding left behind (lone surrogate, NUL), naming q', () => {
    expect(paramsNamed(parseSearchParams({ q: 'abc\uD800' }))).toEqual(['q']);
    expect(paramsNamed(parseSearchParams({ q: 'a\u0000b' }))).toEqual(['q']);
  });

  it('rejects single-valued parameters given twice, naming each', () => {
    expect(paramsNamed(parseSearchParams({ q: ['a', 'b'] }))).toEqual(['q']);
    expect(paramsNamed(parseSearchParams({ sort: ['newest', 'oldest'], page: ['1', '2'] })).sort()).toEqual(['page', 'sort']);
  });

  it('accepts repeated facet parameters, deduplicated and trimmed, ignoring empty values', () => {
    const q = queryOf(parseSearchParams({ theme: ['domestic-work', ' domestic-work ', '', 'remittances'] }));
    expect(q.filters.theme).toEqual(['domestic-work', 'remittances']);
  });

  it('accepts ISO3 country codes in any case and upper-cases them', () => {
    expect(queryOf(parseSearchParams({ country: ['phl', 'NPL'] })).filters.country).toEqual(['PHL', 'NPL']);
  });

  it('rejects bad country codes, naming country and the value', () => {
    for (const bad of ['PH', 'Philippines', 'P1L', 'PHL;DROP', '<b>']) {
      const errors = errorsOf(parseSearchParams({ country: bad }));
      expect(errors).toEqual([expect.objectContaining({ param: 'country' })]);
      expect(errors[0]!.message).toContain(bad);
    }
  });

  it('rejects malformed region and theme ids', () => {
    expect(paramsNamed(parseSearchParams({ region: 'South Asia' }))).toEqual(['region']);
    expect(paramsNamed(parseSearchParams({ theme: '../etc' }))).toEqual(['theme']);
  });

  it('rejects too many values for one facet', () => {
    const many = Array.from({ length: MAX_VALUES_PER_FACET + 1 }, (_, i) => `pub-${i}`);
    expect(paramsNamed(parseSearchParams({ publisher: many }))).toEqual(['publisher']);
  });

  it('accepts free-text type and publisher values such as "IOM (UN Migration)"', () => {
    expect(queryOf(parseSearchParams({ publisher: 'IOM (UN Migration)' })).filters.publisher).toEqual(['IOM (UN Migration)']);
  });

  it('validates years: whole numbers in range', () => {
    expect(queryOf(parseSearchParams({ from: '2015', to: '2020' }))).toMatchObject({ yearFrom: 2015, yearTo: 2020 });
    expect(paramsNamed(parseSearchParams({ from: 'last year' }))).toEqual(['from']);
    expect(paramsNamed(parseSearchParams({ to: '99999' }))).toEqual(['to']);
  });

  it('swaps inverted years and says so, instead of refusing them', () => {
    const parsed = parseSearchParams({ from: '2020', to: '2015' });
    expect(queryOf(parsed)).toMatchObject({ yearFrom: 2015, yearTo: 2020 });
    expect(parsed.ok && parsed.notices).toEqual([{ param: 'from', message: expect.stringContaining('2015–2020') }]);
    expect(parseSearchParams({ from: '2015', to: '2020' })).toMatchObject({ notices: [] });
  });

  it('accepts undated=only and undated=include and rejects other values', () => {
    expect(queryOf(parseSearchParams({ undated: 'only' })).undatedOnly).toBe(true);
    expect(paramsNamed(parseSearchParams({ undated: 'yes' }))).toEqual(['undated']);
    const withUndated = queryOf(parseSearchParams({ from: '2015', to: '2020', undated: 'include' }));
    expect(withUndated).toMatchObject({ yearFrom: 2015, yearTo: 2020, includeUndated: true });
    expect(withUndated.undatedOnly).toBeUndefined();
    expect(toSearchParams(withUndated).toString()).toBe('from=2015&to=2020&undated=include');
    // Without a year range every undated resource is in the results anyway.
    expect(queryOf(parseSearchParams({ undated: 'include' })).includeUndated).toBeUndefined();
  });

  it('never applies a year range silently together with undated=only: the range is dropped and the page says so', () => {
    const parsed = parseSearchParams({ from: '2015', to: '2020', undated: 'only' });
    const q = queryOf(parsed);
    expect(q).toMatchObject({ undatedOnly: true, yearFrom: undefined, yearTo: undefined });
    expect(parsed.ok && parsed.notices.map((n) => n.param)).toEqual(['undated']);
  });

  it('names an unknown facet value with the injected check, and checks no free-text facet', () => {
    const known = new Set(['country:NPL', 'theme:remittances', 'region:un-m49-142', 'grouping:asean', 'language:ne']);
    const knownValue = (facet: string, value: string) => known.has(`${facet}:${value}`);
    const bad = parseSearchParams({ country: ['npl', 'XXX'], theme: 'nope', region: 'nope', grouping: 'nope', language: 'zz' }, { knownValue });
    expect(errorsOf(bad)).toEqual([
      { param: 'country', message: expect.stringMatching(/"XXX" is not a country/) },
      { param: 'region', message: expect.stringMatching(/"nope" is not a region/) },
      { param: 'grouping', message: expect.stringMatching(/"nope" is not a grouping/) },
      { param: 'theme', message: expect.stringMatching(/"nope" is not a theme/) },
      { param: 'language', message: expect.stringMatching(/"zz" is not a language/) },
    ]);
    const good = parseSearchParams({ country: 'npl', grouping: 'ASEAN', language: 'NE', publisher: 'Anything at all', type: 'Zine' }, { knownValue });
    expect(queryOf(good).filters).toMatchObject({ country: ['NPL'], grouping: ['asean'], language: ['ne'], publisher: ['Anything at all'] });
  });

  it('treats empty form fields as absent', () => {
    const q = queryOf(parseSearchParams({ q: 'x', sort: '', size: '', from: '', to: '', page: '' }));
    expect(q).toMatchObject({ sort: 'relevance', size: DEFAULT_PAGE_SIZE, page: 1, yearFrom: undefined, yearTo: undefined });
  });

  it('reports every bad parameter at once', () => {
    expect(paramsNamed(parseSearchParams({ sort: 'x', page: '0', size: '10000', country: 'zz' })).sort()).toEqual([
      'country',
      'page',
      'size',
      'sort',
    ]);
  });
});

describe('toSearchParams', () => {
  it('round-trips through parseSearchParams', () => {
    const q = queryOf(
      parseSearchParams({
        q: 'wage theft "Gulf states"',
        country: ['PHL', 'NPL'],
        theme: 'wage-theft',
        publisher: 'ILO & partners',
        from: '2010',
        to: '2020',
        sort: 'newest',
        size: '50',
        page: '3',
      }),
    );
    const again = queryOf(parseSearchParams(Object.fromEntries(groupParams(toSearchParams(q)))));
    expect(again).toEqual(q);
  });

  it('leaves defaults out of the URL', () => {
    expect(toSearchParams({ text: '', sort: 'newest', page: 1, size: DEFAULT_PAGE_SIZE }).toString()).toBe('');
    expect(toSearchParams({ text: 'x', sort: 'relevance', page: 1, size: DEFAULT_PAGE_SIZE }).toString()).toBe('q=x');
  });

  it('accepts partial filters', () => {
    expect(toSearchParams({ filters: { country: ['PHL'] } }).toString()).toBe('country=PHL');
  });
});

function groupParams(params: URLSearchParams): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out.set(key, all.length === 1 ? all[0]! : all);
  }
  return out;
}
