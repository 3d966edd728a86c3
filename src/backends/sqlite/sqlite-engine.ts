/**
 * SearchEngine over the live SQLite generation. I/O only: query translation is in fts-query.ts,
 * filtering and counting in facet-index.ts, ordering in ordering.ts, response shaping in
 * read-response.ts.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  ChangeListPage,
  ChangeListRequest,
  CompletionRequest,
  Completions,
  EngineHealth,
  EngineSearchRequest,
  FacetValuesRequest,
  RelatedRequest,
  SearchEngine,
} from '../../search/ports';
import { facetLabeller, facetValuesPage, type FacetLabeller } from '../../search/facet-values';
import type { TagLabels } from '../../search/fields';
import {
  FACET_NAMES,
  hasFilters,
  type FacetFilters,
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type FacetValuesPage,
  type IndexStatus,
  type ResourceDocument,
  type SearchHit,
  type SearchResultPage,
} from '../../search/types';
import { CompletionReader } from './completion-index';
import { RelatedReader } from './related';
import { allRowids, facetKey, filterAndCount, loadFacetIndex, type FacetIndex, type FilterResult, type Selection } from './facet-index';
import { translateQuery, type FtsQuery } from './fts-query';
import { indexDir, readPointer, type GenerationInfo } from './generations';
import { firstByDate, orderHits } from './ordering';
import { countedValues, readFacets, readResponse, readYears } from './read-response';
import { fromStored } from '../../search/stored-document';
import { BM25_WEIGHTS, FTS_COLUMNS } from './schema';
import { closestWords } from './suggest';

/** Weight applied to bm25 (negative: lower is better) when the typed words occur as a phrase. */
const PHRASE_FACTOR = 2;
const SNIPPET_TOKENS = 32;
/** A missing clause of a partial match weighs more than any bm25 difference: most clauses first. */
const MISSING_CLAUSE_KEY = 1e6;
const PLAIN_SNIPPET_CHARS = 280;
/** How often another process's commit is noticed, at most. */
const POINTER_CHECK_MS = 1000;

interface Generation {
  info: GenerationInfo;
  db: Database.Database;
  facets: FacetIndex;
  all: Uint32Array;
  browseAll?: FilterResult;
  completions: CompletionReader;
  related: RelatedReader;
  stmt: {
    matchScored: Database.Statement;
    topScored: Database.Statement;
    topScoredWithPhrase: Database.Statement;
    matchIds: Database.Statement;
    bodyByRow: Database.Statement;
    bodyById: Database.Statement;
    changesPage: Database.Statement;
    changesCount: Database.Statement;
    changesOrder: Database.Statement;
    highlight: Database.Statement;
    wordsFrom: Database.Statement;
    wordCount: Database.Statement;
  };
}

export class SqliteSearchEngine implements SearchEngine {
  readonly name = 'sqlite';
  private live: Generation | undefined;
  private lastCheck = 0;
  private readonly label: FacetLabeller;

  /** `labels` name the facet values: equal counts are listed by label. */
  constructor(
    private readonly dataDir: string,
    labels: TagLabels,
  ) {
    this.label = facetLabeller(labels);
  }

  /** Switches to the generation named by the pointer file if it changed. */
  refresh(force = false): Generation | undefined {
    const now = Date.now();
    if (!force && now - this.lastCheck < POINTER_CHECK_MS) return this.live;
    this.lastCheck = now;
    const pointer = readPointer(this.dataDir);
    if (!pointer) return this.live;
    if (this.live && this.live.info.generation === pointer.current.generation) return this.live;
    const next = openGeneration(this.dataDir, pointer.current);
    const old = this.live;
    this.live = next;
    // better-sqlite3 is synchronous: no statement of this process is running on `old` now.
    old?.db.close();
    return next;
  }

