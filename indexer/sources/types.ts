/** What every source kind yields, and what a harvest hands it. */
import type { FieldDefaults, FieldMapping, SourceConfig } from './config';

/**
 * One item of a harvest, in the order the source delivers them.
 * - record: `raw` is in the project's record format (docs/record-format.md) with the source's
 *   mapping and defaults applied, so it goes through the same validation as a file record.
 * - line: a record still as an NDJSON line, with the mapping and defaults to apply once it is
 *   parsed (sources/line-record.ts): a large file's records are parsed where they are prepared,
 *   on the pipeline's worker threads, not in the thread that reads the file.
 * - deleted: the source says this record (by its id in the index) was withdrawn.
 * - error: one item could not be read (bad line, malformed entry); the harvest goes on.
 * - warning: something the run summary should show; `incomplete` means the source was not read
 *   to its end (e.g. the page limit was reached), so records it did not list must not be removed.
 * `location` says where the item was: a file path or the URL of the page it came from.
 */
export type SourceItem =
  | { kind: 'record'; position: number; raw: unknown; location?: string }
  | { kind: 'line'; position: number; text: string; mapping?: FieldMapping; defaults?: FieldDefaults; location?: string }
  | { kind: 'deleted'; id: string }
  | { kind: 'error'; position: number; error: string; location?: string }
  | { kind: 'warning'; message: string; incomplete?: boolean };

export interface HarvestContext {
  /**
   * Incremental runs: when this source was last harvested successfully (ISO date or date-time).
   * Sources that can ask for changes only (OAI-PMH `from`, an HTTP JSON `sinceParam`) do so;
   * the others deliver everything.
   */
  since?: string;
  /** Aborts requests in flight; the source then throws. */
  signal?: AbortSignal;
  /**
   * The caller takes `line` items (NDJSON records not parsed yet); sources that read NDJSON
   * files then leave the parsing to it. Without it every record comes parsed.
   */
  lines?: boolean;
}

export interface Source {
  readonly config: SourceConfig;
  /**
   * Throws when the source as a whole cannot be read (down, timing out, answering garbage); the
   * message starts with the source id and names the URL or file.
   */
  harvest(context: HarvestContext): AsyncIterable<SourceItem>;
}

/** Thrown when the run's AbortSignal fires; never retried, never counted as a source failure. */
export class HarvestCancelledError extends Error {
  constructor(message = 'the run was cancelled') {
    super(message);
    this.name = 'HarvestCancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HarvestCancelledError();
}
