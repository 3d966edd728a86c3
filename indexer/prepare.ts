/**
 * Raw record → what the ingest pipeline keeps of it: validation, normalisation and analysis with
 * the project's vocabulary (recordPreparer), and, when the index writer can take them, the
 * writer's own per-document encoding. The same code runs in the pipeline's thread or on worker
 * threads (prepare-pool.ts), so a record is prepared the same way wherever it is.
 */
import os from 'node:os';
import type { EncodedDocument } from '../src/search/ports';
import type { ResourceDocument } from '../src/search/types';
import { deriveRegions, findTags } from '../src/search/vocabulary/tagger';
import type { Vocabulary, VocabularyFiles } from '../src/search/vocabulary/vocabulary';
import { normaliseRecord } from './records/normalise';
import { toDocument } from './records/to-document';
import type { FieldDefaults, FieldMapping } from './sources/config';
import { duplicateKeys, type DuplicateReason } from './sources/dedupe';
import { recordOfLine } from './sources/line-record';

export type PreparedRecord =
  | { ok: true; document: ResourceDocument; unknownFields: string[]; warnings: string[] }
  | { ok: false; reason: string };

/** Raw record → document: validation, normalisation and analysis with the vocabulary. */
export type RecordPreparer = (raw: unknown, source: string) => PreparedRecord;

export function recordPreparer(vocab: Vocabulary): RecordPreparer {
  return (raw, source) => {
    const result = normaliseRecord(raw, vocab, source);
    if (!result.ok) return { ok: false, reason: result.reason };
    const document = toDocument(result.record, vocab, findTags, deriveRegions, (v, id) => v.isGrouping(id));
    return { ok: true, document, unknownFields: result.unknownFields, warnings: result.warnings };
  };
}

/**
 * recordPreparer's work on worker threads, beside the thread that reads the sources and writes
 * the index: each thread builds the same vocabulary from `vocabulary` (plain data).
 */
export interface ThreadedPreparer {
  /** How many; by default one per core, less the one an index writer that works in the run's own thread takes (EncodedWrites.inThisThread). */
  threads?: number;
  vocabulary: VocabularyFiles;
  /** The same preparation in the run's own thread, for the records read before the threads start. */
  prepare: RecordPreparer;
  /**
   * The threads start once a run has read this many records: they take a moment to start, which
   * a small run (the sample data, a feed's few new items) would only wait for.
   */
  startAfter?: number;
}

/** How a run prepares its records: in its own thread, or on worker threads. */
export type Preparer = RecordPreparer | ThreadedPreparer;

/**
 * Worker threads, as many as `configured` (CORRIDOR_INGEST_THREADS) says, or as the machine and
 * the index writer allow (ThreadedPreparer.threads); 0 means none: everything in the run's own thread.
 */
export function preparerFor(vocab: Vocabulary, configured?: number): Preparer {
  const prepare = recordPreparer(vocab);
  if (configured === 0) return prepare;
  return configured === undefined ? { vocabulary: vocab.files, prepare } : { threads: configured, vocabulary: vocab.files, prepare };
}

/**
 * The default number of preparation threads: one per core, less one when the writer works in
 * the run's own thread (the embedded engine: a thread per core beside it would leave it a share
 * of a core, and the build would wait on it); one at least.
 */
export function defaultPreparationThreads(writerInThisThread: boolean): number {
  return Math.max(1, os.availableParallelism() - (writerInThisThread ? 1 : 0));
}

/** The three kinds of tag the analysers add, as flags: which of them text analysis found. */
export const TAGGED = { countries: 1, regions: 2, themes: 4 } as const;

/** What the pipeline keeps of one prepared record. */
export type PreparedItem =
  | {
      ok: true;
      id: string;
      /** TAGGED flags. */
      tagged: number;
      unknownFields: string[];
      warnings: string[];
      /** duplicateKeys(), when the run compares records across sources. */
      keys?: { reason: DuplicateReason; key: string }[];
      /** The document for IndexWriter.write(), or, when the writer encodes, its encoding. */
      document?: ResourceDocument;
      encoded?: EncodedDocument;
    }
  | {
      ok: false;
      reason: string;
      /** The record's id, when it has a usable one: the rejection names the record. */
      recordId?: string;
    };

/** The mapping and defaults of a source whose records come as NDJSON lines (SourceItem `line`). */
export interface LineTransform {
  mapping?: FieldMapping;
  defaults?: FieldDefaults;
}

export interface PrepareOptions {
  /** Compute the record's duplicate keys. */
  keys: boolean;
  /** The index writer's encoder (EncodedWrites), when the document is to be encoded here. */
  encode?: (document: ResourceDocument) => EncodedDocument;
}

/** The id of a raw record when it has a usable one, so that a rejection can name the record. */
function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id).slice(0, 200);
  }
  return undefined;
}

/**
 * Prepares one record of `source`: a raw record, or (with `line`) the text of an NDJSON line to
 * parse, map and complete with the source's defaults first.
 */
export function prepareRecord(
  prepare: RecordPreparer,
  input: unknown,
  source: string,
  options: PrepareOptions,
  line?: LineTransform,
): PreparedItem {
  let raw = input;
  if (line !== undefined) {
    const parsed = recordOfLine({ text: input as string, mapping: line.mapping, defaults: line.defaults });
    if (!parsed.ok) return { ok: false, reason: parsed.error };
    raw = parsed.raw;
  }
  const prepared = prepare(raw, source);
  if (!prepared.ok) {
    const recordId = idOf(raw);
    return recordId === undefined ? { ok: false, reason: prepared.reason } : { ok: false, reason: prepared.reason, recordId };
  }
  const doc = prepared.document;
  // The run compares and carries over records by source: whatever the preparer was given.
  doc.source = source;
  const { tagging } = doc;
  const tagged =
    (tagging.countries.found.length > 0 ? TAGGED.countries : 0) |
    (tagging.regions.found.length > 0 ? TAGGED.regions : 0) |
    (tagging.themes.found.length > 0 ? TAGGED.themes : 0);
  const item: PreparedItem = { ok: true, id: doc.id, tagged, unknownFields: prepared.unknownFields, warnings: prepared.warnings };
  if (options.keys) item.keys = duplicateKeys(doc);
  if (options.encode) item.encoded = options.encode(doc);
  else item.document = doc;
  return item;
}

/** A chunk of records of one source (see RecordChunk in prepare-pool.ts), in order. */
export function prepareChunk(
  prepare: RecordPreparer,
  chunk: { source: string; records: unknown[]; lines?: Uint8Array; transform?: LineTransform; keys: boolean },
  encode?: PrepareOptions['encode'],
): PreparedItem[] {
  const options: PrepareOptions = { keys: chunk.keys, encode };
  const { records, lines, source } = chunk;
  const items: PreparedItem[] = new Array<PreparedItem>(records.length);
  for (let i = 0; i < records.length; i++) {
    items[i] = prepareRecord(prepare, records[i], source, options, lines?.[i] === 1 ? (chunk.transform ?? {}) : undefined);
  }
  return items;
}
