/**
 * Bytes of a record file → its lines as text, in bounded memory.
 *
 * - Encoding: a byte order mark (UTF-8, UTF-16LE/BE) wins; else the declared encoding (any label
 *   the WHATWG Encoding Standard knows: "latin1" and "iso-8859-1" are read as Windows-1252, as
 *   browsers do, since that is what such files nearly always are); else UTF-8.
 * - A line longer than `maxLineBytes` is not kept: its bytes are counted and dropped as they
 *   arrive, and it comes out as a `tooLong` line, so a newline-free input of any size costs no
 *   more memory than one maximal line.
 * - UTF-8 that is not valid is decoded with U+FFFD in place of the bad bytes, and the lines where
 *   that happened are reported, so that a file in another encoding is noticed, not indexed garbled.
 *
 * Lines are split on bytes (0x0A) for every ASCII-compatible encoding, so each line is decoded
 * and checked on its own; UTF-16 is decoded as a stream and split on characters.
 *
 * Labels are resolved as the Encoding Standard says (TextDecoder knows its label table), but
 * bytes other than UTF-8 are decoded by iconv-lite: Node 20's TextDecoder decodes windows-1252
 * as ISO-8859-1 (0x93 becomes a C1 control instead of “).
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';

/** Largest record line (an NDJSON line, a CSV line) read by default: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

export type TextLine = { lineNo: number; text: string } | { lineNo: number; tooLong: number };

export interface DecodeReport {
  /** Line numbers where invalid bytes were replaced (the first few). */
  replacedLines: number[];
  /** How many lines had bytes replaced. */
  replacedCount: number;
  /** The encoding the bytes were read in, after BOM detection ("utf-8", "windows-1252" …). */
  encoding: string;
}

export interface TextLinesOptions {
  /** A WHATWG encoding label; default UTF-8. A BOM overrides it. */
  encoding?: string;
  maxLineBytes?: number;
}

export class UnknownEncodingError extends Error {}

const KEPT_LINE_NUMBERS = 10;

/** The canonical name of an encoding label, or undefined when Node cannot decode it. */
export function canonicalEncoding(label: string): string | undefined {
  let name: string;
  try {
    name = new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
  return name === 'utf-8' || iconv.encodingExists(name) ? name : undefined;
}

function bomEncoding(head: Buffer): { encoding: string; length: number } | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

async function* asBuffers(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  // Text given as strings (tests, callers that decoded already) is taken as UTF-8 bytes again.
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * The lines of `input`, in batches (one per chunk read, so that a million short lines do not
 * cost a million generator steps). `report` is filled in as lines are decoded.
 */
export async function* textLines(
  input: AsyncIterable<Buffer | string>,
  options: TextLinesOptions,
  report: DecodeReport,
): AsyncGenerator<TextLine[]> {
  const declared = options.encoding === undefined ? 'utf-8' : canonicalEncoding(options.encoding);
  if (declared === undefined) throw new UnknownEncodingError(`unknown encoding "${options.encoding}"`);
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chunks = asBuffers(input)[Symbol.asyncIterator]();

  // Enough of the start to see a BOM, even when the first chunks are tiny.
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 3) {
    const step = await chunks.next();
    if (step.done) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, step.value]);
  }
  const bom = bomEncoding(head);
  report.encoding = bom?.encoding ?? declared;
  const rest: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      if (head.length > (bom?.length ?? 0)) yield head.subarray(bom?.length ?? 0);
      if (ended) return;
      for (let step = await chunks.next(); !step.done; step = await chunks.next()) yield step.value;
    },
  };
  if (report.encoding === 'utf-16le' || report.encoding === 'utf-16be') {
    yield* utf16Lines(rest, report.encoding, maxLineBytes);
  } else {
    yield* byteLines(rest, report, maxLineBytes);
  }
}

function noteReplaced(report: DecodeReport, lineNo: number): void {
  report.replacedCount++;
  if (report.replacedLines.length < KEPT_LINE_NUMBERS) report.replacedLines.push(lineNo);
}

