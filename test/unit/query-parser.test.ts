import { MAX_PHRASE_WORDS, MAX_QUERY_CHARS, MAX_TERMS, MAX_WILDCARD_WORD_CHARS, MAX_WILDCARDS, parseQuery, type ParsedTerm } from '../../src/search/query-parser';

const brief = (t: ParsedTerm): string => `${t.negated ? '-' : ''}${t.quoted ? `"${t.words.join(' ')}"` : t.words.join('+')}`;
const parse = (text: string): string[] => parseQuery(text).terms.map(brief);

describe('parseQuery', () => {
  it('splits words, folds case and diacritics, keeps what was typed', () => {
    const { terms } = parseQuery('Migrant  WORKERS Côte');
    expect(terms.map(brief)).toEqual(['migrant', 'workers', 'cote']);
    expect(terms.map((t) => t.typed)).toEqual([['Migrant'], ['WORKERS'], ['Côte']]);
    expect(terms.every((t) => !t.quoted && !t.negated)).toBe(true);
  });

  it('reads quoted phrases, also with typographic quotes', () => {
    expect(parse('"domestic workers" Qatar')).toEqual(['"domestic workers"', 'qatar']);
    expect(parse('“forced labour” «kafala»')).toEqual(['"forced labour"', '"kafala"']);
  });

  it('reads exclusions of words and phrases', () => {
    expect(parse('migration -Qatar -"domestic work"')).toEqual(['migration', '-qatar', '-"domestic work"']);
  });

  it('treats a hyphen inside a word as part of the word, and a lone one as nothing', () => {
    expect(parse('Guinea-Bissau - e-mail')).toEqual(['guinea+bissau', 'e+mail']);
    expect(parse('- -- ---')).toEqual([]);
    expect(parse('--qatar')).toEqual(['-qatar']);
  });

  it('runs an unclosed quote to the end', () => {
    expect(parse('Nepal "recruitment fees')).toEqual(['nepal', '"recruitment fees"']);
    expect(parse('"')).toEqual([]);
    expect(parse('a"b"c')).toEqual(['a', '"b"', 'c']);
  });

  it('gives other operator syntax no meaning', () => {
    expect(parse('title:nepal* {x} [y] ~z NEAR/3')).toEqual(['title+nepal', 'x', 'y', 'z', 'near+3']);
    expect(parse('"*" * ^ : { } [ ] && ||')).toEqual([]);
    expect(parse('labour and migration or not')).toEqual(['labour', 'and', 'migration', 'or', 'not']);
    expect(parse('"AND" "OR"')).toEqual(['"and"', '"or"']);
  });

  it('reads a word typed with a trailing * as its beginning', () => {
    const prefixes = (q: string) => parseQuery(q).terms.map((t) => t.prefix === true);
    expect(prefixes('migra* workers')).toEqual([true, false]);
    expect(parseQuery('migra*').terms[0].words).toEqual(['migra']);
    // Not quoted, not too short, not apart from its word, not one word of several, not inside a word.
    expect(prefixes('"migra*" mi* migra * labour-migra* mig*ra')).toEqual([false, false, false, false, false]);
    expect(parseQuery('remit* OR traffick*').reading).toBe('remit* OR traffick*');
  });

  it("reads '?' and '*' inside a word as wildcards, and a '?' after one as a question mark", () => {
    const wildcards = (q: string) => parseQuery(q).terms.map((t) => (t.wildcard ? t.words[0] : null));
    expect(wildcards('Wom?n workers')).toEqual(['wom?n', null]);
    expect(wildcards('labo*r organi?ation* m??grant')).toEqual(['labo*r', 'organi?ation*', 'm??grant']);
    // Folded as words are: lower case, no accents.
    expect(wildcards('Émi?ration')).toEqual(['emi?ration']);
    // A question, a quoted phrase, too few letters, nothing or a digit before the wildcard, a hyphenated word.
    expect(wildcards('who are migrant workers? "wom?n" a?b ?omen 20?0s labour-mi?rant')).toEqual(Array(9).fill(null));
    expect(parseQuery('migrant workers?').terms.map((t) => t.words)).toEqual([['migrant'], ['workers']]);
    // Bounded: more wildcards, or a longer word, is read as its words.
    expect(wildcards(`a${'?b'.repeat(MAX_WILDCARDS)}`)).toEqual([`a${'?b'.repeat(MAX_WILDCARDS)}`]);
    expect(wildcards(`a${'?b'.repeat(MAX_WILDCARDS + 1)}`)).toEqual([null]);
    expect(wildcards(`${'x'.repeat(MAX_WILDCARD_WORD_CHARS)}?y`)).toEqual([null]);
    const excluded = parseQuery('migrants -wom?n');
    expect(excluded.reading).toBe('migrants AND NOT wom?n');
    expect(excluded.text.slice(excluded.terms[1].starts[0], excluded.terms[1].ends[0])).toBe('wom?n');
  });

  it('records where each word was typed', () => {
    const parsed = parseQuery('  Côte d’Ivoire -"x y"');
    const [cote, divoire, xy] = parsed.terms;
    expect(parsed.text.slice(cote.starts[0], cote.ends[0])).toBe('Côte');
    expect(parsed.text.slice(divoire.starts[0], divoire.ends[1])).toBe('d’Ivoire');
    expect(parsed.text.slice(xy.starts[0], xy.ends[1])).toBe('x y');
  });

  it('bounds the work whatever the input', () => {
    const long = parseQuery('word '.repeat(1000));
    expect(long.truncated).toBe(true);
    expect(long.terms).toHaveLength(MAX_TERMS);
    const phrase = parseQuery(`"${'w '.repeat(100)}"`);
    expect(phrase.terms[0].words).toHaveLength(MAX_PHRASE_WORDS);
    expect(phrase.truncated).toBe(true);
    const huge = parseQuery('x'.repeat(MAX_QUERY_CHARS * 3));
    expect(huge.truncated).toBe(true);
    expect(huge.terms[0].words[0]).toHaveLength(MAX_QUERY_CHARS);
    expect(parseQuery('nepal qatar').truncated).toBe(false);
  });

  it('never throws on hostile input', () => {
    const hostile: unknown[] = [
      '',
      '   ',
      '"'.repeat(5000),
      '-'.repeat(5000),
      '!@#$%^&*()_+={}[]|\\:;"\'<>,.?/~`',
      'AND OR NOT (',
      '"*"',
      '😀 🇳🇵 \u0000\u0001\u001f \ud800 \udfff',
      'a'.repeat(5000),
      'é'.repeat(5000),
      '-"',
      '-""',
      '"-"',
      '\u202e\u200b\ufeff',
      undefined,
      null,
      42,
      { toString: () => 'x' },
    ];
    for (const input of hostile) {
      const parsed = parseQuery(input);
      expect(parsed.terms.length).toBeLessThanOrEqual(MAX_TERMS);
      for (const t of parsed.terms) expect(t.words.length).toBeGreaterThan(0);
    }
    expect(parse('😀 nepal \u0000qatar')).toEqual(['nepal', 'qatar']);
  });
});

