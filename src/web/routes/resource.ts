/** GET /resources/:id — one resource with all its metadata, and the way back to the results it was opened from. */
import { Router, type Request } from 'express';
import { parseSearchParams } from '../../search/params';
import type { SearchService } from '../../search/search-service';
import type { ResourceDocument } from '../../search/types';
import { BadRequestError, NotFoundError } from '../errors';
import { relatedViews, resourceView, resourceHref, searchHeading } from '../view-models';
import { EXPORT_FORMATS } from '../citation/formats';
import { highwireTags, jsonLd, scriptJson, type MetaTag } from '../citation/metadata';
import { baseUrlOf } from '../public-url';
import { neighbourWindow, readResultContext, resultNavView, type ResultContext, type ResultNavView } from '../result-context';
import type { SiteVocabulary } from '../site-vocabulary';
import { facetValueCheckOf } from './search';

const MAX_ID_LENGTH = 300;

/** Ids are opaque, but an id no record can have is a bad request, not a lookup. */
export function checkResourceId(id: string): void {
  if (id.length > MAX_ID_LENGTH) {
    throw new BadRequestError([{ param: 'id', message: `id is ${id.length} characters long; the limit is ${MAX_ID_LENGTH}` }]);
  }
  if (/[\u0000-\u001f\u007f]/.test(id) || id.trim() === '') {
    throw new BadRequestError([{ param: 'id', message: 'id contains characters that are not allowed' }]);
  }
}

export interface ResourceRouteDeps {
  search: SearchService;
  labels: SiteVocabulary;
  siteName: string;
}

/** The resource page's citation metadata (in its <head>) and export links. */
export interface CitationView {
  metaTags: MetaTag[];
  /** Escaped for an inline script element (see scriptJson). */
  jsonLd: string;
  exports: { label: string; href: string }[];
}

function citationView(doc: ResourceDocument, deps: ResourceRouteDeps, baseUrl: string): CitationView {
  const ctx = { baseUrl, labels: deps.labels, siteName: deps.siteName };
  return {
    metaTags: highwireTags(doc, ctx),
    jsonLd: scriptJson(jsonLd(doc, ctx)),
    exports: EXPORT_FORMATS.map((f) => ({ label: f.label, href: `${resourceHref(doc.id)}/export.${f.extension}` })),
  };
}

/**
 * The results the resource was opened from, and its neighbours in them. One search fetches the
 * positions around it; when the list changed meanwhile (a reindex) and no longer holds this
 * resource there, the way back is still offered, without previous and next.
 */
async function navigation(search: SearchService, context: ResultContext, doc: ResourceDocument): Promise<ResultNavView> {
  const window = neighbourWindow(context.position);
  const { result } = await search.search({ ...context.query, page: window.page, size: window.size }, { facets: false });
  const here = result.hits[window.index];
  const stillThere = here?.id === doc.id;
  const neighbour = (offset: number) => {
    const hit = stillThere ? result.hits[window.index + offset] : undefined;
    return hit && { id: hit.id, title: hit.document.title.trim() || 'Untitled' };
  };
  return resultNavView({
    context,
    total: result.total,
    prev: context.position > 1 ? neighbour(-1) : undefined,
    next: neighbour(1),
    searchLabel: searchHeading(context.query),
  });
}

function contextOf(req: Request): ResultContext | undefined {
  const knownValue = facetValueCheckOf(req);
  return readResultContext(req.query as Record<string, unknown>, (raw) => parseSearchParams(raw, { knownValue }));
}

export function resourceRouter(deps: ResourceRouteDeps): Router {
  const router = Router();
  router.get('/resources/:id', async (req, res) => {
    const id = req.params.id;
    checkResourceId(id);
    const doc = await deps.search.get(id);
    if (!doc) throw new NotFoundError('There is no resource with this id. It may have been removed from the library.');
    const context = contextOf(req);
    const [nav, related] = await Promise.all([context ? navigation(deps.search, context, doc) : undefined, deps.search.related(doc)]);
    res.render('resource', {
      view: resourceView(doc, deps.labels, deps.siteName),
      citation: citationView(doc, deps, baseUrlOf(res)),
      nav,
      related: relatedViews(related),
    });
  });
  return router;
}
