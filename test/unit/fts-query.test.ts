/**
 * The embedded engine's MATCH expressions leave out the alternatives another one already covers
 * ("republic of the philippines" beside "philippines"): a real FTS5 table with the engine's
 * tokenizer must find exactly the same documents with and without them, for every name of every
 * country in the vocabulary.
 */
import Database from 'better-sqlite3';
import type { MatchUnit, QueryClause } from '../../src/search/analysed-query';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { tagToken } from '../../src/search/fields';
import { booleanExpression, clauseText, quote } from '../../src/backends/sqlite/fts-query';

const vocab = loadVocabulary();

type WordsUnit = Extract<MatchUnit, { kind: 'words' }>;

function words(list: string[], phrase: boolean): WordsUnit {
  return { kind: 'words', words: list, phrase };
}

function clauseOf(...anyOf: WordsUnit[]): QueryClause {
  return { anyOf, negated: false, source: anyOf[0]?.words.join(' ') ?? '' };
}

function text(u: WordsUnit): string {
  return u.phrase || u.words.length === 1 ? quote(u.words.join(' ')) : `(${u.words.map(quote).join(' AND ')})`;
}

const tag = (field: Parameters<typeof tagToken>[0], value: string): string => `tags : ${quote(tagToken(field, value))}`;

/** Every text alternative, none left out: what the clause's text matched before. */
function everyAlternative(clause: QueryClause): string | undefined {
  const parts = clause.anyOf.filter((u): u is WordsUnit => u.kind === 'words').map(text);
  return parts.length === 0 ? undefined : `(${[...new Set(parts)].join(' OR ')})`;
}

/** Every alternative with its tags and conditions, none left out: what the boolean form matched before. */
function everyUnit(clause: QueryClause): string {
  const parts = clause.anyOf.map((u) => {
    if (u.kind === 'tag') return tag(u.field, u.value);
    if (u.kind === 'all') throw new Error('a country name has no groups');
    return u.onlyWith ? `(${text(u)} AND ${tag(u.onlyWith.field, u.onlyWith.value)})` : text(u);
  });
  return `(${[...new Set(parts)].join(' OR ')})`;
}

describe('FTS5 expressions of a clause', () => {
  it('leave out a phrase that contains another alternative, and keep the rest', () => {
    const clause = clauseOf(
      words(['philippines'], false),
      words(['republic', 'of', 'the', 'philippines'], true),
      words(['the', 'philippines'], true),
      words(['filipino'], false),
      words(['labour', 'migration'], false),
    );
    expect(clauseText(clause)).toBe('("philippines" OR "filipino" OR ("labour" AND "migration"))');
  });

  it('keep a phrase when the other alternative is only its words in any order, or not one token', () => {
    const unordered = clauseOf(words(['migration', 'labour'], false), words(['labour', 'migration', 'policy'], true));
    expect(clauseText(unordered)).toBe('(("migration" AND "labour") OR "labour migration policy")');
    const hyphenated = clauseOf(words(['guinea-bissau'], false), words(['republic', 'of', 'guinea-bissau'], true));
    expect(clauseText(hyphenated)).toBe('("guinea-bissau" OR "republic of guinea-bissau")');
  });

  it('match the same documents as every alternative would, for every country name and demonym, on a real FTS5 table', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE fts USING fts5(title, tags, tokenize = 'porter unicode61 remove_diacritics 2')");
    const insert = db.prepare('INSERT INTO fts (title, tags) VALUES (?, ?)');
    // Each name alone (with and without its country's tag), in a sentence, and cut short (its
    // last word only), so that a dropped alternative that matched something the kept ones do not
    // would show.
    for (const country of vocab.countries) {
      for (const name of [country.name, ...country.altNames, ...country.demonyms]) {
        insert.run(name, '');
        insert.run(name, tagToken('countries', country.code));
        insert.run(`A report on ${name} and its workers`, '');
        insert.run(name.split(' ').slice(-1)[0] ?? name, '');
      }
    }
    const ids = db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid').pluck();
    let pruned = 0;
    for (const country of vocab.countries) {
      for (const typed of [country.name, ...country.demonyms]) {
        const analysed = analyseQuery(vocab, typed);
        for (const clause of analysed.clauses) {
          const before = everyAlternative(clause);
          const after = clauseText(clause, true);
          if (before === undefined || after === undefined) continue;
          if (after.length < before.length) pruned++;
          expect({ typed, ids: ids.all(after) }).toEqual({ typed, ids: ids.all(before) });
          // The whole clause with its tags and conditions, as a query of several clauses uses it.
          const whole = booleanExpression({ ...analysed, clauses: [clause] });
          expect({ typed, ids: ids.all(whole) }).toEqual({ typed, ids: ids.all(everyUnit(clause)) });
        }
      }
    }
    // The vocabulary has long forms ("Republic of …", "the …"): some must have been left out.
    expect(pruned).toBeGreaterThan(20);
    db.close();
  });
});
