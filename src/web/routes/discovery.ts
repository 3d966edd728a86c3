/**
 * What crawlers and browsers look for at well-known addresses: robots.txt, the sitemap (an index
 * of sitemap files past SITEMAP_MAX_URLS addresses, each streamed from the engine's change
 * listing), and the OpenSearch description that lets a browser add Corridor as a search engine.
 */
import { Router, type Response } from 'express';
import { createCB, create } from 'xmlbuilder2';
import type { SearchService } from '../../search/search-service';
import { NotFoundError } from '../errors';
import { absoluteUrl, baseUrlOf } from '../public-url';
import { writeChunk } from '../streaming';
import { resourceHref } from '../view-models';

/** The sitemaps protocol's limit of addresses per file. */
export const SITEMAP_MAX_URLS = 50_000;
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const PAGE = 1000;

export interface DiscoveryRouteDeps {
  search: SearchService;
  siteName: string;
  /** Addresses per sitemap file (tests use a small one to see the split). */
  sitemapMaxUrls?: number;
}

export function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    // Staff pages, downloads and deep API calls are not pages worth crawling.
    'Disallow: /staff',
    'Disallow: /export.',
    'Disallow: /resources/*/export.',
    'Disallow: /api/',
    '',
    `Sitemap: ${absoluteUrl(baseUrl, '/sitemap.xml')}`,
    '',
  ].join('\n');
}

export function openSearchDescription(baseUrl: string, siteName: string): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' })
    .ele('http://a9.com/-/spec/opensearch/1.1/', 'OpenSearchDescription')
    .ele('ShortName').txt(siteName.slice(0, 16)).up()
    .ele('Description').txt(`Search ${siteName}: publications on labour migration`).up()
    .ele('InputEncoding').txt('UTF-8').up()
    .ele('OutputEncoding').txt('UTF-8').up()
    .ele('Url', { type: 'text/html', method: 'get', template: absoluteUrl(baseUrl, '/?q={searchTerms}&page={startPage?}') }).up()
    .ele('Url', { type: 'application/atom+xml', template: absoluteUrl(baseUrl, '/feed.atom?q={searchTerms}') }).up()
    .ele('Url', { type: 'application/rss+xml', template: absoluteUrl(baseUrl, '/feed.rss?q={searchTerms}') }).up()
    .ele('Url', { type: 'application/json', template: absoluteUrl(baseUrl, '/api/search?q={searchTerms}&page={startPage?}') }).up()
    .ele('Url', { type: 'application/opensearchdescription+xml', rel: 'self', template: absoluteUrl(baseUrl, '/opensearch.xml') }).up()
    .up();
  return doc.end({ prettyPrint: true });
}

/** Streams one <urlset>: from `offset` in the change order, at most `count` resources (and the home page first). */
async function streamUrlset(res: Response, search: SearchService, baseUrl: string, offset: number, count: number, withHome: boolean): Promise<void> {
  res.type('application/xml; charset=utf-8');
  const pending: string[] = [];
  const xml = createCB({ data: (chunk: string) => pending.push(chunk), prettyPrint: true });
  const flush = async () => {
    const text = pending.join('');
    pending.length = 0;
    await writeChunk(res, text);
  };
  xml.dec({ version: '1.0', encoding: 'UTF-8' }).ele(SITEMAP_NS, 'urlset');
  if (withHome) xml.ele('url').ele('loc').txt(absoluteUrl(baseUrl, '/')).up().ele('changefreq').txt('daily').up().up();
  let after: { changed: string; id: string } | undefined;
  let sent = 0;
  while (sent < count && !res.destroyed) {
    const limit = Math.min(PAGE, count - sent);
    const page = await search.listChanges(after ? { after, limit } : { offset, limit });
    for (const doc of page.documents) {
      xml.ele('url').ele('loc').txt(absoluteUrl(baseUrl, resourceHref(doc.id))).up().ele('lastmod').txt(doc.changed).up().up();
    }
    sent += page.documents.length;
    await flush();
    if (page.documents.length < limit) break;
    const last = page.documents[page.documents.length - 1]!;
    after = { changed: last.changed, id: last.id };
  }
  xml.up().end();
  await flush();
  res.end();
}

export function discoveryRouter(deps: DiscoveryRouteDeps): Router {
  const router = Router();
  const perFile = deps.sitemapMaxUrls ?? SITEMAP_MAX_URLS;

  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain; charset=utf-8').send(robotsTxt(baseUrlOf(res)));
  });

  router.get('/opensearch.xml', (_req, res) => {
    res.type('application/opensearchdescription+xml; charset=utf-8').send(openSearchDescription(baseUrlOf(res), deps.siteName));
  });

  router.get('/sitemap.xml', async (_req, res) => {
    const base = baseUrlOf(res);
    const { total } = await deps.search.listChanges({ limit: 0 });
    // The home page shares the first file with the resources.
    if (total + 1 <= perFile) {
      await streamUrlset(res, deps.search, base, 0, total, true);
      return;
    }
    const files = Math.ceil((total + 1) / perFile);
    const index = create({ version: '1.0', encoding: 'UTF-8' }).ele(SITEMAP_NS, 'sitemapindex');
    for (let n = 1; n <= files; n++) index.ele('sitemap').ele('loc').txt(absoluteUrl(base, `/sitemaps/${n}.xml`)).up().up();
    res.type('application/xml; charset=utf-8').send(index.end({ prettyPrint: true }));
  });

  router.get('/sitemaps/:n.xml', async (req, res) => {
    const n = /^[1-9]\d{0,6}$/.test(req.params.n as string) ? Number(req.params.n) : NaN;
    const { total } = await deps.search.listChanges({ limit: 0 });
    const files = Math.ceil((total + 1) / perFile);
    if (!Number.isInteger(n) || n > files || files <= 1) throw new NotFoundError('There is no such sitemap file.');
    // File 1 holds the home page and perFile - 1 resources; file n the next perFile each.
    const offset = n === 1 ? 0 : perFile - 1 + (n - 2) * perFile;
    await streamUrlset(res, deps.search, baseUrlOf(res), offset, n === 1 ? perFile - 1 : perFile, n === 1);
  });

  return router;
}
