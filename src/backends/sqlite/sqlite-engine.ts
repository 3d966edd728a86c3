/**
 * SearchEngine over the live SQLite generation: opening generations as they are committed, and
 * reading documents. A search's logic is in generation-search.ts (matching in match-eval.ts over
 * FTS5 and the in-memory postings, filtering and counting in filter-count.ts, ranking in
 * relevance.ts), response shaping in read-response.ts.
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
import { Bitset } from './bitset';
import { facetKey, type FacetIndex } from './facet-index';
import { openFacetArrays, type GenerationArrays } from './facet-arrays';
import { scoringExpression } from './fts-query';
import { GenerationSearch } from './generation-search';
import { indexDir, readPointer, type GenerationInfo } from './generations';
import { countedValues, readFacets, readResponse, readYears } from './read-response';
import { fromStored } from '../../search/stored-document';
import { FTS_COLUMNS, OLDEST_SERVED_LAYOUT, SCHEMA_VERSION } from './schema';
import type { AnalysedQuery } from '../../search/analysed-query';
import { closestWords } from './suggest';
import { literalStart, MAX_PREFIX_WORDS, MAX_WILDCARD_WORDS, withIndexedWords } from './prefix-words';
import { hitSnippets, hitTitle, noCounts, resultWindow } from '../../search/result-rules';

const SNIPPET_TOKENS = 32;
/** How often another process's commit is noticed, at most. */
const POINTER_CHECK_MS = 1000;

interface Generation {
  info: GenerationInfo;
  db: Database.Database;
  facets: FacetIndex;
  search: GenerationSearch;
  completions: CompletionReader;
  related: RelatedReader;
  stmt: {
    bodyByRow: Database.Statement;
    bodyById: Database.Statement;
    changesPage: Database.Statement;
    changesCount: Database.Statement;
    changesOrder: Database.Statement;
    highlight: Database.Statement;
    wordsFrom: Database.Statement;
    wordsBeginning: Database.Statement;
    wordsShaped: Database.Statement;
    wordCount: Database.Statement;
  };
}

export interface SqliteEngineOptions {
  /** Load the arrays into shared memory, for search workers to use (search-pool.ts). */
  shared?: boolean;
  /** Called with each generation opened, after the switch. */
  onGeneration?: (info: GenerationInfo, arrays: GenerationArrays) => void;
}

export class SqliteSearchEngine implements SearchEngine {
  readonly name = 'sqlite';
  private live: Generation | undefined;
  private lastCheck = 0;
  /** A search worker's engine is told which generation to use instead of reading the pointer. */
  private pinned = false;
  /** The live generation was built by a version too old to be searched (see OLDEST_SERVED_LAYOUT). */
  private outdated?: { generation: string; reason: string };
  private readonly label: FacetLabeller;

  /** `labels` name the facet values: equal counts are listed by label. */
  constructor(
    private readonly dataDir: string,
    labels: TagLabels,
    private readonly options: SqliteEngineOptions = {},
  ) {
    this.label = facetLabeller(labels);
  }

  /** Switches to the generation named by the pointer file if it changed. */
  refresh(force = false): Generation | undefined {
    if (this.pinned) return this.live;
    const now = Date.now();
    if (!force && now - this.lastCheck < POINTER_CHECK_MS) return this.live;
    this.lastCheck = now;
    const pointer = readPointer(this.dataDir);
    if (!pointer) return this.live;
    if (this.live && this.live.info.generation === pointer.current.generation) return this.live;
    if (this.outdated?.generation === pointer.current.generation) return undefined;
    const reason = outdatedLayout(this.dataDir, pointer.current);
    if (reason) {
      this.outdated = { generation: pointer.current.generation, reason };
      this.switchOff();
      return undefined;
    }
    this.outdated = undefined;
    const arrays = openGenerationArrays(this.dataDir, pointer.current, this.options.shared === true);
    this.switchTo(openGeneration(this.dataDir, pointer.current, arrays));
    this.options.onGeneration?.(pointer.current, arrays);
    return this.live;
  }

  /** Uses this generation, with arrays another thread loaded (a search worker's engine). */
  useGeneration(info: GenerationInfo, arrays: GenerationArrays): void {
    this.pinned = true;
    if (this.live?.info.generation === info.generation) return;
    this.switchTo(openGeneration(this.dataDir, info, arrays));
  }

  private switchOff(): void {
    this.live?.db.close();
    this.live = undefined;
  }

  private switchTo(next: Generation): void {
    const old = this.live;
    this.live = next;
    // better-sqlite3 is synchronous: no statement of this process is running on `old` now.
    old?.db.close();
  }

  async search({ query, analysed: typed, facets: counted }: EngineSearchRequest): Promise<SearchResultPage> {
    const started = performance.now();
    const gen = this.refresh();
    if (!gen) {
      return readResponse({
        query,
        total: 0,
        hits: [],
        ...(counted === false ? noCounts() : { facets: readFacets(emptyFacets, new Uint32Array(0), query, this.label), years: { years: [], undated: 0 } }),
        tookMs: 0,
      });
    }
    const { offset, size } = resultWindow(query);
    const limit = offset + size;
    // A typed beginning ("migra*") matches the words that begin so, but is scored as FTS5's prefix
    // query alone: a rare word it brings would otherwise outrank the common ones by its idf.
    const expanded = withIndexedPrefixWords(gen, typed);
    const matched = counted === false ? gen.search.matchOnly(query, expanded) : gen.search.match(query, expanded);
    const ranked = gen.search.order(query, typed, matched, limit);
    const highlight = scoringExpression(expanded);
    const hits = ranked.slice(offset).map(([rowid, score]) => this.hit(gen, rowid, highlight, score));
    const { filtered } = matched;

    return readResponse({
      query,
      total: filtered.matched.count(),
      hits,
      ...(counted === false ? noCounts() : { facets: readFacets(gen.facets, filtered.valueCounts, query, this.label), years: readYears(filtered.yearCounts) }),
      tookMs: Math.round((performance.now() - started) * 100) / 100,
    });
  }

