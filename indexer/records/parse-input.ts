/**
 * Reads record files (NDJSON, JSON, CSV/TSV, optionally gzipped) into a stream of raw records,
 * each with its source and position so that a rejection can say where the record was. Parsing
 * problems of one line or row become error items; they never end the stream early, except a CSV
 * quoting error the parser cannot recover from (marked `fatal`).
 *
 * NDJSON and CSV are streamed: memory stays flat however many records a file holds. A JSON
 * array has to be parsed whole; use NDJSON for large inputs.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parse as createCsvParser, type CsvError, type InfoRecord } from 'csv-parse';

export type InputFormat = 'ndjson' | 'json' | 'csv' | 'tsv';

export interface InputRecord {
  kind: 'record';
  /** The file path (or the name the caller gave the input). */
  source: string;
  /**
   * NDJSON: line number. CSV/TSV: line number of the record's first line, the header being
   * line 1. JSON: index in the array + 1.
   */
  position: number;
  raw: unknown;
}

export interface InputError {
  kind: 'error';
  source: string;
  /** As for InputRecord; 0 when the problem concerns the whole input (e.g. a JSON syntax error). */
  position: number;
  error: string;
  /** The input could not be read past this point. */
  fatal?: boolean;
}

export type InputItem = InputRecord | InputError;

export interface ReadInputOptions {
  /** Overrides detection from the file extension. */
  format?: InputFormat;
  /** Reported as `source` instead of the path. */
  source?: string;
}

const EXTENSIONS: Record<string, InputFormat> = {
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  json: 'json',
  csv: 'csv',
  tsv: 'tsv',
};

/** Format from the file name ("x.ndjson", "x.csv.gz" …); undefined for anything else. */
export function detectFormat(path: string): InputFormat | undefined {
  const parts = basename(path).toLowerCase().split('.');
  if (parts.length > 1 && parts[parts.length - 1] === 'gz') parts.pop();
  return parts.length > 1 ? EXTENSIONS[parts[parts.length - 1]!] : undefined;
}

