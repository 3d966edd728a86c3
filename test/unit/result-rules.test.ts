/**
 * The rules of a result every engine keeps, written once in the core (the contract suite proves
 * each engine keeps them; these are the rules themselves).
 */
import {
  appliedOrder,
  defaultSort,
  hitSnippets,
  hitTitle,
  MAX_RESULT_WINDOW,
  PLAIN_SNIPPET_CHARS,
  plainSnippets,
  resultWindow,
} from '../../src/search/result-rules';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S } from '../../src/search/types';

describe('result window', () => {
  it('skips the pages before and gives at most a page, never past the window', () => {
    expect(resultWindow({ page: 1, size: 20 })).toEqual({ offset: 0, size: 20 });
    expect(resultWindow({ page: 3, size: 20 })).toEqual({ offset: 40, size: 20 });
    expect(resultWindow({ page: MAX_RESULT_WINDOW / 100, size: 100 })).toEqual({ offset: MAX_RESULT_WINDOW - 100, size: 100 });
    expect(resultWindow({ page: 334, size: 30 })).toEqual({ offset: 9990, size: 10 });
  });

  it('gives no hits for a page that starts at or beyond the window', () => {
    expect(resultWindow({ page: MAX_RESULT_WINDOW / 100 + 1, size: 100 })).toEqual({ offset: 0, size: 0 });
    expect(resultWindow({ page: 1000, size: 100 })).toEqual({ offset: 0, size: 0 });
  });
});

describe('sort', () => {
  it('is relevance with words and newest first without', () => {
    expect(defaultSort('migration')).toBe('relevance');
    expect(defaultSort('')).toBe('newest');
    expect(defaultSort('   ')).toBe('newest');
  });

  it('applies relevance only when there is something to rank by', () => {
    expect(appliedOrder('relevance', true)).toBe('relevance');
    expect(appliedOrder('relevance', false)).toBe('newest');
    expect(appliedOrder('oldest', true)).toBe('oldest');
    expect(appliedOrder('newest', false)).toBe('newest');
  });
});

describe('snippets', () => {
  const long = `${'word '.repeat(80)}end.`;

  it('is the beginning of the abstract, cut at a space, with an ellipsis', () => {
    const [snippet] = plainSnippets(long);
    expect(snippet!.endsWith('…')).toBe(true);
    expect(snippet!.length).toBeLessThanOrEqual(PLAIN_SNIPPET_CHARS + 1);
    expect(long.startsWith(snippet!.slice(0, -1))).toBe(true);
    expect(snippet!.slice(0, -1).endsWith('word')).toBe(true);
    expect(plainSnippets('Short abstract.')).toEqual(['Short abstract.']);
  });

  it('is none without an abstract or with blanks only', () => {
    expect(plainSnippets(undefined)).toEqual([]);
    expect(plainSnippets('')).toEqual([]);
    expect(plainSnippets(' \n ')).toEqual([]);
  });

  it('prefers passages with a match marked, and falls back to the plain snippet without one', () => {
    const passage = `…the ${S}remittances${E} sent home…`;
    expect(hitSnippets([passage], long)).toEqual([passage]);
    expect(hitSnippets(['an unmarked passage'], long)).toEqual(plainSnippets(long));
    expect(hitSnippets([], undefined)).toEqual([]);
  });
});

describe('title', () => {
  it("is the marked title when it is the record's title with marks, the stored title otherwise", () => {
    expect(hitTitle(`${S}A${E} & B`, 'A & B')).toBe(`${S}A${E} & B`);
    expect(hitTitle(undefined, 'A & B')).toBe('A & B');
    expect(hitTitle('', 'A & B')).toBe('A & B');
    expect(hitTitle(`${S}a${E} and b`, 'A & B')).toBe('A & B');
  });
});
