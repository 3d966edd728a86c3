/**
 * "Follow a search": every search as RSS 2.0 (/feed.rss) and Atom (/feed.atom), with the search
 * page's parameters, newest first, written by the `feed` library (which also splits a "]]>" in
 * text across CDATA sections). Atom titles and every summary are declared (Atom) or read (RSS
 * descriptions) as HTML, so that record text is HTML-escaped first; an RSS title is plain text
 * and goes as it is. Either way a title with "<", "&" or quotes reaches the reader as written.
 */
import { Router, type Response } from 'express';
import { Feed } from 'feed';
import { escapeUTF8 } from 'entities';
import type { SearchService } from '../../search/search-service';
import { hasFilters, type ResourceDocument, type SearchQuery } from '../../search/types';
import { absoluteUrl, baseUrlOf } from '../public-url';
import { FEED_FORMATS, feedHref, feedQuery, type FeedFormat } from '../feed-links';
import { chips, resourceHref, searchHref, type LabelLookup } from '../view-models';
import { searchQueryFromRequest } from './search';

export interface FeedRouteDeps {
  search: SearchService;
  labels: LabelLookup;
  siteName: string;
}

function describe(query: SearchQuery, labels: LabelLookup): string {
  const parts = chips(query, labels).map((c) => (c.param === 'q' ? `“${c.label}”` : `${c.facetLabel}: ${c.label}`));
  return parts.length > 0 ? parts.join(', ') : 'Latest resources';
}

/**
 * Publication date when the record has one (a year is its first day), else when it last changed
 * in the library. A hit without a datestamp changed in the live generation's own build: its
 * datestamp is that build's commit time (src/search/datestamp.ts).
 */
function itemDate(doc: ResourceDocument, builtAt: Date): Date {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(doc.published ?? '');
  if (m) return new Date(Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1));
  return changedAt(doc, builtAt);
}

function changedAt(doc: ResourceDocument, builtAt: Date): Date {
  return doc.changed ? new Date(doc.changed) : builtAt;
}

const html = (text: string) => escapeUTF8(text);

/**
 * feed 4.x escapes the Atom self link twice ("&amp;amp;" for every "&": utils.sanitize is applied
 * to it in two places). Later versions are ES modules only, which this CommonJS build cannot load,
 * so the one attribute is repaired here; the test reading the feed with feedparser checks it.
 */
function repairAtomSelfLink(xml: string): string {
  return xml.replace(/(<link rel="self" href=")([^"]*)(")/, (_m, start: string, href: string, end: string) => start + href.replace(/&amp;amp;/g, '&amp;') + end);
}

function sendFeed(res: Response, format: FeedFormat, feed: Feed): void {
  res.type(`${FEED_FORMATS[format]}; charset=utf-8`);
  res.send(format === 'rss' ? feed.rss2() : repairAtomSelfLink(feed.atom1()));
}

export function feedRouter(deps: FeedRouteDeps): Router {
  const router = Router();
  for (const format of Object.keys(FEED_FORMATS) as FeedFormat[]) {
    router.get(`/feed.${format}`, async (req, res) => {
      const query = feedQuery(searchQueryFromRequest(req));
      const [{ result }, status] = await Promise.all([deps.search.search(query, { facets: false }), deps.search.status()]);
      const builtAt = status.builtAt ? new Date(status.builtAt) : new Date(0);
      const base = baseUrlOf(res);
      const pageUrl = absoluteUrl(base, searchHref(query));
      const title = `${deps.siteName}: ${describe(query, deps.labels)}`;
      const docs = result.hits.map((h) => h.document);
      const updated = docs.reduce<Date>((max, d) => {
        const t = changedAt(d, builtAt);
        return t > max ? t : max;
      }, new Date(0));
      const feed = new Feed({
        title,
        description: `${result.total} publications on labour migration${query.text || hasFilters(query) ? ' matching this search' : ''}, newest first.`,
        id: pageUrl,
        link: pageUrl,
        language: 'en',
        updated: docs.length > 0 ? updated : new Date(0),
        generator: deps.siteName,
        copyright: `Metadata from ${deps.siteName} and the publishers named in each item`,
        feedLinks: {
          rss: absoluteUrl(base, feedHref(query, 'rss')),
          atom: absoluteUrl(base, feedHref(query, 'atom')),
        },
      });
      for (const doc of docs) {
        const link = absoluteUrl(base, resourceHref(doc.id));
        const published = doc.published ? itemDate(doc, builtAt) : undefined;
        feed.addItem({
          title: format === 'atom' ? html(doc.title) : doc.title,
          id: link,
          link,
          date: itemDate(doc, builtAt),
          published,
          description: doc.abstract ? html(doc.abstract) : undefined,
          author: doc.authors.map((name) => ({ name: html(name) })),
          category: doc.themes.map((t) => ({ name: html(deps.labels.themeLabel(t) ?? t), term: t })),
        });
      }
      sendFeed(res, format, feed);
    });
  }
  return router;
}
