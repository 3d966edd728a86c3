/**
 * Reads record files (NDJSON, JSON, CSV/TSV, optionally gzipped) into a stream of raw records,
 * each with its source and position so that a rejection can say where the record was. Parsing
 * problems of one line or row become error items; they never end the stream early, except a CSV
 * quoting error the parser cannot recover from (marked `fatal`).
 *
 * NDJSON and CSV are streamed: memory stays flat however many records a file holds. A JSON
 * array has to be parsed whole; use NDJSON for large inputs.
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse as createCsvParser, type CsvError, type InfoRecord } from 'csv-parse';
import { DEFAULT_MAX_LINE_BYTES, replacementNote, textLines, type DecodeReport, type TextLine } from './text-lines';

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

/**
 * An NDJSON line given as text (option `unparsed`): parseRecordLine() makes it what an
 * InputRecord would have held, wherever the record is prepared (possibly another thread).
 */
export interface InputLine {
  kind: 'line';
  source: string;
  position: number;
  text: string;
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

/** Something about the input as a whole the run summary should show (bytes replaced …). */
export interface InputWarning {
  kind: 'warning';
  source: string;
  /** The first line concerned. */
  position: number;
  message: string;
}

export type InputItem = InputRecord | InputLine | InputError | InputWarning;

export interface ReadInputOptions {
  /** Overrides detection from the file extension. */
  format?: InputFormat;
  /** Reported as `source` instead of the path. */
  source?: string;
  /** A WHATWG encoding label ("windows-1252", "latin1" …); default UTF-8. A byte order mark wins. */
  encoding?: string;
  /** Longest NDJSON line or CSV record, in bytes; longer ones are rejected and skipped. Default 1 MiB. */
  maxRecordBytes?: number;
  /** NDJSON lines come as InputLine items, left for the caller to parse (parseRecordLine). */
  unparsed?: boolean;
}

/** A file that cannot be read at all; the message starts with the file's name. */
export class InputReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputReadError';
  }
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

/** What a file that is not a regular file is, in words ("a named pipe (FIFO)"). */
export function specialFileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'a special file';
}

interface ErrnoLike {
  code?: unknown;
  message?: unknown;
}

/** Read and gunzip failures in words that name the file and say what is wrong with it. */
function readFailure(source: string, err: unknown): InputReadError {
  const { code, message } = (err ?? {}) as ErrnoLike;
  const text = typeof message === 'string' ? message : String(err);
  let reason: string;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(text)) reason = 'the gzip data is truncated (the file ends too early)';
  else if (code === 'Z_DATA_ERROR' || code === 'Z_NEED_DICT') reason = `not a valid gzip file (${text})`;
  else if (code === 'ENOENT') reason = 'no such file';
  else if (code === 'EACCES' || code === 'EPERM') reason = 'permission denied';
  else if (code === 'EISDIR') reason = 'is a folder, not a file';
  else reason = text;
  return new InputReadError(`${source}: ${reason}`, { cause: err });
}

/**
 * Throws InputReadError when the file cannot be opened or read (named pipes, sockets and devices
 * are refused at once rather than waited on), or its type is unknown.
 */
