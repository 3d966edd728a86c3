/**
 * A resource opened from a list of results remembers that list in its own address: the search's
 * parameters and the resource's position in the results (`pos`). So "Back to results" and the
 * previous and next record work without JavaScript, without cookies, and in a new tab. Pure.
 */
import { toSearchParams, type ParseResult } from '../search/params';
import { MAX_RESULT_WINDOW } from '../search/result-rules';
import type { SearchQuery } from '../search/types';
import { resourceHref, resultsHref } from './links';

/** The resource's 1-based position in the results it was opened from. */
export const POSITION_PARAM = 'pos';
/** Largest page size tried when fetching a position and its neighbours in one request. */
const MAX_WINDOW_SIZE = 100;

export interface ResultContext {
  /** The search, on page 1 (the position says where in it the resource is). */
  query: SearchQuery;
  position: number;
}

/** The resource page of a hit, carrying the search it was found by. */
export function resultHref(id: string, query: SearchQuery, position: number): string {
  const params = toSearchParams({ ...query, page: 1 });
  params.set(POSITION_PARAM, String(position));
  return `${resourceHref(id)}?${params.toString()}`;
}

/**
 * The search a resource page was opened from, or undefined when its address carries none, or
 * one that no longer parses: the resource page itself is still shown, without the way back.
 */
export function readResultContext(
  raw: Record<string, unknown>,
  parse: (raw: Record<string, unknown>) => ParseResult,
): ResultContext | undefined {
  const pos = raw[POSITION_PARAM];
  if (typeof pos !== 'string' || !/^\d{1,6}$/.test(pos)) return undefined;
  const position = Number(pos);
  if (position < 1 || position > MAX_RESULT_WINDOW) return undefined;
  const { [POSITION_PARAM]: _pos, page: _page, ...search } = raw;
  const parsed = parse(search);
  return parsed.ok ? { query: { ...parsed.query, page: 1 }, position } : undefined;
}

/**
 * One page of the search that holds the positions before and after `position`: its page number
 * and size, and where `position` sits in it (0-based). Pages are aligned to their size, so the
 * smallest size whose page does not split the three positions is used.
 */
export function neighbourWindow(position: number): { page: number; size: number; index: number } {
  const first = Math.max(1, position - 1);
  const last = position + 1;
  for (let size = 3; size <= MAX_WINDOW_SIZE; size++) {
    const page = Math.floor((first - 1) / size) + 1;
    if (last <= page * size) return { page, size, index: position - 1 - (page - 1) * size };
  }
  // Not reached for positions within the result window; a page from the start is always right.
  return { page: 1, size: last, index: position - 1 };
}

export interface ResultNavView {
  /** The results page the resource is on, scrolled to it. */
  backUrl: string;
  /** "Results for “nepal”", "Filtered resources", "Latest resources". */
  searchLabel: string;
  /** "Result 3 of 57". */
  positionText: string;
  prev?: { url: string; title: string };
  next?: { url: string; title: string };
  /** The search's words, for the header search box. */
  text: string;
}

export function resultNavView(args: {
  context: ResultContext;
  total: number;
  /** The neighbouring hits, when the list still holds this resource at its position. */
  prev?: { id: string; title: string };
  next?: { id: string; title: string };
  searchLabel: string;
}): ResultNavView {
  const { context, total } = args;
  const { query, position } = context;
  const resultsPage = Math.floor((position - 1) / query.size) + 1;
  const backUrl = resultsHref({ ...query, page: resultsPage }).replace(/#.*$/, `#hit-${position}`);
  return {
    backUrl,
    searchLabel: args.searchLabel,
    positionText: `Result ${position.toLocaleString('en')} of ${total.toLocaleString('en')}`,
    prev: args.prev && { url: resultHref(args.prev.id, query, position - 1), title: args.prev.title },
    next: args.next && { url: resultHref(args.next.id, query, position + 1), title: args.next.title },
    text: query.text,
  };
}