async function* byteLines(input: AsyncIterable<Buffer>, report: DecodeReport, maxLineBytes: number): AsyncGenerator<TextLine[]> {
  const utf8 = report.encoding === 'utf-8';
  const decoder = new TextDecoder('utf-8');
  const decode = (bytes: Buffer, lineNo: number): string => {
    if (!utf8) return iconv.decode(bytes, report.encoding, { stripBOM: false });
    if (isUtf8(bytes)) return bytes.toString('utf8');
    noteReplaced(report, lineNo);
    return decoder.decode(bytes);
  };
  // The start of the current line, when it began in an earlier chunk; `dropped` counts the bytes
  // of a line already known to be too long (they are not kept).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropped = -1;
  let lineNo = 0;

  const finishLine = (tail: Buffer): TextLine => {
    lineNo++;
    if (dropped >= 0) {
      const line = { lineNo, tooLong: dropped + tail.length };
      dropped = -1;
      return line;
    }
    const length = pendingBytes + tail.length;
    const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail], length);
    pending = [];
    pendingBytes = 0;
    if (length > maxLineBytes) return { lineNo, tooLong: length };
    return { lineNo, text: decode(bytes, lineNo) };
  };

  for await (const chunk of input) {
    const lines: TextLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      lines.push(finishLine(chunk.subarray(start, nl)));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      if (dropped >= 0) {
        dropped += tail.length;
      } else if (pendingBytes + tail.length > maxLineBytes) {
        dropped = pendingBytes + tail.length;
        pending = [];
        pendingBytes = 0;
      } else {
        // Copied: the chunk may be a view of a larger pooled buffer that would otherwise be kept.
        pending.push(Buffer.from(tail));
        pendingBytes += tail.length;
      }
    }
    if (lines.length > 0) yield lines;
  }
  if (pendingBytes > 0 || dropped >= 0) yield [finishLine(Buffer.alloc(0))];
}

async function* utf16Lines(input: AsyncIterable<Buffer>, encoding: string, maxLineBytes: number): AsyncGenerator<TextLine[]> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  const maxChars = Math.floor(maxLineBytes / 2);
  let pending = '';
  let dropped = -1;
  let lineNo = 0;
  const finishLine = (tail: string): TextLine => {
    lineNo++;
    if (dropped >= 0) {
      const line = { lineNo, tooLong: (dropped + tail.length) * 2 };
      dropped = -1;
      return line;
    }
    const text = pending + tail;
    pending = '';
    return text.length > maxChars ? { lineNo, tooLong: text.length * 2 } : { lineNo, text };
  };
  const split = (s: string): TextLine[] => {
    const lines: TextLine[] = [];
    let start = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      lines.push(finishLine(s.slice(start, nl)));
      start = nl + 1;
    }
    const tail = s.slice(start);
    if (dropped >= 0) dropped += tail.length;
    else if (pending.length + tail.length > maxChars) {
      dropped = pending.length + tail.length;
      pending = '';
    } else pending += tail;
    return lines;
  };
  for await (const chunk of input) {
    const lines = split(decoder.write(chunk));
    if (lines.length > 0) yield lines;
  }
  const last = split(decoder.end() ?? '');
  if (pending !== '' || dropped >= 0) last.push(finishLine(''));
  if (last.length > 0) yield last;
}

/** "bytes that are not valid UTF-8 were replaced on 2 lines (2, 4)": for warnings, or undefined. */
export function replacementNote(report: DecodeReport): string | undefined {
  if (report.replacedCount === 0) return undefined;
  const more = report.replacedCount > report.replacedLines.length ? ', …' : '';
  const lines = report.replacedCount === 1 ? `line ${report.replacedLines[0]}` : `${report.replacedCount} lines (${report.replacedLines.join(', ')}${more})`;
  return (
    `bytes that are not valid UTF-8 were replaced on ${lines}; ` +
    'if the file is in another encoding, declare it with "encoding" in the source config (e.g. "windows-1252")'
  );
}