export async function* readInputFile(path: string, options: ReadInputOptions = {}): AsyncGenerator<InputItem> {
  const source = options.source ?? path;
  const format = options.format ?? detectFormat(path);
  if (format === undefined) {
    throw new Error(`${path}: unknown input type (expected .ndjson, .jsonl, .json, .csv or .tsv, optionally .gz)`);
  }
  // O_NONBLOCK: opening a named pipe would otherwise wait for a writer for ever (and hold one of
  // libuv's few threads while it waits). The type is checked on the opened file, not on the
  // path beforehand, so that a file swapped for a pipe in between is caught too.
  let handle;
  try {
    handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    throw readFailure(source, err);
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new InputReadError(`${source} is ${specialFileKind(stats)}, not a regular file; only regular files are read`);
  }
  const file = handle.createReadStream({ highWaterMark: 1 << 20 });
  const input = path.toLowerCase().endsWith('.gz') ? file.pipe(createGunzip()) : file;
  // pipe() does not forward read errors; without this a read error would hang the gunzip side.
  if (input !== file) file.on('error', (err) => input.destroy(err));
  try {
    yield* readInputStream(input, format, source, options);
  } catch (err) {
    throw readFailure(source, err);
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
  options: Pick<ReadInputOptions, 'encoding' | 'maxRecordBytes' | 'unparsed'> = {},
): AsyncGenerator<InputItem> {
  const limits = { encoding: options.encoding, maxLineBytes: options.maxRecordBytes ?? DEFAULT_MAX_LINE_BYTES };
  switch (format) {
    case 'ndjson':
      return readNdjson(input, source, limits, options.unparsed === true);
    case 'json':
      return readJson(input, source, limits);
    case 'csv':
      return readDelimited(input, source, ',', limits);
    case 'tsv':
      return readDelimited(input, source, '\t', limits);
  }
}

interface LineLimits {
  encoding?: string;
  maxLineBytes: number;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const BLANK = /^\s*$/;

function newReport(): DecodeReport {
  return { replacedLines: [], replacedCount: 0, encoding: 'utf-8' };
}

function decodeWarning(report: DecodeReport, source: string): InputWarning | undefined {
  const note = replacementNote(report);
  return note === undefined ? undefined : { kind: 'warning', source, position: report.replacedLines[0] ?? 0, message: note };
}

function tooLongError(line: Extract<TextLine, { tooLong: number }>, source: string, limits: LineLimits): InputError {
  return {
    kind: 'error',
    source,
    position: line.lineNo,
    error: `line longer than the limit of ${limits.maxLineBytes} bytes (${line.tooLong} bytes); skipped`,
  };
}

/** An NDJSON line's record, or why it is not one. */
export function parseRecordLine(line: string): { ok: true; raw: unknown } | { ok: false; error: string } {
  try {
    // JSON.parse accepts the "\r" a CRLF file leaves at the end of each line (it is whitespace).
    return { ok: true, raw: JSON.parse(line) };
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${errorMessage(err)}` };
  }
}

function parseLine(line: string, lineNo: number, source: string, unparsed: boolean): InputItem | undefined {
  if (BLANK.test(line)) return undefined;
  if (unparsed) return { kind: 'line', source, position: lineNo, text: line };
  const parsed = parseRecordLine(line);
  return parsed.ok ?
      { kind: 'record', source, position: lineNo, raw: parsed.raw }
    : { kind: 'error', source, position: lineNo, error: parsed.error };
}

async function* readNdjson(input: AsyncIterable<Buffer | string>, source: string, limits: LineLimits, unparsed: boolean): AsyncGenerator<InputItem> {
  const report = newReport();
  for await (const lines of textLines(input, limits, report)) {
    for (const line of lines) {
      if ('tooLong' in line) {
        yield tooLongError(line, source, limits);
        continue;
      }
      const item = parseLine(line.text, line.lineNo, source, unparsed);
      if (item !== undefined) yield item;
    }
  }
  const warning = decodeWarning(report, source);
  if (warning !== undefined) yield warning;
}

async function* readJson(input: AsyncIterable<Buffer | string>, source: string, limits: LineLimits): AsyncGenerator<InputItem> {
  // A JSON document is parsed whole: its lines are joined again (no line limit applies).
  const report = newReport();
  const parts: string[] = [];
  for await (const lines of textLines(input, { encoding: limits.encoding, maxLineBytes: Number.MAX_SAFE_INTEGER }, report)) {
    for (const line of lines) if ('text' in line) parts.push(line.text);
  }
  const text = parts.join('\n');
  const warning = decodeWarning(report, source);
  if (warning !== undefined) yield warning;
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

/** Thrown from the header callback; csv-parse passes it on as its error. */
class HeaderError extends Error {}

/**
 * Header names as record fields: trimmed; empty ones disable their column instead of creating a
 * "" field. A name given twice (in any case: "Title" and "title" are the same record field) is
 * refused: which of the two columns would be meant cannot be known.
 */
function csvColumns(header: string[]): (string | false)[] {
  const first = new Map<string, number>();
  return header.map((raw, i) => {
    const name = raw.trim();
    if (name === '') return false;
    const key = name.toLowerCase();
    const earlier = first.get(key);
    if (earlier !== undefined) {
      throw new HeaderError(
        `the header names the column "${name.toLowerCase()}" twice (columns ${earlier + 1} and ${i + 1}); ` +
          'rename or remove one of them: the file was not read',
      );
    }
    first.set(key, i);
    return name;
  });
}

async function* readDelimited(
  input: AsyncIterable<Buffer | string>,
  source: string,
  delimiter: ',' | '\t',
  limits: LineLimits,
): AsyncGenerator<InputItem> {
  // csv-parse is driven by hand: every record and every skipped row lands in `queue` from inside
  // the parser's synchronous write, so items come out in file order (errors interleaved where
  // they occurred) and nothing piles up in the parser's readable buffer. It is fed the lines
  // textLines() decoded, so that over-long lines never reach it.
  const queue: InputItem[] = [];
  let fatal: Error | undefined;
  let fatalMessage: string | undefined;
  const parser = createCsvParser({
    delimiter,
    bom: true,
    columns: csvColumns,
    skip_empty_lines: true,
    // A stray quote inside an unquoted field (He said "no") is kept, not an error.
    relax_quotes: true,
    skip_records_with_error: true,
    // A record of many short lines (a quote that is never closed) is bounded too. The parser
    // cannot find its way back after such a record, so it ends the file (see on_skip).
    max_record_size: limits.maxLineBytes,
    on_skip: (err: CsvError | undefined) => {
      if (err?.code === 'CSV_MAX_RECORD_SIZE') {
        fatalMessage ??=
          `the record starting at line ${csvErrorLine(err)} is longer than the limit of ${limits.maxLineBytes} bytes ` +
          '(a quote that is never closed?); the rest of the file was not read';
        fatal ??= err;
        return undefined;
      }
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
    // csv-parse wraps what the header callback threw; its own message is the one to show.
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof HeaderError) fatalMessage ??= err.message;
    else if (cause instanceof HeaderError) fatalMessage ??= cause.message;
  });
  parser.resume();
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
    parser.on('close', resolve);
  });

  const report = newReport();
  // Over-long lines are known before the parser has emitted the records before them: they wait
  // here and come out in line order.
  const longLines: InputError[] = [];
  const drain = (final = false): InputItem[] => {
    const out: InputItem[] = [];
    for (const item of queue.splice(0, queue.length)) {
      while (longLines.length > 0 && longLines[0]!.position < item.position) out.push(longLines.shift()!);
      out.push(item);
    }
    if (final) out.push(...longLines.splice(0, longLines.length));
    return out;
  };
  outer: for await (const lines of textLines(input, limits, report)) {
    let text = '';
    for (const line of lines) {
      if ('tooLong' in line) {
        if (text !== '') parser.write(text);
        text = '';
        longLines.push(tooLongError(line, source, limits));
        // An empty line in its place keeps the parser's line numbers those of the file.
        text = '\n';
        continue;
      }
      text += `${line.text}\n`;
    }
    if (text !== '') parser.write(text);
    for (const item of drain()) yield item;
    if (fatal !== undefined) break outer;
  }
  if (fatal === undefined) {
    parser.end();
    await ended;
  }
  for (const item of drain(true)) yield item;
  const warning = decodeWarning(report, source);
  if (warning !== undefined) yield warning;
  if (fatal !== undefined) {
    yield {
      kind: 'error',
      source,
      position: fatal instanceof HeaderError || fatalMessage?.startsWith('the header') ? 1 : csvErrorLine(fatal as CsvError),
      error: fatalMessage ?? `CSV parsing stopped: ${fatal.message}; the rest of the input was not read`,
      fatal: true,
    };
  }
}
