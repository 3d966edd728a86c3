/**
 * The embedded engine's completion index. A title completes from its start through a B-tree of
 * one key per title (its folded words), so the completions visitors want most, titles that begin
 * with what they type, are one range scan (O(log n + k)) however large the library; from a word
 * inside it through a full-text table of the same folded words, with a phrase-prefix query.
 * Publishers complete from any word through the B-tree (a key per word start: they are few).
 * Matching and order are the core's (src/search/completion.ts); this module only stores and finds
 * candidates. Kept apart from the engine and the writer so either can change freely.
 *
 * Layouts 6 and older kept a B-tree key for every word start of every title: ten million keys at a
 * million records, which took more of a build than all the rest of its commit. Those generations
 * are still served (their inside keys are read as before) until the next full build.
 */
import type Database from 'better-sqlite3';
import { completionKey, completionKeys, MAX_COMPLETION_KEY, orderPublishers, orderTitles, type TitleCandidate } from '../../search/completion';
import type { CompletionRequest, Completions } from '../../search/ports';
import type { FacetName, ResourceDocument } from '../../search/types';
import { facetKey, type FacetIndex } from './facet-index';
import { quote } from './fts-query';

/** Kinds of key: a title from its first word, a title from a later word (layouts up to 6), a publisher from any word. */
const TITLE_START = 0;
const TITLE_INSIDE = 1;
const PUBLISHER = 2;

/** The full-text table of titles' folded words (from layout 7). */
export const TITLE_WORDS = 'title_words';

export const COMPLETION_DDL = `
-- Completion keys (src/backends/sqlite/completion-index.ts): ref is a docs rowid for titles, a
-- facet_dictionary value_id for publishers.
CREATE TABLE completions (kind INTEGER NOT NULL, key TEXT NOT NULL, ref INTEGER NOT NULL, PRIMARY KEY (kind, key, ref)) WITHOUT ROWID;
-- Each title's folded words (completionKey), rowid = docs rowid; contentless: only its index is kept.
-- The words are folded already, and split only where the core splits them (see vocabulary/text.ts).
-- Prefix indexes of one and two letters: a phrase that ends in a short unfinished word ("world
-- migration r") would otherwise merge the lists of every word that starts so (50 ms at a million
-- titles, 3 ms with them).
CREATE VIRTUAL TABLE ${TITLE_WORDS} USING fts5(key, content = '', contentless_delete = 1, prefix = '1 2', tokenize = 'unicode61 remove_diacritics 0');
`;

/** Candidates read per kind of key before ordering: enough for any page of suggestions. */
const CANDIDATES = 200;
/** Above every code point: the end of a prefix's key range. */
const KEY_RANGE_END = '\u{10ffff}';

/** The B-tree key a title completes from its start with: its folded words, cut to MAX_COMPLETION_KEY. */
function titleStartKey(titleKey: string): string {
  return titleKey.slice(0, MAX_COMPLETION_KEY);
}

/** The full-text query for titles with a run of words that starts with the typed words (a completion key). */
function phrasePrefixQuery(prefix: string): string {
  return `${quote(prefix)} *`;
}

/**
 * Keeps a generation's completion keys in step with its documents (used by the index writer).
 * A title's start key waits in a table of an attached database file of its own (`staging`), one
 * row per document, and is added to the B-tree in key order when the build commits: inserted as
 * documents come, keys land all over a B-tree that soon outgrows the page cache. The build's file
 * does not keep the pages the staging took, and removing a document's key is one delete.
 */
