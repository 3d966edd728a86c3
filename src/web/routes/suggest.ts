/** GET /api/suggest — suggestions for what is being typed in a search box (see src/search/suggest.ts). */
import { Router } from 'express';
import { parseSuggestParams } from '../../search/params';
import type { SearchService } from '../../search/search-service';
import { DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS } from '../../search/suggest';
import { apiSuggestion, type ApiSuggestResponse } from '../api-model';
import { BadRequestError } from '../errors';

/** Typing the same letters again (or in another tab) is answered by the browser for a minute. */
const CACHE_SECONDS = 60;

export function suggestRouter(deps: { search: SearchService }): Router {
  const router = Router();
  router.get('/api/suggest', async (req, res) => {
    const parsed = parseSuggestParams(req.query as Record<string, unknown>, DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS);
    if (!parsed.ok) throw new BadRequestError(parsed.errors);
    const suggestions = await deps.search.suggest(parsed.text, parsed.limit);
    const body: ApiSuggestResponse = { q: parsed.text, suggestions: suggestions.map(apiSuggestion) };
    res.setHeader('Cache-Control', `public, max-age=${CACHE_SECONDS}`);
    res.json(body);
  });
  return router;
}
