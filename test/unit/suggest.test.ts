/**
 * The pure parts of suggestions as you type: which vocabulary names complete a prefix and how
 * they rank (src/search/vocabulary/name-completion.ts), how titles and publishers are matched and
 * ordered for both engines (src/search/completion.ts), and how the list is put together
 * (src/search/suggest.ts).
 */
import { completionKey, completionKeys, orderPublishers, orderTitles, prefixMatch } from '../../src/search/completion';
import { composeSuggestions, suggestPrefix } from '../../src/search/suggest';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';

const vocab = loadVocabulary();
const names = (typed: string, limit = 5) => vocab.completeNames(completionKey(typed), limit);

describe('vocabulary names that complete what is typed', () => {
  it('finds countries by their name, other names, demonyms and names in the other UN languages', () => {
    expect(names('nep')[0]).toMatchObject({ field: 'countries', value: 'NPL', label: 'Nepal', tier: 0 });
    expect(names('burma')[0]).toMatchObject({ value: 'MMR', label: 'Myanmar', matched: 'Burma' });
    expect(names('lao p')[0]).toMatchObject({ value: 'LAO' });
    expect(names('viet')[0]).toMatchObject({ value: 'VNM' });
    expect(names('turkey')[0]).toMatchObject({ value: 'TUR', label: 'Türkiye', matched: 'Turkey' });
    expect(names('libano')[0]).toMatchObject({ value: 'LBN', matched: 'Líbano', tier: 2 });
    expect(names('росси')[0]).toMatchObject({ value: 'RUS' });
  });

  it('ranks the start of a label above another name, and a start above a later word', () => {
    const korea = names('korea', 10);
    expect(korea[0]).toMatchObject({ value: 'KOR' });
    expect(korea.find((n) => n.value === 'PRK')).toBeDefined();
    const guinea = names('guinea', 10).map((n) => n.value);
    // "Guinea" itself first; Guinea-Bissau and Equatorial Guinea follow (a later word of their names).
    expect(guinea[0]).toBe('GIN');
    expect(guinea).toEqual(expect.arrayContaining(['GNB', 'GNQ', 'PNG']));
    expect(guinea.indexOf('GNB')).toBeLessThan(guinea.indexOf('GNQ'));
  });

  it('finds regions and themes by their names and synonyms', () => {
    expect(names('asean')[0]).toMatchObject({ field: 'regions', facet: 'grouping', value: 'asean' });
    expect(names('south-eastern asia')[0]).toMatchObject({ field: 'regions', facet: 'region', value: 'un-m49-035' });
    expect(names('the gulf').some((n) => n.value === 'gcc')).toBe(true);
    expect(names('domestic w')[0]).toMatchObject({ field: 'themes', value: 'domestic-work' });
    expect(names('labor migr').some((n) => n.field === 'themes')).toBe(true);
  });

  it('gives each entry once and at most the limit per kind', () => {
    const list = names('a', 3);
    for (const field of ['countries', 'regions', 'themes']) expect(list.filter((n) => n.field === field).length).toBeLessThanOrEqual(3);
    const keys = list.map((n) => `${n.field}:${n.value}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(names('')).toEqual([]);
  });
});

describe('completion keys, shared by both engines', () => {
  it('matches a run of words starting with the typed words, ignoring case, accents and punctuation', () => {
    expect(prefixMatch('World Migration Report 2024', completionKey('world mig'))).toBe('start');
    expect(prefixMatch("Migration en Côte d'Ivoire", completionKey('cote d iv'))).toBe('inside');
    expect(prefixMatch('UN Women', completionKey('wom'))).toBe('inside');
    expect(prefixMatch('Women migrants', completionKey('men'))).toBeUndefined();
    expect(completionKeys('Home truths: housing')).toEqual(['home truths housing', 'truths housing', 'housing']);
  });

  it('orders titles: starting with the typed words, then newest, then by id; each once', () => {
    const t = (id: string, title: string, year?: number) => ({ id, title, ...(year ? { year } : {}) });
    const ordered = orderTitles(
      [t('b', 'Protecting domestic workers', 2020), t('a', 'Domestic policy', 2010), t('c', 'Domestic workers', 2015), t('a', 'Domestic policy', 2010), t('d', 'Undated domestic study')],
      'domestic',
      10,
    );
    expect(ordered.map((x) => x.id)).toEqual(['c', 'a', 'b', 'd']);
    expect(orderTitles(ordered, 'domestic', 2).map((x) => x.id)).toEqual(['c', 'a']);
  });

  it('orders publishers by documents, leaving out those with none or not matching', () => {
    expect(orderPublishers([{ value: 'UN Women', count: 3 }, { value: 'UNHCR', count: 9 }, { value: 'UNDP', count: 0 }, { value: 'ILO', count: 5 }], 'un', 5)).toEqual([
      { value: 'UNHCR', count: 9 },
      { value: 'UN Women', count: 3 },
    ]);
  });
});

describe('the list of suggestions', () => {
  it('is empty for text too short or too long to complete', () => {
    expect(suggestPrefix('n')).toBeUndefined();
    expect(suggestPrefix(' - ')).toBeUndefined();
    expect(suggestPrefix('x'.repeat(101))).toBeUndefined();
    expect(suggestPrefix('Nép')).toBe('nep');
  });

  it('puts filters the library has first (at most half), best match and most records first, then titles', () => {
    const prefix = completionKey('ne');
    const matched = vocab.completeNames(prefix, 12);
    const list = composeSuggestions(
      prefix,
      matched,
      {
        titles: [1, 2, 3, 4, 5, 6].map((i) => ({ id: `t${i}`, title: `Nepal study ${i}`, year: 2000 + i })),
        publishers: [{ value: 'Government of Nepal', count: 2 }],
        counts: { country: { NPL: 5, NER: 1, NGA: 0, NZL: 3 } },
      },
      6,
    );
    const filters = list.filter((s) => s.kind !== 'title');
    expect(filters.length).toBeLessThanOrEqual(3);
    expect(filters.map((s) => s.value)).not.toContain('NGA');
    expect(filters[0]).toMatchObject({ kind: 'country', value: 'NPL', count: 5 });
    expect(list.length).toBe(6);
    expect(list.slice(filters.length).every((s) => s.kind === 'title')).toBe(true);
  });
});
