import { isEmptyQuery, type MatchUnit, type QueryClause } from '../../src/search/analysed-query';
import { analyseQuery, MAX_CLAUSES } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { findTags } from '../../src/search/vocabulary/tagger';
import { normaliseKey } from '../../src/search/vocabulary/text';

const vocab = loadVocabulary();
const analyse = (text: string) => analyseQuery(vocab, text);
const words = (words: string[], phrase = false): MatchUnit => ({ kind: 'words', words, phrase });
const alias = (words: string[], phrase = false): MatchUnit => ({ kind: 'words', words, phrase, alias: true });
const tags = (c: QueryClause): string[] => c.anyOf.flatMap((u) => (u.kind === 'tag' ? [`${u.field}:${u.value}`] : []));

describe('analyseQuery: names', () => {
  it('turns a country name into its words, its other names or its tag', () => {
    const { clauses } = analyse('Laos');
    expect(clauses).toHaveLength(1);
    const [clause] = clauses;
    expect(clause).toMatchObject({ negated: false, source: 'Laos' });
    expect(clause.anyOf[0]).toEqual(words(['laos']));
    expect(clause.anyOf).toContainEqual(alias(['lao', 'pdr'], true));
    expect(clause.anyOf).toContainEqual(alias(['lao', 'people', 's', 'democratic', 'republic'], true));
    expect(clause.anyOf[clause.anyOf.length - 1]).toEqual({ kind: 'tag', field: 'countries', value: 'LAO' });
  });

  it('counts ambiguous names, language names and demonyms only in records that carry the tag', () => {
    const units = (q: string) => analyse(q).clauses[0].anyOf.flatMap((u) => (u.kind === 'words' ? [u] : []));
    const conditional = (q: string, text: string) => units(q).find((u) => u.words.join(' ') === text)?.onlyWith;
    expect(conditional('United States', 'american')).toEqual({ field: 'countries', value: 'USA' });
    expect(conditional('Laos', 'lao')).toEqual({ field: 'countries', value: 'LAO' });
    expect(conditional('Hashemite Kingdom of Jordan', 'jordan')).toEqual({ field: 'countries', value: 'JOR' });
    expect(conditional('Nepal', 'nepali')).toEqual({ field: 'countries', value: 'NPL' });
    expect(conditional('Nepal', 'nepalese')).toEqual({ field: 'countries', value: 'NPL' });
    // Plain other names match any text; very short forms are left to the tag.
    expect(conditional('Burma', 'myanmar')).toBeUndefined();
    expect(units('Burma').map((u) => u.words.join(' '))).toContain('myanmar');
    expect(units('United States').map((u) => u.words.join(' '))).not.toContain('us');
  });

  it("counts a country's name that is part of another country's name only in records that carry the tag, typed or added", () => {
    const units = (q: string) => analyse(q).clauses[0].anyOf.flatMap((u) => (u.kind === 'words' ? [u] : []));
    const conditional = (q: string, text: string) => units(q).find((u) => u.words.join(' ') === text)?.onlyWith;
    // "Korea" and "Republic of Korea" are in "Democratic People's Republic of Korea" (North Korea).
    expect(conditional('South Korea', 'korea')).toEqual({ field: 'countries', value: 'KOR' });
    expect(conditional('South Korea', 'republic of korea')).toEqual({ field: 'countries', value: 'KOR' });
    expect(units('South Korea').map((u) => u.words.join(' '))).toContain('rok');
    expect(conditional('South Korea', 'rok')).toBeUndefined();
    // "Congo" and "Republic of Congo" are in the Democratic Republic of the Congo's names.
    expect(conditional('Congo-Brazzaville', 'congo')).toEqual({ field: 'countries', value: 'COG' });
    // Every country's name as typed: no other name added as plain text is part of a name of a country the query did not name.
    const namesOf = (code: string) => {
      const c = vocab.country(code)!;
      return [c.name, ...c.altNames].map((n) => ` ${normaliseKey(n)} `);
    };
    for (const c of vocab.countries) {
      const { anyOf } = analyse(c.name).clauses[0];
      const named = new Set(anyOf.flatMap((u) => (u.kind === 'tag' ? [u.value] : [])));
      const others = vocab.countries.filter((o) => !named.has(o.code)).flatMap((o) => namesOf(o.code));
      for (const u of anyOf) {
        if (u.kind !== 'words' || !u.alias || u.onlyWith) continue;
        const name = u.words.join(' ');
        expect({ country: c.code, name, inside: others.find((o) => o.includes(` ${name} `)) }).toEqual({ country: c.code, name, inside: undefined });
      }
    }
    // Typed too: "Sudan" is in "South Sudan", "Guinea" in "Papua New Guinea", "Niger" in "Niger Delta" (Nigeria).
    expect(conditional('Sudan', 'sudan')).toEqual({ field: 'countries', value: 'SDN' });
    expect(conditional('Guinea', 'guinea')).toEqual({ field: 'countries', value: 'GIN' });
    expect(conditional('Niger', 'niger')).toEqual({ field: 'countries', value: 'NER' });
    expect(conditional('Korea', 'korea')).toEqual({ field: 'countries', value: 'KOR' });
    // Names no other country's name contains stay plain text; so does a quoted name, and a region's name.
    expect(conditional('South Sudan', 'south sudan')).toBeUndefined();
    expect(conditional('Nepal', 'nepal')).toBeUndefined();
    expect(analyse('"Sudan"').clauses[0].anyOf[0]).toEqual(words(['sudan']));
    expect(conditional('Asia', 'asia')).toBeUndefined();
  });

  it('recognises names of several words as one clause', () => {
    const { clauses } = analyse('Lao PDR');
    expect(clauses).toHaveLength(1);
    expect(clauses[0].anyOf.slice(0, 2)).toEqual([words(['lao', 'pdr'], true), words(['lao', 'pdr'])]);
    expect(clauses[0].anyOf).toContainEqual(alias(['laos']));
    expect(clauses[0].anyOf[clauses[0].anyOf.length - 1]).toEqual({ kind: 'tag', field: 'countries', value: 'LAO' });
    expect(clauses[0].source).toBe('Lao PDR');
  });

  it.each([
    ["Lao People's Democratic Republic", 'countries:LAO'],
    ['Viet Nam', 'countries:VNM'],
    ['Vietnam', 'countries:VNM'],
    ['Burma', 'countries:MMR'],
    ['Türkiye', 'countries:TUR'],
    ['turkey', 'countries:TUR'],
    ['Cote d’Ivoire', 'countries:CIV'],
    ['ivory coast', 'countries:CIV'],
    ['Kyrgyz Republic', 'countries:KGZ'],
    ['South Korea', 'countries:KOR'],
    ['Korea, Rep.', 'countries:KOR'],
    ['North Korea', 'countries:PRK'],
    ['DPRK', 'countries:PRK'],
    ['uae', 'countries:ARE'],
    ['Hong Kong SAR', 'countries:HKG'],
    ['DR Congo', 'countries:COD'],
    ['Congo', 'countries:COG'],
    ['Niger', 'countries:NER'],
    ['Papua New Guinea', 'countries:PNG'],
    ['Dominican Republic', 'countries:DOM'],
    ['jordan', 'countries:JOR'],
    ['Nepali', 'countries:NPL'],
    ['Kyrgyz', 'countries:KGZ'],
    ['ASEAN', 'regions:asean'],
    ['the Gulf', 'regions:gcc'],
    ['GCC', 'regions:gcc'],
    ['South Asia', 'regions:saarc'],
    ['central asia', 'regions:un-m49-143'],
    ['ECOWAS', 'regions:ecowas'],
    ['domestic workers', 'themes:domestic-work'],
    ['recruitment fees', 'themes:recruitment'],
    ['forced labor', 'themes:forced-labour'],
  ])('%s → %s', (text, tag) => {
    const { clauses } = analyse(text);
    expect(clauses).toHaveLength(1);
    expect(tags(clauses[0])).toEqual([tag]);
  });

  it('finds a demonym inside a longer query', () => {
    const { clauses } = analyse('Burmese migrants');
    expect(clauses.map(tags)).toEqual([['countries:MMR'], []]);
    expect(clauses[1].anyOf).toEqual([words(['migrants'])]);
  });

  it('tags a region with itself only: engines index the derived regions of member countries', () => {
    const [clause] = analyse('ASEAN').clauses;
    expect(tags(clause)).toEqual(['regions:asean']);
  });

  it('keeps Niger and Nigeria, and the Indian Ocean and India, apart', () => {
    expect(analyse('Nigeria').clauses.map(tags)).toEqual([['countries:NGA']]);
    expect(analyse('Indian Ocean').clauses.map(tags)).toEqual([[], []]);
    expect(analyse('Equatorial Guinea').clauses.map(tags)).toEqual([['countries:GNQ']]);
  });

  it('takes "US" for the country only in capitals', () => {
    expect(analyse('US').clauses.map(tags)).toEqual([['countries:USA']]);
    expect(analyse('us').clauses.map(tags)).toEqual([[]]);
  });
});