/** Throws only when the file cannot be opened or read, or its type is unknown. */
export async function* readInputFile(path: string, options: ReadInputOptions = {}): AsyncGenerator<InputItem> {
  const format = options.format ?? detectFormat(path);
  if (format === undefined) {
    throw new Error(`${path}: unknown input type (expected .ndjson, .jsonl, .json, .csv or .tsv, optionally .gz)`);
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = path.toLowerCase().endsWith('.gz') ? file.pipe(createGunzip()) : file;
  // pipe() does not forward read errors; without this a missing file would hang the gunzip side.
  if (input !== file) file.on('error', (err) => input.destroy(err));
  try {
    yield* readInputStream(input, format, options.source ?? path);
  } finally {
    file.destroy();
    if (input !== file) input.destroy();
  }
}

/** The same for any byte or text stream, e.g. an HTTP response body. */
export function readInputStream(
  input: AsyncIterable<Buffer | string>,
  format: InputFormat,
  source: string,
): AsyncGenerator<InputItem> {
  switch (format) {
    case 'ndjson':
      return readNdjson(input, source);
    case 'json':
      return readJson(input, source);
    case 'csv':
      return readDelimited(input, source, ',');
    case 'tsv':
      return readDelimited(input, source, '\t');
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Decodes UTF-8 across chunk boundaries (a multi-byte character may be split between chunks). */
async function* decodeChunks(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) {
    const s = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (s !== '') yield s;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

const BOM = '\uFEFF';
const BLANK = /^\s*$/;

function parseLine(line: string, lineNo: number, source: string): InputItem | undefined {
  if (BLANK.test(line)) return undefined;
  try {
    // JSON.parse accepts the "\r" a CRLF file leaves at the end of each line (it is whitespace).
    return { kind: 'record', source, position: lineNo, raw: JSON.parse(line) };
  } catch (err) {
    return { kind: 'error', source, position: lineNo, error: `invalid JSON: ${errorMessage(err)}` };
  }
}

async function* readNdjson(input: AsyncIterable<Buffer | string>, source: string): AsyncGenerator<InputItem> {
  // Split by hand rather than with readline: it is several times faster on million-line files,
  // and the line count is exact by construction.
  let pending = '';
  let lineNo = 0;
  let first = true;
  for await (let chunk of decodeChunks(input)) {
    if (first) {
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
      first = false;
    }
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      pending += chunk;
      continue;
    }
    // The line straddling the previous chunk boundary.
    let line = pending + chunk.slice(0, nl);
    pending = '';
    for (;;) {
      lineNo++;
      const item = parseLine(line, lineNo, source);
      if (item !== undefined) yield item;
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
      if (nl === -1) break;
      line = chunk.slice(start, nl);
    }
    pending = chunk.slice(start);
  }
  if (pending !== '') {
    const item = parseLine(pending, lineNo + 1, source);
    if (item !== undefined) yield item;
  }
}

async function* readJson(input: AsyncIterable<Buffer | string>, source: string): AsyncGenerator<InputItem> {
  let text = '';
  for await (const chunk of decodeChunks(input)) text += chunk;
  if (text.startsWith(BOM)) text = text.slice(1);
  // An empty file is an empty batch, as it is for NDJSON and CSV.
  if (BLANK.test(text)) return;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    yield { kind: 'error', source, position: 0, error: `invalid JSON: ${errorMessage(err)}${jsonErrorLocation(err, text)}`, fatal: true };
    return;
  }
  const records =
    Array.isArray(data) ? data
    : data !== null && typeof data === 'object' && Array.isArray((data as { records?: unknown }).records) ?
      ((data as { records: unknown[] }).records)
    : undefined;
  if (records === undefined) {
    yield { kind: 'error', source, position: 0, error: 'expected a JSON array of records or an object with a "records" array', fatal: true };
    return;
  }
  for (let i = 0; i < records.length; i++) yield { kind: 'record', source, position: i + 1, raw: records[i] };
}

const JSON_ERROR_POSITION = /at position (\d+)/;

/** V8 reports a character offset; people want a line and column. */
function jsonErrorLocation(err: unknown, text: string): string {
  const m = JSON_ERROR_POSITION.exec(errorMessage(err));
  if (m === null) return '';
  const offset = Number(m[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return ` (line ${line}, column ${offset - lineStart + 1})`;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function csvErrorLine(err: CsvError | undefined): number {
  const lines = (err as { lines?: unknown } | undefined)?.lines;
  return typeof lines === 'number' ? lines : 0;
}

async function* readDelimited(
  input: AsyncIterable<Buffer | string>,
  source: string,
  delimiter: ',' | '\t',
): AsyncGenerator<InputItem> {
  // csv-parse is driven by hand: every record and every skipped row lands in `queue` from inside
  // the parser's synchronous write, so items come out in file order (errors interleaved where
  // they occurred) and nothing piles up in the parser's readable buffer.
  const queue: InputItem[] = [];
  let fatal: Error | undefined;
  const parser = createCsvParser({
    delimiter,
    bom: true,
    // Header names are trimmed; empty ones disable their column instead of creating a "" field.
    columns: (header: string[]) => header.map((h) => (h.trim() === '' ? false : h.trim())),
    skip_empty_lines: true,
    // A stray quote inside an unquoted field (He said "no") is kept, not an error.
    relax_quotes: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      queue.push({ kind: 'error', source, position: csvErrorLine(err), error: `invalid CSV row: ${err?.message ?? 'unreadable'}` });
      return undefined;
    },
    on_record: (record: Record<string, string>, context: InfoRecord) => {
      // context.lines is where the record ends; a quoted field with line breaks started earlier.
      let spanned = 0;
      for (const key in record) {
        const v = record[key];
        if (typeof v === 'string' && v.indexOf('\n') !== -1) spanned += countNewlines(v);
      }
      queue.push({ kind: 'record', source, position: context.lines - spanned, raw: record });
      // Returning null keeps the record out of the parser's own output: it is already queued.
      return null;
    },
  });
  parser.on('error', (err: Error) => {
    fatal ??= err;
  });
  parser.resume();
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
    parser.on('close', resolve);
  });

  const drain = (): InputItem[] => queue.splice(0, queue.length);
  for await (const chunk of input) {
    if (fatal !== undefined) break;
    parser.write(chunk);
    for (const item of drain()) yield item;
  }
  if (fatal === undefined) {
    parser.end();
    await ended;
  }
  for (const item of drain()) yield item;
  if (fatal !== undefined) {
    yield {
      kind: 'error',
      source,
      position: csvErrorLine(fatal as CsvError),
      error: `CSV parsing stopped: ${fatal.message}; the rest of the input was not read`,
      fatal: true,
    };
  }
}
