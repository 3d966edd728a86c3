/** GET / — the search page. With no parameters it is the "latest resources" listing. */
import { Router, type Request, type RequestHandler } from 'express';
import { parseSearchParams, type FacetValueCheck, type ParamNotice } from '../../search/params';
import type { SearchService } from '../../search/search-service';
import type { SearchQuery } from '../../search/types';
import { BadRequestError, type ParamError } from '../errors';
import { movedGroupingsHref, type SiteVocabulary } from '../site-vocabulary';
import { searchPageView } from '../view-models';

/** Where createApp keeps the check of facet values (app.locals), so every route that reads a search applies it. */
const VALUE_CHECK = 'knownFacetValue';

export function setFacetValueCheck(locals: Record<string, unknown>, check: FacetValueCheck): void {
  locals[VALUE_CHECK] = check;
}

/** The check createApp set up (none in an app built without a vocabulary). */
export function facetValueCheckOf(req: Request): FacetValueCheck | undefined {
  return req.app.locals[VALUE_CHECK] as FacetValueCheck | undefined;
}

/** The request's search parameters parsed, with what was read differently (notices), or a 400. */
export function parseSearchRequest(
  req: Request,
  raw: Record<string, unknown> = req.query as Record<string, unknown>,
): { query: SearchQuery; notices: ParamNotice[] } {
  const parsed = parseSearchParams(raw, { knownValue: facetValueCheckOf(req) });
  if (parsed.ok) return { query: parsed.query, notices: parsed.notices };
  throw new BadRequestError(parsed.errors, { retryHref: hrefWithout(req.path, raw, parsed.errors) });
}

/**
 * The request's search parameters as a SearchQuery, or a 400 naming every bad parameter with a
 * link to the same search without them. Shared by the page and the API, so a URL means the
 * same in both. (Malformed percent-encodings are rejected earlier, by the app's query parser.)
 */
export function searchQueryFromRequest(req: Request): SearchQuery {
  return parseSearchRequest(req).query;
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

/**
 * Links made before blocs and processes had a facet of their own (region=asean) keep working:
 * a permanent redirect to the same address with grouping=asean.
 */
export function movedGroupingsRedirect(vocab: SiteVocabulary): RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.query.region === undefined) return next();
    const moved = movedGroupingsHref(req.path, req.query as Record<string, unknown>, vocab);
    if (moved) res.redirect(301, moved);
    else next();
  };
}

export interface SearchRouteDeps {
  search: SearchService;
  labels: SiteVocabulary;
  siteName: string;
}

export function searchRouter(deps: SearchRouteDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { query, notices } = parseSearchRequest(req);
    const outcome = await deps.search.search(query);
    const view = searchPageView(outcome, deps.labels, deps.siteName, notices);
    res.render('search', { view });
  });
  return router;
}