describe('analyseQuery: words', () => {
  it('expands spelling variants', () => {
    const { clauses } = analyse('labor migration');
    expect(clauses[0]).toEqual({ anyOf: [words(['labor']), words(['labour'])], negated: false, source: 'labor' });
    expect(clauses[1]).toEqual({ anyOf: [words(['migration'])], negated: false, source: 'migration' });
  });

  it('expands spelling variants inside names', () => {
    const [clause] = analyse('labor rights').clauses;
    expect(clause.anyOf).toEqual(expect.arrayContaining([words(['labor', 'rights'], true), words(['labour', 'rights'], true), { kind: 'tag', field: 'themes', value: 'labour-rights' }]));
  });

  it('lower-cases and folds every word', () => {
    const { clauses, proximityWords } = analyse('MIGRAÇÃO Straße');
    expect(clauses.map((c) => c.anyOf[0])).toEqual([words(['migracao']), words(['strasse'])]);
    expect(proximityWords).toEqual(['migracao', 'strasse']);
  });

  it('gives positive unquoted words for proximity, only when there are two or more', () => {
    expect(analyse('Nepali "domestic work" recruitment -Qatar fees').proximityWords).toEqual(['nepali', 'recruitment', 'fees']);
    expect(analyse('Nepal').proximityWords).toEqual([]);
    expect(analyse('"domestic workers"').proximityWords).toEqual([]);
  });
});