  /** The match and the filters alone: no ranking, highlights or facet counts. */
  async count({ query, analysed }: EngineSearchRequest): Promise<number> {
    const gen = this.refresh();
    return gen ? gen.search.count(query, withIndexedPrefixWords(gen, analysed)) : 0;
  }

  async facetValues(request: FacetValuesRequest): Promise<FacetValuesPage> {
    const { query, facet } = request;
    const gen = this.refresh();
    let counted: { value: string; count: number }[] = [];
    if (gen) {
      // The counts of one filter pass are disjunctive: this facet's own selection is left out of them.
      const { filtered } = gen.search.match(query, withIndexedPrefixWords(gen, request.analysed));
      counted = countedValues(gen.facets, filtered.valueCounts)[FACET_NAMES.indexOf(facet)] ?? [];
    }
    return facetValuesPage({ ...request, counted, selected: query.filters[facet], label: this.label });
  }

  private hit(gen: Generation, rowid: number, highlightQuery: string | undefined, score: number): SearchHit {
    const row = gen.stmt.bodyByRow.raw().get(rowid) as [string, string];
    const document = withDatestamp(row[0], row[1]);
    const marked = highlightQuery ? (gen.stmt.highlight.raw().get(highlightQuery, rowid) as [string, string] | undefined) : undefined;
    const title = hitTitle(marked?.[0], document.title);
    return { id: document.id, score, document, title, snippets: hitSnippets(marked?.[1] ? [marked[1]] : [], document.abstract) };
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
    const status: IndexStatus = {
      engine: this.name,
      documents: gen?.facets.documents ?? 0,
      builtAt: gen?.info.builtAt,
      runId: gen?.info.runId,
      generation: gen?.info.generation,
    };
    if (this.outdated) status.outdated = this.outdated.reason;
    return status;
  }

  async health(): Promise<EngineHealth> {
    try {
      const gen = this.refresh(true);
      if (!gen && this.outdated) return { ok: false, engine: this.name, detail: this.outdated.reason };
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

/** Why a generation cannot be searched by this version, or undefined when it can. */
function outdatedLayout(dataDir: string, info: GenerationInfo): string | undefined {
  const db = new Database(path.join(indexDir(dataDir), info.file), { readonly: true, fileMustExist: true });
  try {
    const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
    if (Number(version ?? 0) >= OLDEST_SERVED_LAYOUT) return undefined;
    return (
      `the index ${info.generation} was built by an older version of Corridor (layout ${version ?? 'unknown'}; ` +
      `this version searches layouts ${OLDEST_SERVED_LAYOUT} to ${SCHEMA_VERSION}): rebuild it with a full run ` +
      '(npm run corridor -- run-sources, or "Reindex now" in the staff console)'
    );
  } finally {
    db.close();
  }
}

/** The in-memory arrays of a generation (read from it, or computed when it was built without them). */
function openGenerationArrays(dataDir: string, info: GenerationInfo, shared: boolean): GenerationArrays {
  const db = new Database(path.join(indexDir(dataDir), info.file), { readonly: true, fileMustExist: true });
  try {
    return openFacetArrays(db, { shared });
  } finally {
    db.close();
  }
}

function openGeneration(dataDir: string, info: GenerationInfo, arrays: GenerationArrays): Generation {
  const db = new Database(path.join(indexDir(dataDir), info.file), { readonly: true, fileMustExist: true });
  const titleCol = FTS_COLUMNS.indexOf('title');
  const abstractCol = FTS_COLUMNS.indexOf('abstract');
  const { facets, postings } = arrays;
  const present = new Bitset(facets.size);
  for (let r = 0; r < facets.size; r++) if (facets.present[r]) present.add(r);
  const search = new GenerationSearch({ db, facets, postings, present });
  const generation: Generation = {
    info,
    db,
    facets,
    search,
    // Counts over every document: the landing page's, computed once per generation.
    completions: new CompletionReader(db, facets, () => search.globalCounts().valueCounts),
    related: new RelatedReader(db, facets, postings),
    stmt: {
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
      wordsBeginning: db.prepare(`SELECT word FROM words WHERE word >= ? AND word < ? || char(1114111) ORDER BY df DESC, word LIMIT ${MAX_PREFIX_WORDS}`),
      // GLOB reads '?' and '*' as the pattern means them; its other special characters ('[', ']')
      // cannot occur in a pattern (only letters and digits besides the wildcards).
      wordsShaped: db.prepare(
        `SELECT word FROM words WHERE word >= ? AND word < ? || char(1114111) AND word GLOB ? ORDER BY df DESC, word LIMIT ${MAX_WILDCARD_WORDS}`,
      ),
      wordCount: db.prepare('SELECT df FROM words WHERE word = ?'),
    },
  };
  return generation;
}

/** The query with the words of the generation that begin as each typed beginning ("migra*") does, or have a wildcard's shape ("wom?n"). */
function withIndexedPrefixWords(gen: Generation, analysed: AnalysedQuery): AnalysedQuery {
  return withIndexedWords(analysed, {
    beginning: (prefix) => gen.stmt.wordsBeginning.pluck().all(prefix, prefix) as string[],
    shaped: (pattern) => {
      const start = literalStart(pattern);
      return gen.stmt.wordsShaped.pluck().all(start, start, pattern) as string[];
    },
  });
}
