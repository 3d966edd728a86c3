/**
 * URL parameters → SearchQuery. The page and the JSON API share this, so a URL means the same
 * thing in both. Every problem is reported with the parameter it concerns.
 */
import { z } from 'zod';
import { FACET_FIELDS } from './fields';
import { defaultSort, MAX_RESULT_WINDOW } from './result-rules';
import { FACET_NAMES, SORT_ORDERS, type FacetFilters, type FacetName, type SearchQuery, type SortOrder } from './types';

export const MAX_QUERY_LENGTH = 500;
export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const MAX_PAGE_SIZE = 100;
export const MAX_VALUES_PER_FACET = 50;
const MIN_YEAR = 1000;
const MAX_YEAR = 2999;

export interface ParamError {
  param: string;
  message: string;
}

/** Something in the address that was read differently from how it was written, said on the page. */
export interface ParamNotice {
  param: string;
  message: string;
}

export type ParseResult = { ok: true; query: SearchQuery; notices: ParamNotice[] } | { ok: false; errors: ParamError[] };

type RawParams = Record<string, unknown>;

/**
 * Says whether a facet value exists (a country code, region, grouping, theme or language
 * Corridor knows). Injected, so that this module needs no vocabulary; values of free-text facets
 * (types, publishers) are never checked: any of them is a valid, possibly empty, filter.
 */
export type FacetValueCheck = (facet: FacetName, value: string) => boolean;

export interface ParseOptions {
  knownValue?: FacetValueCheck;
}

/** The values `undated` may have: only undated resources, or undated ones besides the year range. */
export const UNDATED_VALUES = ['only', 'include'] as const;


