/**
 * A source's record delivered as an NDJSON line (SourceItem `line`): parsed, then mapped and
 * given its defaults exactly as the source does for the records it parses itself. Pure, so it
 * runs wherever the record is prepared.
 */
import { parseRecordLine } from '../records/parse-input';
import type { FieldDefaults, FieldMapping } from './config';
import { applyDefaults, mapRecord } from './mapping';

export interface LineRecord {
  text: string;
  mapping?: FieldMapping;
  defaults?: FieldDefaults;
}

export function recordOfLine(line: LineRecord): { ok: true; raw: unknown } | { ok: false; error: string } {
  const parsed = parseRecordLine(line.text);
  if (!parsed.ok) return parsed;
  return { ok: true, raw: applyDefaults(mapRecord(parsed.raw, line.mapping), line.defaults) };
}
