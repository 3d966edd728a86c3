/**
 * The embedded engine's MATCH expressions for what matches leave out the alternatives another one
 * already covers ("republic of the philippines" beside "philippines"): a real FTS5 table with the
 * engine's tokenizer must find exactly the same documents with and without them, for every name
 * and demonym of every country in the vocabulary. Scoring keeps them all, as Elasticsearch does.
 */
import Database from 'better-sqlite3';
import type { MatchUnit, QueryClause } from '../../src/search/analysed-query';
import { analyseQuery } from '../../src/search/query-analyser';
import { loadVocabulary } from '../../src/search/vocabulary/vocabulary';
import { clauseText, quote, scoringExpression } from '../../src/backends/sqlite/fts-query';
import { FTS_TOKENIZER } from '../../src/backends/sqlite/schema';

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

/** Every text alternative that counts without a tag, none left out: what the clause matched before. */
function everyAlternative(clause: QueryClause): string | undefined {
  const parts = clause.anyOf.filter((u): u is WordsUnit => u.kind === 'words' && !u.onlyWith).map(text);
  return parts.length === 0 ? undefined : `(${[...new Set(parts)].join(' OR ')})`;
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

  it('keep every alternative in a score: a document naming the long form ranks first, as on Elasticsearch', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE fts USING fts5(title, tokenize = '${FTS_TOKENIZER}')`);
    const insert = db.prepare('INSERT INTO fts (title) VALUES (?)');
    insert.run('Migrant workers from the Philippines abroad');
    insert.run('Migrant workers of the Republic of the Philippines abroad');
    const analysed = analyseQuery(vocab, 'Philippines');
    const order = db.prepare('SELECT title FROM fts WHERE fts MATCH ? ORDER BY bm25(fts)').pluck();
    expect(order.all(scoringExpression(analysed))[0]).toBe('Migrant workers of the Republic of the Philippines abroad');
    // What matches is the same either way.
    expect(order.all(clauseText(analysed.clauses[0]!))).toHaveLength(2);
    db.close();
  });

  it('keep a phrase when the other alternative is only its words in any order, or not one token', () => {
    const unordered = clauseOf(words(['migration', 'labour'], false), words(['labour', 'migration', 'policy'], true));
    expect(clauseText(unordered)).toBe('(("migration" AND "labour") OR "labour migration policy")');
    const hyphenated = clauseOf(words(['guinea-bissau'], false), words(['republic', 'of', 'guinea-bissau'], true));
    expect(clauseText(hyphenated)).toBe('("guinea-bissau" OR "republic of guinea-bissau")');
  });

  it('match the same documents as every alternative would, for every country name and demonym, on a real FTS5 table', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE fts USING fts5(title, tokenize = '${FTS_TOKENIZER}')`);
    const insert = db.prepare('INSERT INTO fts (title) VALUES (?)');
    // Each name alone, in a sentence, and cut short (its last word only), so that a dropped
    // alternative that matched something the kept ones do not would show.
    for (const country of vocab.countries) {
      for (const name of [country.name, ...country.altNames, ...country.demonyms]) {
        insert.run(name);
        insert.run(`A report on ${name} and its workers`);
        insert.run(name.split(' ').slice(-1)[0] ?? name);
      }
    }
    const ids = db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid').pluck();
    let pruned = 0;
    for (const country of vocab.countries) {
      for (const typed of [country.name, ...country.demonyms]) {
        const analysed = analyseQuery(vocab, typed);
        for (const clause of analysed.clauses) {
          const before = everyAlternative(clause);
          const after = clauseText(clause);
          if (before === undefined || after === undefined) continue;
          if (after.length < before.length) pruned++;
          expect({ typed, ids: ids.all(after) }).toEqual({ typed, ids: ids.all(before) });
        }
      }
    }
    // The vocabulary has long forms ("Republic of …", "the …"): some must have been left out.
    expect(pruned).toBeGreaterThan(20);
    db.close();
  });
});
