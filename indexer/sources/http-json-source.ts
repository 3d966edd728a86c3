/**
 * An HTTP JSON API: pages fetched one after another (page number, offset, a next link or a
 * cursor), the list of items read at `itemsPath`, each item mapped into the record format.
 */
import type { HttpJsonSourceConfig, Pagination } from './config';
import { displayUrl, httpGet, responseError } from './http-client';
import { applyDefaults, mapRecord, textOf, valueAt, valuesAt } from './mapping';
import type { HarvestContext, Source, SourceItem } from './types';

export function firstPageUrl(config: HttpJsonSourceConfig, since?: string): string {
  const url = new URL(config.location);
  if (since !== undefined && config.sinceParam !== undefined) url.searchParams.set(config.sinceParam, since);
  const p = config.pagination;
  if (p.type === 'page') {
    url.searchParams.set(p.param, String(p.start));
    if (p.sizeParam !== undefined && p.size !== undefined) url.searchParams.set(p.sizeParam, String(p.size));
  } else if (p.type === 'offset') {
    url.searchParams.set(p.param, '0');
    url.searchParams.set(p.limitParam, String(p.limit));
  }
  return url.toString();
}

/** `<https://api.example.org/items?page=3>; rel="next"` from a Link header. */
export function linkHeaderNext(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel\s*=\s*"?[^";]*\bnext\b/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

/**
 * The next page's URL, or undefined after the last page. Page and offset pagination stop at the
 * first short or empty page; link and cursor pagination when the response names no next page.
 */
export function nextPageUrl(pagination: Pagination, current: string, body: unknown, itemCount: number, linkHeader: string | null): string | undefined {
  const url = new URL(current);
  switch (pagination.type) {
    case 'none':
      return undefined;
    case 'page': {
      if (itemCount === 0 || (pagination.size !== undefined && itemCount < pagination.size)) return undefined;
      const page = Number(url.searchParams.get(pagination.param) ?? pagination.start);
      url.searchParams.set(pagination.param, String(page + 1));
      return url.toString();
    }
    case 'offset': {
      if (itemCount === 0 || itemCount < pagination.limit) return undefined;
      const offset = Number(url.searchParams.get(pagination.param) ?? 0);
      url.searchParams.set(pagination.param, String(offset + itemCount));
      return url.toString();
    }
    case 'next-link': {
      const next = pagination.nextPath !== undefined ? valuesAt(body, pagination.nextPath).map(textOf).find((v) => v) : linkHeaderNext(linkHeader);
      return next ? new URL(next, current).toString() : undefined;
    }
    case 'cursor': {
      const cursor = valuesAt(body, pagination.cursorPath).map(textOf).find((v) => v);
      if (!cursor) return undefined;
      url.searchParams.set(pagination.param, cursor);
      return url.toString();
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function itemsOf(config: HttpJsonSourceConfig, text: string, url: string): { body: unknown; items: unknown[] } {
  let body: unknown;
  try {
    body = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw responseError(config.id, url, `the response is not JSON (${(err as Error).message})`);
  }
  const items = config.itemsPath === undefined ? body : valueAt(body, config.itemsPath);
  if (!Array.isArray(items)) {
    throw responseError(
      config.id,
      url,
      config.itemsPath === undefined ?
        `expected a JSON list of items, got ${describe(items)} (set "itemsPath" to where the list is)`
      : `no list of items at "${config.itemsPath}" (found ${describe(items)})`,
    );
  }
  return { body, items };
}

export function httpJsonSource(config: HttpJsonSourceConfig): Source {
  return {
    config,
    async *harvest(context: HarvestContext): AsyncIterable<SourceItem> {
      let url: string | undefined = firstPageUrl(config, context.since);
      const visited = new Set<string>();
      let position = 0;
      for (let pages = 0; url !== undefined; ) {
        if (pages >= config.maxPages) {
          yield { kind: 'warning', message: `${config.id}: stopped after ${config.maxPages} pages (maxPages); the API has more`, incomplete: true };
          return;
        }
        visited.add(url);
        pages++;
        const response = await httpGet({ sourceId: config.id, url, sourceUrl: config.location, accept: 'application/json', options: config.http, signal: context.signal });
        const decoded = response.decoded();
        if (decoded.replaced !== undefined) yield { kind: 'warning', message: `${config.id}: ${displayUrl(url)}: ${decoded.replaced}` };
        const { body, items } = itemsOf(config, decoded.text, url);
        const location = displayUrl(url);
        for (const item of items) {
          position++;
          if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            yield { kind: 'error', position, error: `expected an object, got ${describe(item)}`, location };
            continue;
          }
          yield { kind: 'record', position, raw: applyDefaults(mapRecord(item, config.mapping), config.defaults), location };
        }
        const next = nextPageUrl(config.pagination, url, body, items.length, response.headers.get('link'));
        // An API that links a page to itself (or back) would otherwise be read for ever.
        if (next !== undefined && visited.has(next)) {
          yield { kind: 'warning', message: `${config.id}: page ${next} was already read; stopped there` };
          return;
        }
        url = next;
      }
    },
  };
}
