/**
 * The ports every search engine adapter implements. The core (SearchService, indexer, web)
 * only ever talks to these interfaces.
 */
import type { AnalysedQuery } from './analysed-query';
import type { TagLabels } from './fields';
import type { FacetName, FacetValueOrder, FacetValuesPage, IndexStatus, ResourceDocument, SearchQuery, SearchResultPage } from './types';

export interface EngineSearchRequest {
  query: SearchQuery;
  analysed: AnalysedQuery;
  /**
   * false: the page of hits and the total only, every facet and the years empty (noCounts()), for
   * what lists records and nothing else (exports, feeds, the way through the results): counting
   * every facet over every match is most of a broad search's cost.
   */
  facets?: false;
}

/**
 * Every value of one facet for a search, not only the top ones a result lists: for the facet's
 * own page (A–Z or by count) and for finding a value by typing part of its name.
 */
export interface FacetValuesRequest extends EngineSearchRequest {
  facet: FacetName;
  /** Only values whose label has a word starting with this (src/search/facet-values.ts prefixMatcher). */
  prefix?: string;
  order: FacetValueOrder;
  offset: number;
  limit: number;
}

/**
 * Engines consider at most this many distinct values of a facet per facetValues() request (more
 * than any vocabulary has; a free-text facet with more is narrowed with a prefix).
 */
export const MAX_FACET_VALUES = 10_000;

/**
 * A page of the live generation in datestamp order: what OAI-PMH lists and the sitemap walks.
 * Ordered by (changed, id), so a keyset cursor (`after`) continues exactly where a page ended.
 */
export interface ChangeListRequest {
  /** Inclusive datestamp bounds (YYYY-MM-DDThh:mm:ssZ). */
  from?: string;
  until?: string;
  /** Only documents with one of these values of this facet (OAI-PMH sets). */
  facet?: { name: FacetName; values: string[] };
  /** Start after this document of the order. */
  after?: { changed: string; id: string };
  /** Skip this many documents first (the sitemap's later files); not with `after`. */
  offset?: number;
  limit: number;
}

export interface ChangeListPage {
  /** Every one has its datestamp. */
  documents: (ResourceDocument & { changed: string })[];
  /** How many documents match from/until/facet in all (ignoring after, offset and limit). */
  total: number;
  /** The generation listed; absent before the first build. */
  generation?: string;
}

/**
 * What a visitor is typing in a search box, to complete (SearchEngine.complete). Matching and
 * order are defined in src/search/completion.ts.
 */
export interface CompletionRequest {
  /** The typed text as a completion key (completionKey): folded words joined by spaces. */
  prefix: string;
  /** At most this many titles, and this many publishers. */
  titles: number;
  publishers: number;
  /** Facet values whose document counts are wanted (the vocabulary names the core matched). */
  counts: { facet: FacetName; values: string[] }[];
}

export interface Completions {
  /** Documents whose title has a run of words starting with the prefix, in orderTitles' order. */
  titles: { id: string; title: string; year?: number }[];
  /** Publisher facet values with a run of words starting with the prefix, most documents first. */
  publishers: { value: string; count: number }[];
  /** For each requested facet, value → documents of the live index that have it (0 when none). */
  counts: Partial<Record<FacetName, Record<string, number>>>;
}

/** "Related publications" of one record (SearchEngine.related). */
export interface RelatedRequest {
  /** The record, as get() returned it (the engine need not read it again). */
  document: ResourceDocument;
  limit: number;
}

export interface EngineHealth {
  ok: boolean;
  engine: string;
  detail: string;
}

export interface SearchEngine {
  readonly name: string;
  search(request: EngineSearchRequest): Promise<SearchResultPage>;
  /**
   * How many documents search() would report as its total for this request (page and size do
   * not matter), and nothing else: no hits, no facets, no highlights. What no-results help needs
   * (the total without a filter, with most of the words, with a corrected spelling), at a fraction
   * of a search's cost. 0 before the first build.
   */
  count(request: EngineSearchRequest): Promise<number>;
  /**
   * The facet's values with the search's disjunctive counts (every filter applies except the
   * facet's own selection, as in search()), those matching the prefix, in the requested order
   * (ties by label, as search() lists them), one page of them. Selected values that match the
   * prefix are always included (count 0 when no document has them).
   */
  facetValues(request: FacetValuesRequest): Promise<FacetValuesPage>;
  /** The document with its datestamp (`changed`), or null. */
  get(id: string): Promise<ResourceDocument | null>;
  /** Documents in datestamp order (see ChangeListRequest). */
  listChanges(request: ChangeListRequest): Promise<ChangeListPage>;
  /** Titles and publishers that complete a typed prefix, and counts of facet values (suggestions as you type). */
  complete(request: CompletionRequest): Promise<Completions>;
  /**
   * Records most like the given one, best first, never the record itself: sharing its countries
   * and themes and its most distinctive words, by the engine's own means. A record that shares
   * nothing with it is never listed.
   */
  related(request: RelatedRequest): Promise<ResourceDocument[]>;
  /** Most frequent indexed words close to `word` (for "did you mean"), best first. */
  suggestWords(word: string, limit: number): Promise<string[]>;
  /** In how many documents the (folded, unstemmed) word occurs in a title, abstract or keyword. */
  wordFrequency(word: string): Promise<number>;
  status(): Promise<IndexStatus>;
  health(): Promise<EngineHealth>;
  /**
   * Every document of the live generation, in no particular order, read from one consistent
   * snapshot (for `corridor export`). Optional: without it the export pages through search().
   */
  exportDocuments?(): AsyncIterable<ResourceDocument>;
  close(): Promise<void>;
}

