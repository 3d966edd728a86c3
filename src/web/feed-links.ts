/** Addresses of a search's feeds. Pure; shared by the feed routes and the search page. */
import { toSearchParams } from '../search/params';
import type { SearchQuery } from '../search/types';

export const FEED_FORMATS = { rss: 'application/rss+xml', atom: 'application/atom+xml' } as const;
export type FeedFormat = keyof typeof FEED_FORMATS;

/** The feed of a search: the same search, newest first, from its first page. */
export function feedQuery(query: SearchQuery): SearchQuery {
  return { ...query, sort: 'newest', page: 1 };
}

export function feedHref(query: SearchQuery, format: FeedFormat): string {
  const params = toSearchParams(feedQuery(query));
  return `/feed.${format}${params.size > 0 ? `?${params}` : ''}`;
}