describe('analyseQuery: phrases and exclusions', () => {
  it('keeps a quoted phrase exact, adding the tag when it is one name', () => {
    expect(analyse('"South Korea"').clauses).toEqual([
      { anyOf: [words(['south', 'korea'], true), { kind: 'tag', field: 'countries', value: 'KOR' }], negated: false, source: '"South Korea"' },
    ]);
    expect(analyse('"labor rights of fishers"').clauses).toEqual([
      { anyOf: [words(['labor', 'rights', 'of', 'fishers'], true)], negated: false, source: '"labor rights of fishers"' },
    ]);
  });

  it('negates words, phrases and names', () => {
    const { clauses } = analyse('migration -Thailand -"construction workers" -labor');
    expect(clauses[1]).toMatchObject({ negated: true, source: 'Thailand' });
    expect(clauses[1].anyOf[0]).toEqual(words(['thailand']));
    expect(clauses[1].anyOf).toContainEqual(alias(['kingdom', 'of', 'thailand'], true));
    expect(clauses[1].anyOf[clauses[1].anyOf.length - 1]).toEqual({ kind: 'tag', field: 'countries', value: 'THA' });
    expect(clauses[2]).toEqual({
      anyOf: [words(['construction', 'workers'], true), { kind: 'tag', field: 'themes', value: 'construction' }],
      negated: true,
      source: '"construction workers"',
    });
    expect(clauses[3]).toEqual({ anyOf: [words(['labor']), words(['labour'])], negated: true, source: 'labor' });
  });

  it('treats a negated hyphenated word as a phrase', () => {
    expect(analyse('-e-mail').clauses).toEqual([{ anyOf: [words(['e', 'mail'], true)], negated: true, source: 'e-mail' }]);
  });

  it('is empty when nothing positive was typed', () => {
    expect(isEmptyQuery(analyse(''))).toBe(true);
    expect(isEmptyQuery(analyse('-qatar'))).toBe(true);
    expect(isEmptyQuery(analyse('AND OR NOT ('))).toBe(true);
    expect(isEmptyQuery(analyse('qatar'))).toBe(false);
  });
});

