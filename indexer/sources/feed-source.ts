/** RSS and Atom feeds over HTTP. A feed lists its latest items only, so `since` changes nothing. */
import type { FeedSourceConfig } from './config';
import { XmlDocumentError } from './xml';
import { parseFeed } from './feed-parse';
import { displayUrl, httpGet, responseError } from './http-client';
import { applyDefaults, withMapping } from './mapping';
import type { HarvestContext, Source, SourceItem } from './types';

const ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

export function feedSource(config: FeedSourceConfig): Source {
  return {
    config,
    async *harvest(context: HarvestContext): AsyncIterable<SourceItem> {
      const response = await httpGet({ sourceId: config.id, url: config.location, sourceUrl: config.location, accept: ACCEPT, options: config.http, signal: context.signal });
      const body = response.decoded();
      if (body.replaced !== undefined) yield { kind: 'warning', message: `${config.id}: ${displayUrl(response.url)}: ${body.replaced}` };
      let feed;
      try {
        feed = parseFeed(body.text, config.id, response.url);
      } catch (err) {
        if (err instanceof XmlDocumentError) throw responseError(config.id, response.url, err.message);
        throw err;
      }
      const location = displayUrl(response.url);
      let position = 0;
      for (const entry of feed.entries) {
        position++;
        const raw = applyDefaults(withMapping(entry.record, entry.native, config.mapping), config.defaults);
        yield { kind: 'record', position, raw, location };
      }
    },
  };
}