  async search({ query, analysed }: EngineSearchRequest): Promise<SearchResultPage> {
    const started = performance.now();
    const gen = this.refresh();
    if (!gen) {
      return readResponse({
        query,
        total: 0,
        hits: [],
        facets: readFacets(emptyFacets, new Uint32Array(0), query, this.label),
        years: { years: [], undated: 0 },
        tookMs: 0,
      });
    }
    const fts = translateQuery(analysed);

    const filtering = hasFilters(query);
    const offset = (query.page - 1) * query.size;
    const limit = offset + query.size;
    const relevance = fts.match !== undefined && query.sort === 'relevance';

    let candidates: Uint32Array;
    let scores: Float64Array | undefined;
    if (fts.match && fts.clauses && fts.minimumMatch !== undefined) {
      ({ candidates, scores } = this.partialMatches(gen, fts));
    } else if (fts.match && relevance && filtering) {
      // One pass gives both the match set and its scores.
      const rows = gen.stmt.matchScored.raw().all(fts.match) as [number, number][];
      const phrase = this.phraseSet(gen, fts.proximity);
      candidates = new Uint32Array(rows.length);
      scores = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        candidates[i] = rows[i][0];
        scores[i] = phrase?.has(rows[i][0]) ? rows[i][1] * PHRASE_FACTOR : rows[i][1];
      }
    } else {
      candidates = this.candidates(gen, fts);
    }
    const filtered = this.filterAndCount(gen, fts, candidates, query);

    let ranked: [rowid: number, score: number][];
    if (!relevance) {
      const order = query.sort === 'oldest' ? 'oldest' : 'newest';
      ranked = firstByDate(gen.facets, filtered.passes, order, limit).map((r) => [r, 0]);
    } else if (!filtering && !scores) {
      ranked = this.topUnfiltered(gen, fts, limit);
    } else {
      const byPosition = scores;
      const scoreOf = byPosition ? (i: number) => byPosition[filtered.positions[i]] : this.textScores(gen, fts, filtered.matched);
      // The reported score is bm25 alone, without the missing-clause part of a partial match's key.
      const bm25 = (key: number): number => key - Math.round(key / MISSING_CLAUSE_KEY) * MISSING_CLAUSE_KEY;
      ranked = Array.from(orderHits(filtered.matched, scoreOf, limit), (i) => [filtered.matched[i], bm25(scoreOf(i))]);
    }
    const hits = ranked.slice(offset).map(([rowid, score]) => this.hit(gen, rowid, fts.highlight, score));

