/** GET /resources/:id — one resource with all its metadata. */
import { Router } from 'express';
import type { SearchService } from '../../search/search-service';
import { BadRequestError, NotFoundError } from '../errors';
import { resourceView, type LabelLookup } from '../view-models';

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

export function resourceRouter(deps: ResourceRouteDeps): Router {
  const router = Router();
  router.get('/resources/:id', async (req, res) => {
    const id = req.params.id;
    checkResourceId(id);
    const doc = await deps.search.get(id);
    if (!doc) throw new NotFoundError('There is no resource with this id. It may have been removed from the library.');
    res.render('resource', { view: resourceView(doc, deps.labels, deps.siteName) });
  });
  return router;
}