function asList(value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

/** One value of a parameter given at most once; blank is none. */
export function single(raw: RawParams, name: string, errors: ParamError[]): string | undefined {
  const list = asList(raw[name]);
  if (list.length > 1) {
    errors.push({ param: name, message: `${name} may be given only once` });
    return undefined;
  }
  const value = list[0]?.trim();
  return value === '' ? undefined : value;
}

const intSchema = z.string().regex(/^\d{1,9}$/);

/** A whole number from `min` to `max`, or undefined (absent, or wrong: then `errors` says why). */
export function integer(raw: RawParams, name: string, errors: ParamError[], min: number, max: number): number | undefined {
  const value = single(raw, name, errors);
  if (value === undefined) return undefined;
  if (!intSchema.safeParse(value).success) {
    errors.push({ param: name, message: `${name} must be a whole number, got "${truncate(value)}"` });
    return undefined;
  }
  const n = Number(value);
  if (n < min || n > max) {
    errors.push({ param: name, message: `${name} must be between ${min} and ${max}, got ${n}` });
    return undefined;
  }
  return n;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** A lone surrogate or a NUL is what a broken percent-encoding leaves behind. */
function hasBrokenText(value: string): boolean {
  return /[\u0000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}

/** The visitor's text (`q`): at most MAX_QUERY_LENGTH characters of valid text. */
function queryText(raw: RawParams, errors: ParamError[]): string {
  const text = single(raw, 'q', errors) ?? '';
  if (text.length > MAX_QUERY_LENGTH) {
    errors.push({ param: 'q', message: `q is ${text.length} characters long; the limit is ${MAX_QUERY_LENGTH}` });
  } else if (hasBrokenText(text)) {
    errors.push({ param: 'q', message: 'q contains characters that are not valid text' });
  }
  return text;
}

export function parseSearchParams(raw: RawParams, options: ParseOptions = {}): ParseResult {
  const errors: ParamError[] = [];
  const notices: ParamNotice[] = [];

  const text = queryText(raw, errors);

  const filters = {} as FacetFilters;
  for (const facet of FACET_NAMES) {
    const values = [...new Set(asList(raw[facet]).map((v) => v.trim()).filter((v) => v !== ''))];
    if (values.length > MAX_VALUES_PER_FACET) {
      errors.push({ param: facet, message: `at most ${MAX_VALUES_PER_FACET} ${facet} values may be selected` });
    }
    // Facet URL parameter names are the facet names themselves (country, region, theme …).
    const code = FACET_FIELDS[facet].code;
    for (const v of values) {
      if (v.length > 200 || hasBrokenText(v) || (code && !code.pattern.test(v))) {
        errors.push({ param: facet, message: `"${truncate(v)}" is not a valid ${facet} value` });
      } else if (code && options.knownValue && !options.knownValue(facet, code.canonical(v))) {
        errors.push({ param: facet, message: `"${truncate(v)}" is not a ${FACET_FIELDS[facet].noun.one} Corridor knows` });
      }
    }
    // Codes and ids are case-insensitive in URLs people type: country=npl, region=ASEAN.
    filters[facet] = [...new Set(code ? values.map(code.canonical) : values)];
  }

  let yearFrom = integer(raw, 'from', errors, MIN_YEAR, MAX_YEAR);
  let yearTo = integer(raw, 'to', errors, MIN_YEAR, MAX_YEAR);
  if (yearFrom !== undefined && yearTo !== undefined && yearFrom > yearTo) {
    // "From 2020 to 2015" means the years between them.
    notices.push({ param: 'from', message: `From ${yearFrom} is after to ${yearTo}: showing ${yearTo}–${yearFrom}.` });
    [yearFrom, yearTo] = [yearTo, yearFrom];
  }

  const undatedRaw = single(raw, 'undated', errors);
  // "1" is what the first version of the page sent for "only".
  const undated = undatedRaw === '1' ? 'only' : undatedRaw;
  if (undated !== undefined && !(UNDATED_VALUES as readonly string[]).includes(undated)) {
    errors.push({ param: 'undated', message: `undated must be "only" or "include", got "${truncate(undated)}"` });
  }
  const hasRange = yearFrom !== undefined || yearTo !== undefined;
  if (undated === 'only' && hasRange) {
    // Only undated resources have no year to be in a range: the range cannot also apply.
    notices.push({
      param: 'undated',
      message: `Showing undated resources only, so the years ${rangeText(yearFrom, yearTo)} were left out.`,
    });
    yearFrom = undefined;
    yearTo = undefined;
  }

  const sortRaw = single(raw, 'sort', errors);
  let sort: SortOrder = defaultSort(text);
  if (sortRaw !== undefined) {
    if ((SORT_ORDERS as readonly string[]).includes(sortRaw)) sort = sortRaw as SortOrder;
    else errors.push({ param: 'sort', message: `sort must be one of ${SORT_ORDERS.join(', ')}, got "${truncate(sortRaw)}"` });
  }

  const size = integer(raw, 'size', errors, 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  // No page starts beyond the engines' result window.
  const maxPage = Math.floor(MAX_RESULT_WINDOW / size);
  const page = integer(raw, 'page', errors, 1, maxPage) ?? 1;

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    query: {
      text,
      filters,
      yearFrom,
      yearTo,
      undatedOnly: undated === 'only' ? true : undefined,
      // Without a year range every undated resource is included anyway.
      includeUndated: undated === 'include' && (yearFrom !== undefined || yearTo !== undefined) ? true : undefined,
      sort,
      page,
      size,
    },
    notices,
  };
}

function rangeText(from: number | undefined, to: number | undefined): string {
  if (from !== undefined && to !== undefined) return `${from}–${to}`;
  return from !== undefined ? `from ${from}` : `until ${to}`;
}

export type SuggestParseResult = { ok: true; text: string; limit: number } | { ok: false; errors: ParamError[] };

/** /api/suggest's parameters: the typed text (`q`, as for a search) and how many suggestions (`limit`). */
export function parseSuggestParams(raw: RawParams, defaultLimit: number, maxLimit: number): SuggestParseResult {
  const errors: ParamError[] = [];
  const text = queryText(raw, errors);
  const limit = integer(raw, 'limit', errors, 1, maxLimit) ?? defaultLimit;
  return errors.length > 0 ? { ok: false, errors } : { ok: true, text, limit };
}

/** The inverse of parseSearchParams: a canonical query string (stable order) for links. */
export function toSearchParams(
  query: Partial<Omit<SearchQuery, 'filters'>> & { filters?: Partial<FacetFilters> },
): URLSearchParams {
  const params = new URLSearchParams();
  if (query.text) params.set('q', query.text);
  for (const facet of FACET_NAMES) {
    for (const v of query.filters?.[facet] ?? []) params.append(facet, v);
  }
  if (query.yearFrom !== undefined) params.set('from', String(query.yearFrom));
  if (query.yearTo !== undefined) params.set('to', String(query.yearTo));
  if (query.undatedOnly) params.set('undated', 'only');
  else if (query.includeUndated && (query.yearFrom !== undefined || query.yearTo !== undefined)) params.set('undated', 'include');
  if (query.sort && query.sort !== defaultSort(query.text ?? '')) params.set('sort', query.sort);
  if (query.size && query.size !== DEFAULT_PAGE_SIZE) params.set('size', String(query.size));
  if (query.page && query.page > 1) params.set('page', String(query.page));
  return params;
}
