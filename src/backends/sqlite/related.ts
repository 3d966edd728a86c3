/**
 * Related publications on the embedded engine: one FTS5 query of the record's most distinctive
 * words (src/search/related.ts) and the tag tokens of its countries and themes, any of them
 * enough, ranked by bm25 with the field weights, so rare shared words and tags count most.
 * Kept apart from the engine so either can change freely.
 */
import type Database from 'better-sqlite3';
import { tagToken } from '../../search/fields';
import { relatedTerms } from '../../search/related';
import type { ResourceDocument } from '../../search/types';
import { BM25_WEIGHTS } from './schema';

export class RelatedReader {
  private readonly byId: Database.Statement;
  private readonly df: Database.Statement;
  private readonly ranked: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly documents: () => number,
  ) {
    this.byId = db.prepare('SELECT rowid FROM docs WHERE id = ?');
    this.df = db.prepare('SELECT df FROM words WHERE word = ?');
    this.ranked = db.prepare(
      `SELECT rowid FROM fts WHERE fts MATCH ? AND rowid != ? ORDER BY bm25(fts, ${BM25_WEIGHTS.join(', ')}), rowid LIMIT ?`,
    );
  }

  /** Rowids of the records most like `doc`, best first, never its own. */
  related(doc: ResourceDocument, limit: number): number[] {
    if (limit <= 0) return [];
    const own = (this.byId.pluck().get(doc.id) as number | undefined) ?? -1;
    const words = relatedTerms(doc, (w) => (this.df.pluck().get(w) as number | undefined) ?? 0, this.documents());
    const tags = [...doc.countries.map((c) => tagToken('countries', c)), ...doc.themes.map((t) => tagToken('themes', t))];
    // Every term is a quoted FTS5 string (words are folded letters and digits, tags alphanumeric).
    const terms = [...words.map((w) => `"${w}"`), ...tags.map((t) => `tags : "${t}"`)];
    if (terms.length === 0) return [];
    return this.ranked.pluck().all(terms.join(' OR '), own, limit) as number[];
  }
}
