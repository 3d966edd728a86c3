/**
 * A source's field mapping: item (a JSON object, a CSV row, a parsed XML element) → a record in
 * the project's format. Pure functions, so the rules are easy to test and the same for every kind.
 *
 * Paths are dot-separated: `meta.title`, `authors.name`, `links.0.href`. A list met on the way is
 * walked element by element (`authors.name` gives every author's name); a number picks one
 * element; `[]` and `[0]` may be written for clarity (`authors[].name`, `links[0].href`). In XML
 * items, attributes are `@_name` and an element's text is `#text` (taken automatically when an
 * element with attributes is mapped to a text field).
 */
import { RECORD_FIELDS } from '../records/record-schema';
import type { FieldDefaults, FieldMapping, MappedField } from './config';

export type RawRecord = Record<string, unknown>;

/** Fields that hold lists; every other field holds one value. */
export const LIST_FIELDS: ReadonlySet<string> = new Set(['authors', 'countries', 'regions', 'themes', 'keywords']);

const BRACKETS = /\[(\d*)\]/g;

export function splitPath(path: string): string[] {
  return path
    .replace(BRACKETS, (_m, index: string) => (index === '' ? '' : `.${index}`))
    .split('.')
    .filter((segment) => segment !== '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every value at `path` in `item`, lists flattened; [] when there is none. */
export function valuesAt(item: unknown, path: string): unknown[] {
  let current: unknown[] = [item];
  for (const segment of splitPath(path)) {
    const next: unknown[] = [];
    const index = /^\d+$/.test(segment) ? Number(segment) : undefined;
    for (const value of current) {
      if (Array.isArray(value)) {
        if (index !== undefined) {
          if (index < value.length) next.push(value[index]);
          continue;
        }
        for (const element of value) {
          if (isObject(element) && Object.hasOwn(element, segment)) next.push(element[segment]);
        }
      } else if (isObject(value) && Object.hasOwn(value, segment)) {
        next.push(value[segment]);
      } else if (index === 0 && value !== undefined) {
        // "links.0.href" must also work when a feed happens to carry a single link, which XML
        // parsers deliver as one object rather than a list of one.
        next.push(value);
      }
    }
    current = next;
  }
  return current.flat(Infinity).filter((v) => v !== undefined && v !== null);
}

/** The one value at `path`, lists not walked (only indexed): where an API keeps its list of items. */
export function valueAt(item: unknown, path: string): unknown {
  let current: unknown = item;
  for (const segment of splitPath(path)) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (isObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** A value as text: strings and numbers as they are, an XML element by its text; else undefined. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isObject(value) && '#text' in value) return textOf(value['#text']);
  return undefined;
}

function nonEmptyTexts(values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const t = textOf(v);
    if (t !== undefined && t.trim() !== '') out.push(t);
  }
  return out;
}

/**
 * The value of one record field from the first path that yields something. Lists stay lists;
 * `abstract` joins several values into paragraphs; other fields take the first value. Values
 * that are not text (an object where a title was expected) are passed on as they are, so that
 * validation names the field and the problem instead of the mapping silently dropping them.
 */
export function mapField(item: unknown, field: MappedField, paths: string | string[]): unknown {
  for (const path of Array.isArray(paths) ? paths : [paths]) {
    const values = valuesAt(item, path);
    if (values.length === 0) continue;
    const texts = nonEmptyTexts(values);
    if (texts.length === 0) {
      const odd = values.find((v) => textOf(v) === undefined);
      if (odd !== undefined) return LIST_FIELDS.has(field) ? values : odd;
      continue;
    }
    if (LIST_FIELDS.has(field)) return texts;
    if (field === 'abstract') return texts.join('\n\n');
    return texts[0];
  }
  return undefined;
}

const LOWER_RECORD_FIELDS = new Map<string, string>(RECORD_FIELDS.map((f) => [f.toLowerCase(), f]));

/**
 * Applies `mapping` to `item`. Without a mapping the item is taken as a record as it is (unknown
 * fields are then counted in the run summary, as for files). With one, the record holds the
 * mapped fields plus those the item already names like record fields (any case); other item
 * fields are left out, since the mapping says what the source means.
 */
export function mapRecord(item: unknown, mapping: FieldMapping | undefined): unknown {
  if (mapping === undefined) return item;
  const record: RawRecord = {};
  if (isObject(item)) {
    for (const [key, value] of Object.entries(item)) {
      const field = LOWER_RECORD_FIELDS.get(key.toLowerCase());
      if (field !== undefined && !(field in record)) record[field] = value;
    }
  }
  for (const [field, paths] of Object.entries(mapping) as [MappedField, string | string[]][]) {
    const value = mapField(item, field, paths);
    if (value !== undefined) record[field] = value;
    else delete record[field];
  }
  return record;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Fills the fields a record leaves empty from the source's defaults (a publisher, a language …). */
export function applyDefaults(record: unknown, defaults: FieldDefaults | undefined): unknown {
  if (defaults === undefined || !isObject(record)) return record;
  const out: RawRecord = { ...record };
  for (const [field, value] of Object.entries(defaults)) {
    if (isEmpty(out[field])) out[field] = Array.isArray(value) ? value.slice() : value;
  }
  return out;
}

/** Built-in fields of a kind (feeds, OAI-PMH) overridden by the source's own mapping. */
export function withMapping(builtIn: RawRecord, native: unknown, mapping: FieldMapping | undefined): RawRecord {
  if (mapping === undefined) return builtIn;
  const out: RawRecord = { ...builtIn };
  for (const [field, paths] of Object.entries(mapping) as [MappedField, string | string[]][]) {
    const value = mapField(native, field, paths);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

