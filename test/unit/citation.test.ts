/** Pure pieces of citation export: names, keys, LaTeX escaping, JSON for script elements. */
import { citationName } from '../../src/web/citation/names';
import { citationKey, keyAllocator, latexEscape } from '../../src/web/citation/bibtex';
import { scriptJson } from '../../src/web/citation/metadata';
import { makeDocument } from '../contract/contract-documents';

describe('citation names', () => {
  it.each([
    ['Harkins, Benjamin', { family: 'Harkins', given: 'Benjamin' }],
    ['Núñez, José María', { family: 'Núñez', given: 'José María' }],
    ["O'Brien, Siobhán", { family: "O'Brien", given: 'Siobhán' }],
    ['B. Harkins', { family: 'Harkins', given: 'B.' }],
    ['J.-P. Dupont', { family: 'Dupont', given: 'J.-P.' }],
    ['Иванов, Пётр', { family: 'Иванов', given: 'Пётр' }],
  ])('splits a personal name written as catalogues write people: %s', (name, expected) => {
    expect(citationName(name)).toEqual(expected);
  });

  it.each([
    'International Labour Organization',
    'ILO',
    'UN Women',
    'Amnesty International',
    'Human Rights Watch',
    'Save the Children',
    'Migrant Forum in Asia',
    'Ministry of Labour, Employment and Social Security',
    'World Bank, Washington',
    'Benjamin Harkins',
    'مركز الهجرة',
    '国际劳工组织',
  ])('keeps a corporate (or uncertain) name whole: %s', (name) => {
    expect(citationName(name)).toEqual({ literal: name });
  });
});

describe('BibTeX', () => {
  it('escapes every character LaTeX treats specially, and nothing else', () => {
    expect(latexEscape('100% {a} & b_c #1 $2 ~x ^y \\z é 中')).toBe(
      '100\\% \\{a\\} \\& b\\_c \\#1 \\$2 \\textasciitilde{}x \\textasciicircum{}y \\textbackslash{}z é 中',
    );
  });

  it('makes ASCII keys from author, year and title, unique within one file', () => {
    const doc = makeDocument({ id: 'x', title: 'Économie des migrations', authors: ['Núñez, José'], published: '2019' });
    expect(citationKey(doc)).toBe('nunez2019economie');
    const next = keyAllocator();
    expect([next(doc), next(doc), next(doc)]).toEqual(['nunez2019economie', 'nunez2019economie-b', 'nunez2019economie-c']);
    expect(citationKey(makeDocument({ id: 'y', title: '移民' }))).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('JSON-LD in a script element', () => {
  it('cannot be ended early by record text, and parses back to the same value', () => {
    const value = { name: 'Ends </script><script>alert(1)</script> & <!-- \u2028 here' };
    const text = scriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
