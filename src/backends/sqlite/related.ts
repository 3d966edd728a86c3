/**
 * Related publications on the embedded engine: the record's most distinctive words
 * (src/search/related.ts) and its countries and themes, any of them enough, ranked by bm25 with
 * the field weights, so rare shared words and tags count most. Kept apart from the engine so
 * either can change freely.
 *
 * FTS5 computes bm25 for every row a MATCH finds: a record's words and tags can be found in half
 * of a million records, and one record page took 150-300 ms. In a library larger than
 * `candidates`, the records scored are those that share one of its rarest words (taken rarest
 * first while what they match fits in `candidates` together), scored by bm25 of those words plus, for
 * each country and theme they share, what its token would add (as the search scores a tag:
 * generation-search.ts). When fewer records than asked share a rare word, the list is completed
 * with those that share most of its countries and themes, newest first.
 */
import type Database from 'better-sqlite3';
import type { TagField } from '../../search/analysed-query';
import { tagToken } from '../../search/fields';
import { relatedTerms } from '../../search/related';
import type { FacetName, ResourceDocument } from '../../search/types';
import { facetKey, type FacetIndex } from './facet-index';
import { quote } from './fts-query';
import type { Postings } from './postings';
import { tagBonus } from './relevance';
import { BM25_WEIGHTS } from './schema';

/** Records a related-records query scores at the most in a large library. */
export const RELATED_CANDIDATES = 20_000;

const TAGS: readonly { field: TagField; facet: FacetName }[] = [
  { field: 'countries', facet: 'country' },
  { field: 'themes', facet: 'theme' },
];

/**
 * The rarest of `words` whose matches fit in `budget` documents together (the rarest one at
 * least), taken in the order of `df` (the word list's counts, cheap to read) and sized by
 * `matches` (what the full-text index finds for the word: all its stemmed forms, so often more).
 */
export function rarestWithin(words: readonly string[], df: (word: string) => number, matches: (word: string) => number, budget: number): string[] {
  const byRarity = words.map((w) => [w, df(w)] as const).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const chosen: string[] = [];
  let total = 0;
  for (const [word] of byRarity) {
    const n = matches(word);
    if (chosen.length > 0 && total + n > budget) break;
    chosen.push(word);
    total += n;
  }
  return chosen;
}

export class RelatedReader {
  private readonly byId: Database.Statement;
  private readonly df: Database.Statement;
  private readonly ranked: Database.Statement;
  private readonly scored: Database.Statement;
  private readonly matches: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly facets: FacetIndex,
    private readonly postings: Postings,
    private readonly candidates = RELATED_CANDIDATES,
  ) {
    const weights = BM25_WEIGHTS.join(', ');
    this.byId = db.prepare('SELECT rowid FROM docs WHERE id = ?');
    this.df = db.prepare('SELECT df FROM words WHERE word = ?');
    this.ranked = db.prepare(`SELECT rowid FROM fts WHERE fts MATCH ? AND rowid != ? ORDER BY bm25(fts, ${weights}), rowid LIMIT ?`);
    this.scored = db.prepare(`SELECT rowid, bm25(fts, ${weights}) FROM fts WHERE fts MATCH ?`);
    this.matches = db.prepare('SELECT count(*) FROM fts WHERE fts MATCH ?');
  }

  /** Rowids of the records most like `doc`, best first, never its own. */
  related(doc: ResourceDocument, limit: number): number[] {
    if (limit <= 0) return [];
    const own = (this.byId.pluck().get(doc.id) as number | undefined) ?? -1;
    const df = (w: string) => (this.df.pluck().get(w) as number | undefined) ?? 0;
    const documents = this.facets.documents;
    const words = relatedTerms(doc, df, documents);
    if (documents > this.candidates && words.length > 0) {
      const bonus = this.tagBonuses(doc);
      const rare = rarestWithin(words, df, (w) => this.matches.pluck().get(quote(w)) as number, this.candidates);
      const found = this.fromRarestWords(rare, bonus, own, limit);
      return found.length >= limit ? found : [...found, ...this.sharingTags(bonus, new Set([own, ...found]), limit - found.length)];
    }
    const tags = TAGS.flatMap(({ field }) => (field === 'countries' ? doc.countries : doc.themes).map((v) => tagToken(field, v)));
    const terms = [...words.map(quote), ...tags.map((t) => `tags : ${quote(t)}`)];
    if (terms.length === 0) return [];
    return this.ranked.pluck().all(terms.join(' OR '), own, limit) as number[];
  }

  private fromRarestWords(rare: readonly string[], bonus: ReadonlyMap<number, number>, own: number, limit: number): number[] {
    const { offsets, values, present } = this.facets;
    const ranked: { rowid: number; score: number }[] = [];
    for (const [rowid, bm25] of this.scored.raw().all(rare.map(quote).join(' OR ')) as [number, number][]) {
      if (rowid === own || present[rowid] !== 1) continue;
      let score = -bm25;
      for (let i = offsets[rowid]!; i < offsets[rowid + 1]!; i++) score += bonus.get(values[i]!) ?? 0;
      ranked.push({ rowid, score });
    }
    return ranked
      .sort((a, b) => b.score - a.score || a.rowid - b.rowid)
      .slice(0, limit)
      .map((r) => r.rowid);
  }

  /**
   * The records that share most of the record's countries and themes (by what they add), newest
   * first among equals, none of `except`: one pass over the facet arrays, no full-text query.
   */
  private sharingTags(bonus: ReadonlyMap<number, number>, except: ReadonlySet<number>, limit: number): number[] {
    if (bonus.size === 0 || limit <= 0) return [];
    const { offsets, values, present, dateRank, size } = this.facets;
    const best: { rowid: number; score: number }[] = [];
    const better = (a: { rowid: number; score: number }, b: { rowid: number; score: number }) =>
      a.score - b.score || dateRank[a.rowid]! - dateRank[b.rowid]! || b.rowid - a.rowid;
    for (let rowid = 0; rowid < size; rowid++) {
      if (present[rowid] !== 1 || except.has(rowid)) continue;
      let score = 0;
      for (let i = offsets[rowid]!; i < offsets[rowid + 1]!; i++) score += bonus.get(values[i]!) ?? 0;
      if (score === 0) continue;
      const entry = { rowid, score };
      if (best.length === limit && better(entry, best[best.length - 1]!) <= 0) continue;
      best.push(entry);
      best.sort((a, b) => better(b, a));
      if (best.length > limit) best.pop();
    }
    return best.map((b) => b.rowid);
  }

  /** Value id of each of the record's countries and themes → what sharing it adds (as the search scores a tag). */
  private tagBonuses(doc: ResourceDocument): Map<number, number> {
    const bonus = new Map<number, number>();
    const documents = this.facets.documents;
    for (const { field, facet } of TAGS) {
      for (const value of field === 'countries' ? doc.countries : doc.themes) {
        const id = this.facets.valueId.get(facetKey(facet, value));
        if (id === undefined) continue;
        bonus.set(id, tagBonus(this.postings.offsets[id + 1]! - this.postings.offsets[id]!, documents));
      }
    }
    return bonus;
  }
}
