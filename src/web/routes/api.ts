/** The JSON API: the same parameters as the page, the same validation, machine-readable answers. */
import { Router } from 'express';
import type { SearchService } from '../../search/search-service';
import { apiResource, apiSearchResponse } from '../api-model';
import { NotFoundError } from '../errors';
import { openApiDocument } from '../openapi';
import { baseUrlOf } from '../public-url';
import type { LabelLookup } from '../view-models';
import { checkResourceId } from './resource';
import { searchQueryFromRequest } from './search';

export interface ApiRouteDeps {
  search: SearchService;
  labels: LabelLookup;
  siteName?: string;
}

export function apiRouter(deps: ApiRouteDeps): Router {
  const router = Router();

  // Public, read-only data: any site may use it from a browser.
  router.use('/api', (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    next();
  });

  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument(baseUrlOf(res), deps.siteName ?? 'Corridor'));
  });

  router.get('/api/search', async (req, res) => {
    const query = searchQueryFromRequest(req);
    const outcome = await deps.search.search(query);
    res.json(apiSearchResponse(outcome, deps.labels));
  });

  router.get('/api/resources/:id', async (req, res) => {
    const id = req.params.id;
    checkResourceId(id);
    const doc = await deps.search.get(id);
    if (!doc) throw new NotFoundError(`There is no resource with id "${id}".`);
    res.json(apiResource(doc, deps.labels, await deps.search.related(doc)));
  });

  return router;
}