describe('analyseQuery: hostile text', () => {
  const hostile = [
    'x'.repeat(5000),
    'Nepal '.repeat(1000),
    '!@#$%^&*()',
    '""""',
    '"unbalanced',
    'AND OR NOT (',
    '"*"',
    '😀🇳🇵🔥',
    'nepal\u0000qatar\u0000',
    '-',
    '- - -',
    "'; DROP TABLE resources; --",
    '<script>alert(1)</script>',
    'title:(nepal OR qatar)^2 NEAR/3 "x',
    '\ud800\udfff\ud800',
  ];

  it.each(hostile.map((h) => [h.slice(0, 40), h]))('%s', (_label, text) => {
    const q = analyse(text);
    expect(q.clauses.length).toBeLessThanOrEqual(MAX_CLAUSES);
    for (const c of q.clauses) {
      expect(c.anyOf.length).toBeGreaterThan(0);
      for (const u of c.anyOf) {
        if (u.kind === 'words') {
          expect(u.words.length).toBeGreaterThan(0);
          for (const w of u.words) expect(w).toMatch(/^[\p{Ll}\p{Lo}\p{Lm}\p{N}]+$/u);
        }
      }
    }
  });

  it('drops everything that is not a word', () => {
    expect(analyse('"*"').clauses).toEqual([]);
    expect(analyse('!@#$%^&*()').clauses).toEqual([]);
    expect(analyse('nepal\u0000qatar').clauses.map((c) => c.source)).toEqual(['nepal', 'qatar']);
  });
});

describe('analyseQuery: operators and partial matches', () => {
  it('reads OR as one clause with the alternatives of both sides', () => {
    const q = analyse('remittances OR trafficking');
    expect(q.clauses).toHaveLength(1);
    expect(q.clauses[0].anyOf).toContainEqual(words(['remittances']));
    expect(tags(q.clauses[0])).toEqual(['themes:remittances', 'themes:trafficking']);
    expect(q.reading).toBe('remittances OR trafficking');
    expect(q.relaxable).toBeUndefined();
  });

  it('reads NOT as an excluding clause, with the tag of a name', () => {
    const q = analyse('nepal NOT qatar');
    expect(q.clauses.map((c) => [c.source, c.negated])).toEqual([
      ['nepal', false],
      ['qatar', true],
    ]);
    expect(tags(q.clauses[1])).toEqual(['countries:QAT']);
  });

  it('keeps a group of several clauses inside OR as one unit', () => {
    const [clause] = analyse('(nepali workers) OR qatar').clauses;
    const group = clause.anyOf.find((u) => u.kind === 'all');
    expect(group?.kind === 'all' && group.clauses.map((c) => c.source)).toEqual(['nepali', 'workers']);
    expect(tags(clause)).toEqual(['countries:QAT']);
  });

  it('recognises a name of several words inside a group', () => {
    const [clause] = analyse('nepal OR (south korea)').clauses;
    expect(tags(clause)).toEqual(['countries:NPL', 'countries:KOR']);
  });

  it('excludes a group as a whole', () => {
    const q = analyse('migration NOT (qatar OR oman)');
    expect(q.clauses[1]).toMatchObject({ negated: true, source: 'qatar OR oman' });
    expect(tags(q.clauses[1])).toEqual(['countries:QAT', 'countries:OMN']);
  });

  it('marks plain queries of two or more clauses as open to a partial match, not those with operators', () => {
    expect(analyse('remittances trafficking').relaxable).toBe(true);
    expect(analyse('remittances').relaxable).toBeUndefined();
    expect(analyse('remittances AND trafficking').relaxable).toBeUndefined();
    expect(analyse('remittances -trafficking').relaxable).toBeUndefined();
  });

  it('gives no proximity phrase when operators were used', () => {
    expect(analyse('domestic OR workers').proximityWords).toEqual([]);
  });
});

