/** The distinctive words a related-records query is built from (src/search/related.ts). */
import { relatedTerms } from '../../src/search/related';
import { makeDocument } from '../contract/contract-documents';

describe('relatedTerms', () => {
  const doc = makeDocument({
    id: 'r',
    title: 'Stadium construction workers in Qatar',
    abstract: 'Heat and wages of the workers building the stadiums; heat stress and heat illness.',
    keywords: ['kafala'],
  });
  // A library of 100 records: how many have each word.
  const df: Record<string, number> = { stadium: 3, construction: 10, workers: 80, qatar: 6, heat: 4, wages: 20, building: 12, stadiums: 3, stress: 5, illness: 2, kafala: 4 };
  const terms = relatedTerms(doc, (w) => df[w] ?? 0, 100);

  it('keeps words other records share, rarest and most repeated first', () => {
    expect(terms.slice(0, 2)).toEqual(['heat', 'stadium']);
    expect(terms).toEqual(expect.arrayContaining(['qatar', 'construction', 'kafala', 'illness']));
  });

  it('leaves out words no other record has, words most records have, function words and numbers', () => {
    expect(terms).not.toContain('workers');
    expect(terms).not.toContain('the');
    expect(terms).not.toContain('and');
    expect(relatedTerms(makeDocument({ id: 'x', title: 'Unique zeppelin 2024 of the year' }), () => 1, 100)).toEqual([]);
  });

  it('takes at most the number asked', () => {
    expect(relatedTerms(doc, (w) => df[w] ?? 0, 100, 3)).toHaveLength(3);
  });
});
