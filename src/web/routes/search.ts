/** GET / — the search page. With no parameters it is the "latest resources" listing. */
import { Router, type Request } from 'express';
import { parseSearchParams } from '../../search/params';
import type { SearchService } from '../../search/search-service';
import type { SearchQuery } from '../../search/types';
import { BadRequestError, type ParamError } from '../errors';
import { searchPageView, type LabelLookup } from '../view-models';

/**
 * The request's search parameters as a SearchQuery, or a 400 naming every bad parameter with a
 * link to the same search without them. Shared by the page and the API, so a URL means the
 * same in both. (Malformed percent-encodings are rejected earlier, by the app's query parser.)
 */
export function searchQueryFromRequest(req: Request): SearchQuery {
  const raw = req.query as Record<string, unknown>;
  const parsed = parseSearchParams(raw);
  if (parsed.ok) return parsed.query;
  throw new BadRequestError(parsed.errors, { retryHref: hrefWithout(req.path, raw, parsed.errors) });
}

function hrefWithout(path: string, raw: Record<string, unknown>, errors: ParamError[]): string {
  const bad = new Set(errors.map((e) => e.param));
  const kept = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) {
    if (bad.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) kept.append(name, String(v));
  }
  // The API's retry link points at the page: a person reads error pages, a program reads params.
  const target = path.startsWith('/api/') ? '/' : path;
  const qs = kept.toString();
  return qs === '' ? target : `${target}?${qs}`;
}

export interface SearchRouteDeps {
  search: SearchService;
  labels: LabelLookup;
  siteName: string;
}

export function searchRouter(deps: SearchRouteDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = searchQueryFromRequest(req);
    const outcome = await deps.search.search(query);
    const view = searchPageView(outcome, deps.labels, deps.siteName);
    res.render('search', { view });
  });
  return router;
}