    return readResponse({
      query,
      total: filtered.matched.length,
      hits,
      facets: readFacets(gen.facets, filtered.valueCounts, query, this.label),
      years: readYears(filtered.yearCounts),
      tookMs: Math.round((performance.now() - started) * 100) / 100,
    });
  }

  async facetValues(request: FacetValuesRequest): Promise<FacetValuesPage> {
    const { query, facet } = request;
    const gen = this.refresh();
    let counted: { value: string; count: number }[] = [];
    if (gen) {
      const fts = translateQuery(request.analysed);
      // The counts of one filter pass are disjunctive: this facet's own selection is left out of them.
      const filtered = this.filterAndCount(gen, fts, this.candidates(gen, fts), query);
      counted = countedValues(gen.facets, filtered.valueCounts)[FACET_NAMES.indexOf(facet)] ?? [];
    }
    return facetValuesPage({ ...request, counted, selected: query.filters[facet], label: this.label });
  }

  /** The documents the words match (all of them when there are none), in no particular order. */
  private candidates(gen: Generation, fts: FtsQuery): Uint32Array {
    if (fts.match) return Uint32Array.from(gen.stmt.matchIds.pluck().all(fts.match) as number[]);
    if (fts.exclude) {
      const excluded = new Set(gen.stmt.matchIds.pluck().all(fts.exclude) as number[]);
      return gen.all.filter((r) => !excluded.has(r));
    }
    return gen.all;
  }

  private filterAndCount(gen: Generation, fts: FtsQuery, candidates: Uint32Array, query: EngineSearchRequest['query']): FilterResult {
    // Browsing everything is the landing page: its counts are fixed for a generation.
    const browsingAll = !fts.match && !fts.exclude && !hasFilters(query);
    return browsingAll
      ? (gen.browseAll ??= filterAndCount(gen.facets, candidates, query))
      : filterAndCount(gen.facets, candidates, query);
  }

  private phraseSet(gen: Generation, proximity: string | undefined): Set<number> | undefined {
    return proximity ? new Set(gen.stmt.matchIds.pluck().all(proximity) as number[]) : undefined;
  }

  /**
   * Without filters the page is the engine's own top-k: bm25 and the sort run inside SQLite
   * instead of materialising a score per match in JavaScript. Text and tag matches are scored
   * alike (a tag is a token of the tags column), so a record about the place competes with one
   * that spells its name the query's way.
   */
  private topUnfiltered(gen: Generation, fts: FtsQuery, limit: number): [number, number][] {
    const scored = fts.match as string;
    return (fts.proximity
      ? gen.stmt.topScoredWithPhrase.raw().all(fts.proximity, scored, limit)
      : gen.stmt.topScored.raw().all(scored, limit)) as [number, number][];
  }

  /** bm25 by position in `matched`. */
  private textScores(gen: Generation, fts: FtsQuery, matched: Uint32Array): (i: number) => number {
    const phrase = this.phraseSet(gen, fts.proximity);
    const byRow = new Map<number, number>();
    for (const [rowid, score] of gen.stmt.matchScored.raw().all(fts.match) as [number, number][]) {
      byRow.set(rowid, phrase?.has(rowid) ? score * PHRASE_FACTOR : score);
    }
    return (i) => byRow.get(matched[i]) ?? 0;
  }

  /**
   * "Most of the words": documents with at least `minimumMatch` of the clauses, each scored by
   * how many clauses it misses (first) and bm25 (then), in one key.
   */
  private partialMatches(gen: Generation, fts: FtsQuery): { candidates: Uint32Array; scores: Float64Array } {
    const counts = new Map<number, number>();
    for (const clause of fts.clauses ?? []) {
      for (const rowid of gen.stmt.matchIds.pluck().all(clause) as number[]) counts.set(rowid, (counts.get(rowid) ?? 0) + 1);
    }
    const total = fts.clauses?.length ?? 0;
    const phrase = this.phraseSet(gen, fts.proximity);
    const rows: [number, number][] = [];
    for (const [rowid, score] of gen.stmt.matchScored.raw().all(fts.match) as [number, number][]) {
      const count = counts.get(rowid) ?? 0;
      if (count < (fts.minimumMatch ?? total)) continue;
      rows.push([rowid, (total - count) * MISSING_CLAUSE_KEY + (phrase?.has(rowid) ? score * PHRASE_FACTOR : score)]);
    }
    return { candidates: Uint32Array.from(rows, (r) => r[0]), scores: Float64Array.from(rows, (r) => r[1]) };
  }

  private hit(gen: Generation, rowid: number, highlightQuery: string | undefined, score: number): SearchHit {
    const row = gen.stmt.bodyByRow.raw().get(rowid) as [string, string];
    const document = withDatestamp(row[0], row[1]);
    let title = document.title;
    let snippets: string[] = document.abstract ? [plainSnippet(document.abstract)] : [];
    if (highlightQuery) {
      const row = gen.stmt.highlight.raw().get(highlightQuery, rowid) as [string, string] | undefined;
      if (row) {
        title = row[0];
        if (row[1]) snippets = [row[1]];
      }
    }
    return { id: document.id, score: -score, document, title, snippets };
  }

  async get(id: string): Promise<ResourceDocument | null> {
    const gen = this.refresh();
    if (!gen) return null;
    const row = gen.stmt.bodyById.raw().get(id) as [string, string] | undefined;
    return row ? withDatestamp(row[0], row[1]) : null;
  }

  async listChanges(request: ChangeListRequest): Promise<ChangeListPage> {
    const gen = this.refresh();
    if (!gen) return { documents: [], total: 0 };
    const range = {
      from: request.from ?? '',
      // Datestamps are ASCII and fixed-width, so '~' sorts after every one of them.
      until: request.until ?? '~',
      afterChanged: request.after?.changed ?? '',
      afterId: request.after?.id ?? '',
    };
    if (!request.facet) {
      const rows = gen.stmt.changesPage.raw().all({ ...range, limit: request.limit, offset: request.offset ?? 0 }) as [string, string][];
      const total = (gen.stmt.changesCount.pluck().get(range) as number) ?? 0;
      return { documents: rows.map(([body, changed]) => withDatestamp(body, changed)), total, generation: gen.info.generation };
    }
    // A set: the facet filter comes from the in-memory facet index, over the (changed, id) order.
    const wanted = new Set(
      request.facet.values
        .map((v) => gen.facets.valueId.get(facetKey(request.facet!.name, v)))
        .filter((id): id is number => id !== undefined),
    );
    const { offsets, values } = gen.facets;
    const inSet = (rowid: number) => {
      for (let i = offsets[rowid]; i < offsets[rowid + 1]; i++) if (wanted.has(values[i])) return true;
      return false;
    };
    const picked: number[] = [];
    let total = 0;
    let skip = request.offset ?? 0;
    for (const [rowid, changed, id] of gen.stmt.changesOrder.raw().iterate({ from: range.from, until: range.until }) as Iterable<
      [number, string, string]
    >) {
      if (!inSet(rowid)) continue;
      total++;
      const afterCursor = request.after === undefined || changed > range.afterChanged || (changed === range.afterChanged && id > range.afterId);
      if (!afterCursor || picked.length >= request.limit) continue;
      if (skip > 0) skip--;
      else picked.push(rowid);
    }
    const documents = picked.map((rowid) => {
      const [body, changed] = gen.stmt.bodyByRow.raw().get(rowid) as [string, string];
      return withDatestamp(body, changed);
    });
    return { documents, total, generation: gen.info.generation };
  }

  async complete(request: CompletionRequest): Promise<Completions> {
    const gen = this.refresh();
    if (!gen) return { titles: [], publishers: [], counts: {} };
    return gen.completions.complete(request);
  }

  async related(request: RelatedRequest): Promise<ResourceDocument[]> {
    const gen = this.refresh();
    if (!gen) return [];
    return gen.related.related(request.document, request.limit).map((rowid) => {
      const [body, changed] = gen.stmt.bodyByRow.raw().get(rowid) as [string, string];
      return withDatestamp(body, changed);
    });
  }

  async suggestWords(word: string, limit: number): Promise<string[]> {
    const gen = this.refresh();
    if (!gen || word.length < 3) return [];
    const candidates = gen.stmt.wordsFrom.raw().all(word[0], String.fromCharCode(word.charCodeAt(0) + 1)) as [string, number][];
    return closestWords(word, candidates, limit);
  }

  async wordFrequency(word: string): Promise<number> {
    const gen = this.refresh();
    return gen ? ((gen.stmt.wordCount.pluck().get(word) as number | undefined) ?? 0) : 0;
  }

  async status(): Promise<IndexStatus> {
    // Always the pointer as it is now: the ingest process that committed a moment ago, and the
    // run history reconciling a run with the live generation, must not see the one before.
    const gen = this.refresh(true);
    return {
      engine: this.name,
      documents: gen?.facets.documents ?? 0,
      builtAt: gen?.info.builtAt,
      runId: gen?.info.runId,
      generation: gen?.info.generation,
    };
  }

  async health(): Promise<EngineHealth> {
    try {
      const gen = this.refresh(true);
      if (!gen) return { ok: true, engine: this.name, detail: 'no index has been built yet' };
      gen.db.prepare('SELECT 1').get();
      return { ok: true, engine: this.name, detail: `${gen.facets.documents} documents in ${gen.info.generation}` };
    } catch (err) {
      return { ok: false, engine: this.name, detail: `index cannot be read: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    this.live?.db.close();
    this.live = undefined;
  }
}

/** No filter at all: the browse-everything selection. */
const NO_FILTERS: Selection = { filters: Object.fromEntries(FACET_NAMES.map((f) => [f, []])) as unknown as FacetFilters };

const emptyFacets: FacetIndex = {
  size: 0,
  present: new Uint8Array(0),
  documents: 0,
  year: new Uint16Array(0),
  dateRank: new Uint32Array(0),
  byDate: new Uint32Array(0),
  datedCount: 0,
  offsets: new Uint32Array(1),
  values: new Uint32Array(0),
  valueFacet: new Uint8Array(0),
  valueName: [],
  valueId: new Map(),
};


function withDatestamp(body: string, changed: string): ResourceDocument & { changed: string } {
  return { ...fromStored(JSON.parse(body)), changed };
}

function plainSnippet(text: string): string {
  if (text.length <= PLAIN_SNIPPET_CHARS) return text;
  const cut = text.lastIndexOf(' ', PLAIN_SNIPPET_CHARS);
  return `${text.slice(0, cut > 0 ? cut : PLAIN_SNIPPET_CHARS)}…`;
}

function openGeneration(dataDir: string, info: GenerationInfo): Generation {
  const db = new Database(path.join(indexDir(dataDir), info.file), { readonly: true, fileMustExist: true });
  const weights = BM25_WEIGHTS.join(', ');
  const titleCol = FTS_COLUMNS.indexOf('title');
  const abstractCol = FTS_COLUMNS.indexOf('abstract');
  const facets = loadFacetIndex(db);
  const all = allRowids(facets);
  const generation: Generation = {
    info,
    db,
    facets,
    all,
    // Counts over every document: the landing page's, computed once per generation.
    completions: new CompletionReader(db, facets, () => (generation.browseAll ??= filterAndCount(facets, all, NO_FILTERS)).valueCounts),
    related: new RelatedReader(db, () => facets.documents),
    stmt: {
      matchScored: db.prepare(`SELECT rowid, bm25(fts, ${weights}) FROM fts WHERE fts MATCH ?`),
      topScored: db.prepare(
        `SELECT rowid, bm25(fts, ${weights}) AS score FROM fts WHERE fts MATCH ? ORDER BY score, rowid LIMIT ?`,
      ),
      // The phrase subquery is uncorrelated, so SQLite evaluates it once per statement.
      topScoredWithPhrase: db.prepare(
        `SELECT rowid, bm25(fts, ${weights}) * (CASE WHEN rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)
                THEN ${PHRASE_FACTOR}.0 ELSE 1.0 END) AS score
         FROM fts WHERE fts MATCH ? ORDER BY score, rowid LIMIT ?`,
      ),
      matchIds: db.prepare('SELECT rowid FROM fts WHERE fts MATCH ?'),
      bodyByRow: db.prepare('SELECT body, changed FROM docs WHERE rowid = ?'),
      bodyById: db.prepare('SELECT body, changed FROM docs WHERE id = ?'),
      // (changed, id) order over the docs_changed index; ids compare as SQLite compares text (bytes).
      changesPage: db.prepare(
        `SELECT body, changed FROM docs
         WHERE changed >= :from AND changed <= :until
           AND (changed > :afterChanged OR (changed = :afterChanged AND id > :afterId))
         ORDER BY changed, id LIMIT :limit OFFSET :offset`,
      ),
      changesCount: db.prepare('SELECT count(*) FROM docs WHERE changed >= :from AND changed <= :until'),
      changesOrder: db.prepare('SELECT rowid, changed, id FROM docs WHERE changed >= :from AND changed <= :until ORDER BY changed, id'),
      highlight: db.prepare(
        `SELECT highlight(fts, ${titleCol}, '${HIGHLIGHT_START}', '${HIGHLIGHT_END}'),
                snippet(fts, ${abstractCol}, '${HIGHLIGHT_START}', '${HIGHLIGHT_END}', '…', ${SNIPPET_TOKENS})
         FROM fts WHERE fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
      ),
      wordsFrom: db.prepare('SELECT word, df FROM words WHERE word >= ? AND word < ?'),
      wordCount: db.prepare('SELECT df FROM words WHERE word = ?'),
    },
  };
  return generation;
}
