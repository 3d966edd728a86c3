/**
 * The embedded engine's completion index: word-start keys of every title and publisher in a
 * B-tree, so completing a typed prefix is one range scan (O(log n + k)) however large the
 * library. Matching and order are the core's (src/search/completion.ts); this module only stores
 * and finds candidates. Kept apart from the engine and the writer so either can change freely.
 */
import type Database from 'better-sqlite3';
import { completionKeys, orderPublishers, orderTitles, type TitleCandidate } from '../../search/completion';
import type { CompletionRequest, Completions } from '../../search/ports';
import type { FacetName, ResourceDocument } from '../../search/types';
import { facetKey, type FacetIndex } from './facet-index';

/** Kinds of key: a title from its first word, a title from a later word, a publisher from any word. */
const TITLE_START = 0;
const TITLE_INSIDE = 1;
const PUBLISHER = 2;

export const COMPLETION_DDL = `
-- Completion keys (src/backends/sqlite/completion-index.ts): ref is a docs rowid for titles, a
-- facet_dictionary value_id for publishers.
CREATE TABLE completions (kind INTEGER NOT NULL, key TEXT NOT NULL, ref INTEGER NOT NULL, PRIMARY KEY (kind, key, ref)) WITHOUT ROWID;
`;

/** Candidates read per kind of key before ordering: enough for any page of suggestions. */
const CANDIDATES = 200;
/** Above every code point: the end of a prefix's key range. */
const KEY_RANGE_END = '\u{10ffff}';

function titleRows(doc: ResourceDocument): [kind: number, key: string][] {
  return completionKeys(doc.title).map((key, i) => [i === 0 ? TITLE_START : TITLE_INSIDE, key]);
}

/** Keeps a generation's completion keys in step with its documents (used by the index writer). */
export class CompletionWriter {
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT OR IGNORE INTO completions (kind, key, ref) VALUES (?, ?, ?)');
    this.remove = db.prepare('DELETE FROM completions WHERE kind = ? AND key = ? AND ref = ?');
  }

  addDocument(rowid: number | bigint, doc: ResourceDocument): void {
    for (const [kind, key] of titleRows(doc)) this.insert.run(kind, key, rowid);
  }

  removeDocument(rowid: number, doc: ResourceDocument): void {
    for (const [kind, key] of titleRows(doc)) this.remove.run(kind, key, rowid);
  }

  /** A new publisher value; its count comes from the facet index, so one no document has any more is never offered. */
  addPublisher(valueId: number, name: string): void {
    completionKeys(name).forEach((key) => this.insert.run(PUBLISHER, key, valueId));
  }
}

/**
 * The title keys of a build, gathered apart and added to the completions table in key order when
 * the build commits. Inserted as documents come, they land all over a B-tree that soon outgrows
 * the page cache (a dozen keys per title, ten million at a million records), and the build spends
 * most of its time there; sorted once, the table is written from start to end. They wait in a
 * table of an attached database file of their own (`schema`), one row per document: the build's
 * file does not keep the pages they took, and removing a document's keys is one delete.
 */
export class StagedTitleKeys {
  private readonly put: Database.Statement;
  private readonly drop: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly schema: string,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${schema}.title_keys (ref INTEGER PRIMARY KEY, keys TEXT NOT NULL)`);
    this.put = db.prepare(`INSERT OR REPLACE INTO ${schema}.title_keys (ref, keys) VALUES (?, ?)`);
    this.drop = db.prepare(`DELETE FROM ${schema}.title_keys WHERE ref = ?`);
  }

  /** `keys`: the title's completionKeys() as a JSON array. */
  add(rowid: number | bigint, keys: string): void {
    this.put.run(rowid, keys);
  }

  remove(rowid: number): void {
    this.drop.run(rowid);
  }

  /** Adds every staged key to the completions table, in the table's order. */
  commit(): void {
    this.db.exec(
      `INSERT OR IGNORE INTO completions (kind, key, ref)
         SELECT CASE WHEN k.key = 0 THEN ${TITLE_START} ELSE ${TITLE_INSIDE} END, k.value, t.ref
         FROM ${this.schema}.title_keys AS t, json_each(t.keys) AS k
         ORDER BY 1, 2, 3`,
    );
  }
}

/** titleRows() of a document as StagedTitleKeys takes them. */
export function titleKeysJson(doc: Pick<ResourceDocument, 'title'>): string {
  return JSON.stringify(completionKeys(doc.title));
}

/**
 * Completes prefixes over one open generation. A generation of an earlier layout (before 6) has
 * no completion keys: it is served all the same, completing no titles or publishers until the
 * next full build.
 */
export class CompletionReader {
  private readonly range: Database.Statement | undefined;
  private readonly idOf: Database.Statement;
  private readonly titleOf: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly facets: FacetIndex,
    /** Per value id, how many documents of the generation have it (every document, no filter). */
    private readonly valueCounts: () => Uint32Array,
  ) {
    const hasKeys = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'completions'").get() !== undefined;
    this.range = hasKeys ? db.prepare('SELECT ref FROM completions WHERE kind = ? AND key >= ? AND key < ? ORDER BY key LIMIT ?') : undefined;
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

  private titles(prefix: string, limit: number): Completions['titles'] {
    const rows = [...new Set([...this.refs(TITLE_START, prefix), ...this.refs(TITLE_INSIDE, prefix)])].filter((r) => this.facets.present[r] === 1);
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