export interface CommitOptions {
  runId: string;
  /** Refuse to commit when the new index has fewer than (1 - maxDropShare) × live documents. */
  maxDropShare: number;
}

export interface CommitResult {
  documents: number;
  generation: string;
  previousDocuments: number;
}

/** Thrown by commit() when the new generation would be empty or shrink too much. */
export class CommitRefusedError extends Error {
  constructor(
    message: string,
    /** Documents in the live index, which stays as it was. */
    readonly liveDocuments?: number,
  ) {
    super(message);
    this.name = 'CommitRefusedError';
  }
}

/**
 * Thrown by an engine that cannot answer now (cluster down, unreachable or too slow): the web
 * layer answers 503 with a plain explanation (src/web/errors.ts), not 500. The message says why, for
 * logs and the health check; it is never shown to visitors.
 */
export class EngineUnavailableError extends Error {
  /**
   * The engine refuses this deployment (wrong credentials, missing privileges): it will not pass
   * by itself, an operator has to act, so it is logged as an error rather than a warning.
   */
  readonly misconfiguration: boolean;

  constructor(message: string, options?: { cause?: unknown; misconfiguration?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineUnavailableError';
    this.misconfiguration = options?.misconfiguration === true;
  }
}

/**
 * Builds a complete new generation of the index beside the live one. Nothing is visible to
 * searches until commit() swaps it in atomically; abort() (or a crash) leaves the live index as it was.
 *
 * The `live*` methods and carryOver() read the generation that was live when the writer was
 * opened; a run compares it with what its sources deliver (a full run removes what a source no
 * longer lists, and keeps the records of a source that failed by carrying them over).
 */
export interface IndexWriter {
  /** Adds or replaces documents (same id: the last one wins). */
  write(documents: ResourceDocument[]): Promise<void>;
  /**
   * Optional: write() in two halves, so that the per-document half (serialising, hashing,
   * preparing the full text) can run on other threads, beside validation and analysis, and the
   * thread that writes the index only writes. See EncodedWrites.
   */
  readonly encoded?: EncodedWrites;
  /** Removes documents by id from the generation being built; returns how many were there. */
  delete(ids: string[]): Promise<number>;
  /** Ids of the live generation's documents whose `source` is this id ("": those without a source). */
  liveIds(source: string): AsyncIterable<string>;
  /** Source id → how many documents of the live generation have it ("": those without a source). */
  liveSources(): Promise<Map<string, number>>;
  /**
   * Copies the live generation's documents of `source` into the new one as they are, except
   * those whose id is in `except` and those already written (a record delivered this time wins).
   * Returns how many were copied.
   */
  carryOver(source: string, except: ReadonlySet<string>): Promise<number>;
  commit(options: CommitOptions): Promise<CommitResult>;
  abort(): Promise<void>;
}

/**
 * A document as one engine's writer stores it, made by a pure function that may run on any
 * thread. `payload` is plain data (it crosses threads by structured clone); only the writer that
 * described the encoder reads it.
 */
export interface EncodedDocument {
  id: string;
  payload: unknown;
}

/** The encoder's signature: `labels` are the vocabulary's labels (the same the writer was opened with). */
export type EncodeDocument = (document: ResourceDocument, labels: TagLabels) => EncodedDocument;

export interface EncodedWrites {
  /**
   * A module (path for require) exporting `encodeDocument: EncodeDocument`. A path, not a
   * function: a worker thread loads the module itself.
   */
  module: string;
  /**
   * True when writing takes the CPU of the thread that calls write() (an embedded engine), not a
   * server's: the run then prepares records on one thread fewer than the machine has cores.
   */
  inThisThread: boolean;
  /** Same as write() (same id: the last one wins), for documents that module encoded. */
  write(documents: EncodedDocument[]): Promise<void>;
}

export interface WriterOptions {
  /** 'full' starts from an empty generation; 'incremental' starts from a copy of the live one. */
  mode: 'full' | 'incremental';
  /**
   * The run building the generation, recorded with it. A build in progress holds the ingest
   * lease: opening a writer removes every other unfinished build whose run does not hold the
   * lease now (it belongs to a run that died), at once rather than after a delay.
   */
  runId?: string;
}

/** Lifecycle of index generations: open writers, roll back, clean up. */
export interface IndexAdmin {
  openWriter(options: WriterOptions): Promise<IndexWriter>;
  /** Makes the previous generation live again. Returns false when there is none. */
  rollback(): Promise<boolean>;
}
