import { isAcronym, matchCase, suggestSpelling, type SpellingLookups } from '../../src/search/spelling';
import { explainTagMatches } from '../../src/search/tag-explanation';
import { closestWords } from '../../src/backends/sqlite/suggest';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { makeDocument } from '../contract/contract-documents';

const vocab = loadVocabulary();

/** Lookups over the real vocabulary and a small word list standing in for an index. */
function lookups(words: Record<string, number>): SpellingLookups {
  return {
    closestName: (w) => vocab.closestName(w),
    isName: (w) => vocab.isName(w),
    closestWord: async (w) => closestWords(w, Object.entries(words), 1)[0],
    frequency: async (w) => words[w] ?? 0,
  };
}

describe('did you mean', () => {
  const index = { migrants: 500, workers: 400, work: 300, how: 900, iron: 40, recruitment: 200 };

  it.each([
    ['Philipines', 'Philippines'],
    ['philipines', 'philippines'],
    ['Bangaldesh workers', 'Bangladesh workers'],
    ['Kyrgystan', 'Kyrgyzstan'],
    ['migrnats from Nepal', 'migrants from Nepal'],
  ])('%s → %s', async (typed, expected) => {
    expect(await suggestSpelling(typed, lookups(index))).toBe(expected);
  });

  it('never corrects an acronym in capitals', async () => {
    expect(isAcronym('HRW')).toBe(true);
    expect(isAcronym('Hrw')).toBe(false);
    expect(await suggestSpelling('HRW', lookups(index))).toBeUndefined();
    expect(await suggestSpelling('HRW reports on migrnats', lookups(index))).toBe('HRW reports on migrants');
  });

  it('never corrects a beginning typed with *', async () => {
    expect(await suggestSpelling('remit*', lookups({ ...index, rest: 900 }))).toBeUndefined();
    expect(await suggestSpelling('remit* migrnats', lookups(index))).toBe('remit* migrants');
  });

  it('replaces whole words only, where they were typed', async () => {
    expect(await suggestSpelling('workers wrok', lookups({ ...index, wrok: 1 }))).toBe('workers work');
    expect(await suggestSpelling('"migrnats" -Philipines', lookups(index))).toBe('"migrants" -Philippines');
  });

  it('leaves words of the library and names alone', async () => {
    expect(await suggestSpelling('iron', lookups(index))).toBeUndefined();
    expect(await suggestSpelling('Nepal Qatar', lookups(index))).toBeUndefined();
  });

  it('keeps the visitor\'s capitalisation', () => {
    expect(matchCase('PHILIPINES', 'Philippines')).toBe('PHILIPPINES');
    expect(matchCase('philipines', 'Philippines')).toBe('philippines');
    expect(matchCase('Migrnats', 'migrants')).toBe('Migrants');
  });
});

describe('why a record found through a tag matched', () => {
  it('names the member country of a region the query named', () => {
    const doc = makeDocument({ id: 'q', title: 'Stadium builders', countries: ['QAT'] });
    expect(explainTagMatches(doc, [{ field: 'regions', value: 'gcc' }], (id) => vocab.regionMembers(id))).toEqual([
      { field: 'countries', value: 'QAT', via: { field: 'regions', value: 'gcc' } },
    ]);
  });

  it('names the tag itself when the record carries it', () => {
    const doc = makeDocument({ id: 'n', title: 'Stadium builders', countries: ['NPL'], themes: ['construction'], regions: ['gcc'] });
    const tags = [
      { field: 'countries' as const, value: 'NPL' },
      { field: 'themes' as const, value: 'construction' },
      { field: 'regions' as const, value: 'gcc' },
      { field: 'countries' as const, value: 'QAT' },
    ];
    expect(explainTagMatches(doc, tags, (id) => vocab.regionMembers(id))).toEqual([
      { field: 'countries', value: 'NPL' },
      { field: 'themes', value: 'construction' },
      { field: 'regions', value: 'gcc' },
    ]);
  });
});