describe('parseQuery: operators', () => {
  const reading = (text: string): string => parseQuery(text).reading;

  it.each([
    ['nepal NOT qatar', 'nepal AND NOT qatar'],
    ['remittances OR trafficking', 'remittances OR trafficking'],
    ['nepal AND qatar', 'nepal AND qatar'],
    ['(remittances OR trafficking) nepal', '(remittances OR trafficking) AND nepal'],
    ['nepal OR qatar remittances', 'nepal OR (qatar AND remittances)'],
    ['NOT (qatar OR oman) nepal', 'NOT (qatar OR oman) AND nepal'],
    ['migration -Qatar', 'migration AND NOT Qatar'],
    ['"domestic workers" OR caregivers', '"domestic workers" OR caregivers'],
  ])('reads %s as %s', (text, expected) => {
    expect(reading(text)).toBe(expected);
    expect(parseQuery(text).operators).toBe(/AND|OR|NOT|\(/.test(text));
  });

  it('keeps lower-case and/or/not as words', () => {
    expect(parseQuery('return and reintegration').root).toMatchObject({ kind: 'and' });
    expect(parseQuery('return and reintegration').terms.map((t) => t.words[0])).toEqual(['return', 'and', 'reintegration']);
    expect(parseQuery('return and reintegration').operators).toBe(false);
  });

  it.each([
    ['nepal AND', 'nepal'],
    ['OR qatar', 'qatar'],
    ['nepal OR OR qatar', 'nepal OR qatar'],
    ['nepal NOT', 'nepal'],
    ['AND OR NOT', ''],
    ['(nepal OR qatar', 'nepal OR qatar'],
    ['nepal) OR qatar', 'nepal OR qatar'],
    ['((nepal)', 'nepal'],
    ['()', ''],
    ['nepal ( ) qatar', 'nepal AND qatar'],
    ['"unclosed phrase OR x', '"unclosed phrase OR x"'],
    ['nepal NOT NOT qatar', 'nepal AND qatar'],
  ])('reads malformed %j in the most useful way: %j', (text, expected) => {
    expect(reading(text)).toBe(expected);
  });

  it('reads a negation inside OR as an exclusion of the whole', () => {
    expect(reading('migration OR NOT qatar')).toBe('migration AND NOT qatar');
    expect(reading('NOT qatar OR NOT oman')).toBe('NOT qatar AND NOT oman');
  });

  it('marks the terms under a NOT as negated', () => {
    const { terms } = parseQuery('nepal NOT (qatar OR "saudi arabia")');
    expect(terms.map((t) => [t.source, t.negated])).toEqual([
      ['nepal', false],
      ['qatar', true],
      ['saudi arabia', true],
    ]);
  });

  it('bounds nesting depth', () => {
    const deep = `${'('.repeat(50)}nepal${')'.repeat(50)} qatar`;
    expect(reading(deep)).toBe('nepal AND qatar');
    expect(parseQuery(`${'(a OR '.repeat(40)}b`).terms.length).toBeLessThanOrEqual(MAX_TERMS);
  });
});
