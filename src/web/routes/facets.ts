/**
 * Every value of a facet, for the current search:
 * - GET /facets/:name — a page listing them all (A–Z or by count, 100 at a time, a box to narrow
 *   them by name), whose form applies the ticked values to the search. Works without JavaScript.
 * - GET /api/facets/:name — the same as JSON, for the box that finds a value as you type.
 * Both take the search's own parameters, plus `prefix` (a word of the value's name, as typed)
 * and `order` (count or label); the page pages with `page`, the API with `offset` and `limit`.
 */
import { Router, type Request } from 'express';
import { isFacetName } from '../../search/fields';
import { integer, single, toSearchParams, type ParamError } from '../../search/params';
import type { SearchService } from '../../search/search-service';
import type { FacetName, FacetValueOrder } from '../../search/types';
import { apiFacetValues } from '../api-model';
import { BadRequestError, NotFoundError } from '../errors';
import { FACET_PAGE_SIZE, facetPageView } from '../facet-views';
import type { SiteVocabulary } from '../site-vocabulary';
import { parseSearchRequest } from './search';

export const MAX_PREFIX_LENGTH = 100;
const API_DEFAULT_LIMIT = 20;
export const API_MAX_LIMIT = 100;
/** Beyond any facet's number of values (src/search/ports.ts MAX_FACET_VALUES). */
export const MAX_OFFSET = 10_000;

/** The parameters of these routes that are not the search's. */
const OWN_PARAMS = ['prefix', 'order', 'offset', 'limit'] as const;

interface ValuesRequest {
  facet: FacetName;
  prefix?: string;
  order: FacetValueOrder;
}

function queryOf(req: Request): Record<string, unknown> {
  return req.query as Record<string, unknown>;
}

function facetOf(req: Request): FacetName {
  const name = String(req.params.name ?? '');
  if (!isFacetName(name)) throw new NotFoundError('There is no such filter.');
  return name;
}

/** The facet, prefix and order; `errors` collects what is wrong with them. */
function valuesRequest(req: Request, errors: ParamError[]): ValuesRequest {
  const facet = facetOf(req);
  const prefix = single(queryOf(req), 'prefix', errors);
  if (prefix !== undefined && prefix.length > MAX_PREFIX_LENGTH) {
    errors.push({ param: 'prefix', message: `prefix is ${prefix.length} characters long; the limit is ${MAX_PREFIX_LENGTH}` });
  }
  const order = single(queryOf(req), 'order', errors) ?? 'count';
  if (order !== 'count' && order !== 'label') errors.push({ param: 'order', message: 'order must be "count" or "label"' });
  return { facet, prefix, order: order === 'label' ? 'label' : 'count' };
}

/** The search's parameters: the request's, without this route's own (the page's `page` pages the values). */
function searchParamsOf(req: Request, withoutPage: boolean): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  for (const name of OWN_PARAMS) delete raw[name];
  if (withoutPage) delete raw.page;
  return raw;
}

export interface FacetRouteDeps {
  search: SearchService;
  labels: SiteVocabulary;
  siteName: string;
}

export function facetsRouter(deps: FacetRouteDeps): Router {
  const router = Router();

  router.get('/facets/:name', async (req, res) => {
    const errors: ParamError[] = [];
    const values = valuesRequest(req, errors);
    const page = integer(queryOf(req), 'page', errors, 1, Math.ceil(MAX_OFFSET / FACET_PAGE_SIZE)) ?? 1;
    if (errors.length > 0) throw new BadRequestError(errors, { retryHref: `/facets/${values.facet}` });
    const { query } = parseSearchRequest(req, searchParamsOf(req, true));
    const result = await deps.search.facetValues({
      ...values,
      query,
      offset: (page - 1) * FACET_PAGE_SIZE,
      limit: FACET_PAGE_SIZE,
    });
    const view = facetPageView({
      ...values,
      prefix: values.prefix ?? '',
      query,
      page,
      total: result.total,
      values: result.values,
      vocab: deps.labels,
      siteName: deps.siteName,
      searchParams: toSearchParams({ ...query, page: 1 }),
    });
    res.render('facet', { view });
  });

  router.get('/api/facets/:name', async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    const errors: ParamError[] = [];
    const values = valuesRequest(req, errors);
    const offset = integer(queryOf(req), 'offset', errors, 0, MAX_OFFSET) ?? 0;
    const limit = integer(queryOf(req), 'limit', errors, 1, API_MAX_LIMIT) ?? API_DEFAULT_LIMIT;
    if (errors.length > 0) throw new BadRequestError(errors);
    const { query } = parseSearchRequest(req, searchParamsOf(req, false));
    const request = { ...values, query, offset, limit };
    const result = await deps.search.facetValues(request);
    res.json(apiFacetValues(result, request, deps.labels));
  });

  return router;
}
