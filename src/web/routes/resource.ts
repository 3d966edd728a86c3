/** GET /resources/:id — one resource with all its metadata. */
import { Router } from 'express';
import type { SearchService } from '../../search/search-service';
import { BadRequestError, NotFoundError } from '../errors';
import { relatedViews, resourceView, resourceHref, type LabelLookup } from '../view-models';
import { EXPORT_FORMATS } from '../citation/formats';
import { highwireTags, jsonLd, scriptJson, type MetaTag } from '../citation/metadata';
import { baseUrlOf } from '../public-url';
import type { ResourceDocument } from '../../search/types';

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
  labels: LabelLookup;
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

export function resourceRouter(deps: ResourceRouteDeps): Router {
  const router = Router();
  router.get('/resources/:id', async (req, res) => {
    const id = req.params.id;
    checkResourceId(id);
    const doc = await deps.search.get(id);
    if (!doc) throw new NotFoundError('There is no resource with this id. It may have been removed from the library.');
    const related = await deps.search.related(doc);
    res.render('resource', {
      view: resourceView(doc, deps.labels, deps.siteName),
      citation: citationView(doc, deps, baseUrlOf(res)),
      related: relatedViews(related),
    });
  });
  return router;
}