export class CompletionWriter {
  private readonly insert: Database.Statement;
  private readonly removeKey: Database.Statement;
  private readonly putWords: Database.Statement;
  private readonly dropWords: Database.Statement;
  private readonly stage: Database.Statement;
  private readonly unstage: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly staging: string,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${staging}.title_keys (ref INTEGER PRIMARY KEY, key TEXT NOT NULL)`);
    this.insert = db.prepare('INSERT OR IGNORE INTO completions (kind, key, ref) VALUES (?, ?, ?)');
    this.removeKey = db.prepare('DELETE FROM completions WHERE kind = ? AND key = ? AND ref = ?');
    this.putWords = db.prepare(`INSERT INTO ${TITLE_WORDS} (rowid, key) VALUES (?, ?)`);
    this.dropWords = db.prepare(`DELETE FROM ${TITLE_WORDS} WHERE rowid = ?`);
    this.stage = db.prepare(`INSERT OR REPLACE INTO ${staging}.title_keys (ref, key) VALUES (?, ?)`);
    this.unstage = db.prepare(`DELETE FROM ${staging}.title_keys WHERE ref = ?`);
  }

  /** `titleKey`: completionKey() of the document's title. */
  addTitle(rowid: number | bigint, titleKey: string): void {
    this.putWords.run(rowid, titleKey);
    this.stage.run(rowid, titleStartKey(titleKey));
  }

  /** Takes out a stored document's title, staged in this build or committed in the generation it started from. */
  removeTitle(rowid: number, doc: Pick<ResourceDocument, 'title'>): void {
    this.dropWords.run(rowid);
    this.unstage.run(rowid);
    this.removeKey.run(TITLE_START, titleStartKey(completionKey(doc.title)), rowid);
  }

  /** A new publisher value; its count comes from the facet index, so one no document has any more is never offered. */
  addPublisher(valueId: number, name: string): void {
    completionKeys(name).forEach((key) => this.insert.run(PUBLISHER, key, valueId));
  }

  /** Adds every staged start key to the B-tree, in its order. */
  commit(): void {
    this.db.exec(`INSERT OR IGNORE INTO completions (kind, key, ref) SELECT ${TITLE_START}, key, ref FROM ${this.staging}.title_keys ORDER BY 2, 3`);
  }
}

/**
 * Completes prefixes over one open generation. A generation of an earlier layout (before 6) has
 * no completion keys: it is served all the same, completing no titles or publishers until the
 * next full build.
 */
export class CompletionReader {
  private readonly range: Database.Statement | undefined;
  /** Titles with a run of words that starts with the prefix (layout 7 on; older ones keep inside keys). */
  private readonly phrase: Database.Statement | undefined;
  private readonly idOf: Database.Statement;
  private readonly titleOf: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly facets: FacetIndex,
    /** Per value id, how many documents of the generation have it (every document, no filter). */
    private readonly valueCounts: () => Uint32Array,
  ) {
    const has = (name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    this.range = has('completions') ? db.prepare('SELECT ref FROM completions WHERE kind = ? AND key >= ? AND key < ? ORDER BY key LIMIT ?') : undefined;
    // Newest rows first: of many titles with the words inside, those of the latest runs.
    this.phrase = has(TITLE_WORDS) ? db.prepare(`SELECT rowid FROM ${TITLE_WORDS} WHERE ${TITLE_WORDS} MATCH ? ORDER BY rowid DESC LIMIT ?`) : undefined;
    this.idOf = db.prepare('SELECT id FROM docs WHERE rowid = ?');
    this.titleOf = db.prepare("SELECT json_extract(body, '$.title') FROM docs WHERE rowid = ?");
  }

  complete(request: CompletionRequest): Completions {
    const counts = this.valueCounts();
    return {
      titles: request.prefix === '' || request.titles <= 0 ? [] : this.titles(request.prefix, request.titles),
      publishers: request.prefix === '' || request.publishers <= 0 ? [] : this.publishers(request.prefix, request.publishers, counts),
      counts: this.counts(request.counts, counts),
    };
  }

  private refs(kind: number, prefix: string): number[] {
    if (!this.range) return [];
    return this.range.pluck().all(kind, prefix, prefix + KEY_RANGE_END, CANDIDATES) as number[];
  }

  private insideRefs(prefix: string): number[] {
    if (this.phrase) return this.phrase.pluck().all(phrasePrefixQuery(prefix), CANDIDATES) as number[];
    return this.refs(TITLE_INSIDE, prefix);
  }

  private present(rowids: Iterable<number>): number[] {
    return [...rowids].filter((r) => this.facets.present[r] === 1);
  }

  private titles(prefix: string, limit: number): Completions['titles'] {
    const starts = this.present(this.refs(TITLE_START, prefix));
    // Titles that start with the words come first (orderTitles): with enough of them, those with
    // the words inside could not make the list.
    const rows = starts.length >= limit ? starts : this.present(new Set([...starts, ...this.insideRefs(prefix)]));
    // Ordered by the core's rule, which needs each candidate's title (a few hundred at most).
    const candidates: (TitleCandidate & { rowid: number })[] = rows.map((rowid) => {
      const year = this.facets.year[rowid] || undefined;
      return { rowid, id: this.idOf.pluck().get(rowid) as string, title: this.titleOf.pluck().get(rowid) as string, year };
    });
    return orderTitles(candidates, prefix, limit).map(({ id, title, year }) => (year === undefined ? { id, title } : { id, title, year }));
  }

  private publishers(prefix: string, limit: number, counts: Uint32Array): Completions['publishers'] {
    const ids = new Set(this.refs(PUBLISHER, prefix));
    const candidates = [...ids].map((id) => ({ value: this.facets.valueName[id] ?? '', count: counts[id] ?? 0 }));
    return orderPublishers(candidates, prefix, limit);
  }

  private counts(wanted: CompletionRequest['counts'], counts: Uint32Array): Completions['counts'] {
    const out: Partial<Record<FacetName, Record<string, number>>> = {};
    for (const { facet, values } of wanted) {
      const byValue = (out[facet] ??= {});
      for (const value of values) {
        const id = this.facets.valueId.get(facetKey(facet, value));
        byValue[value] = id === undefined ? 0 : (counts[id] ?? 0);
      }
    }
    return out;
  }
}