describe('analyseQuery: theme abbreviations, compounds and equivalent terms', () => {
  const aliasTexts = (q: string) => analyse(q).clauses[0].anyOf.flatMap((u) => (u.kind === 'words' && u.alias ? [u.words.join(' ')] : []));

  it.each([
    ['IDPs', 'internally displaced persons', []],
    ['internally displaced persons', 'idps', []],
    ['GBV', 'gender based violence', []],
    ['UASC', 'unaccompanied and separated children', []],
    ['anti-trafficking', 'counter trafficking', ['themes:trafficking']],
    ['counter trafficking', 'antitrafficking', ['themes:trafficking']],
    ['antitrafficking', 'anti trafficking', ['themes:trafficking']],
    ['OFWs', 'overseas filipino workers', []],
    ['labor rights', 'workers rights', ['themes:labour-rights']],
    ['labor trafficking', 'trafficking for forced labor', []],
  ])('%s also matches "%s" as text', (typed, other, tag) => {
    expect(aliasTexts(typed)).toContain(other);
    expect(tags(analyse(typed).clauses[0])).toEqual(tag);
  });

  it("brings a theme's records by its tag only for a name of the whole theme, not for a narrower subject it includes", () => {
    const themeTags = (q: string) => tags(analyse(q).clauses[0]);
    // The label, the first synonym, synonyms made of words of the label, names catalogues' crosswalks use, and their equivalents.
    for (const [q, theme] of [
      ['Refugees and displacement', 'refugees-displacement'],
      ['refugees', 'refugees-displacement'],
      ['displacement', 'refugees-displacement'],
      ['forced labour', 'forced-labour'],
      ['modern slavery', 'forced-labour'],
      ['recruitment fees', 'recruitment'],
      ['counter-trafficking', 'trafficking'],
      ['human trafficking', 'trafficking'],
      ['trafficking in persons', 'trafficking'],
    ]) {
      expect([q, themeTags(q)]).toEqual([q, [`themes:${theme}`]]);
    }
    // Narrower subjects: what says so, not every record of the broad theme.
    for (const q of ['statelessness', 'asylum seekers', 'brain drain', 'vocational training', 'floods', 'child labour', 'Global Compact for Migration']) {
      expect([q, themeTags(q)]).toEqual([q, []]);
    }
    expect(aliasTexts('statelessness')).toEqual(expect.arrayContaining(['stateless persons', 'stateless']));
  });

  it('does not widen an abbreviation to every synonym of its broad theme', () => {
    expect(aliasTexts('IDPs')).not.toContain('refugees');
    expect(aliasTexts('IDPs')).not.toContain('asylum');
  });
});

describe('analyseQuery: queries in the other UN languages', () => {
  const firstTags = (q: string) => analyse(q).clauses.flatMap(tags);
  const texts = (q: string) => analyse(q).clauses.map((c) => c.anyOf.flatMap((u) => (u.kind === 'words' ? [u.words.join(' ')] : [])));

  it.each([
    ['migrantes venezolanos', ['countries:VEN']],
    ['travailleurs migrants au Liban', ['countries:LBN']],
    ['трудовые мигранты Россия', ['countries:RUS']],
    ['мигранты в России', ['countries:RUS']],
    ['refugiados sirios en Turquía', ['countries:SYR', 'countries:TUR']],
    ['菲律宾 移民', ['countries:PHL']],
    ['العمال المهاجرين في لبنان', ['countries:LBN']],
  ])('%s names %j', (q, expected) => {
    expect(firstTags(q)).toEqual(expected);
  });

  it('matches the English forms of words typed in another language, and leaves out function words', () => {
    const [migrants, venezuela] = texts('migrantes venezolanos');
    expect(migrants).toEqual(expect.arrayContaining(['migrantes', 'migrant', 'migrants']));
    expect(venezuela).toContain('venezuela');
    expect(texts('travailleurs migrants au Liban')[0]).toEqual(expect.arrayContaining(['travailleurs', 'workers']));
    expect(analyse('travailleurs migrants au Liban').clauses.map((c) => c.source)).toEqual(['travailleurs', 'migrants', 'Liban']);
    expect(analyse('трудовые мигранты Россия').clauses[0].anyOf).toContainEqual(words(['labour']));
  });

  it('does not expand English words into other languages', () => {
    expect(texts('labor migration')).toEqual([['labor', 'labour'], ['migration']]);
  });

  it('does not require function words, unless they are all that was typed, quoted, or in capitals', () => {
    expect(analyse('migrant workers in Lebanon').clauses.map((c) => c.source)).toEqual(['migrant', 'workers', 'Lebanon']);
    expect(analyse('the').clauses.map((c) => c.source)).toEqual(['the']);
    expect(analyse('"workers in Lebanon"').clauses).toHaveLength(1);
    expect(analyse('IT workers').clauses.map((c) => c.source)).toEqual(['IT', 'workers']);
    expect(analyse('Bosnia and Herzegovina').clauses.map(tags)).toEqual([['countries:BIH']]);
  });

  it('never reads another language\'s name in record text', () => {
    expect(findTags(vocab, 'Le Liban et la Syrie').countries).toEqual([]);
    expect(findTags(vocab, 'Lebanon and Syria').countries.sort()).toEqual(['LBN', 'SYR']);
  });
});
