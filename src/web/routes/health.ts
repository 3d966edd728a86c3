/**
 * GET /health — for load balancers and uptime checks: 200 when the engine answers, 503 with the
 * reason when it does not. Never cached, never rendered as HTML.
 */
import { Router } from 'express';
import type { Logger } from 'pino';
import type { SearchService } from '../../search/search-service';
import type { ApiHealth } from '../api-model';

/** Declared with the API's other shapes (and described by its OpenAPI document). */
export type HealthBody = ApiHealth;

export function healthRouter(deps: { search: SearchService; logger: Logger }): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    let body: HealthBody;
    try {
      const health = await deps.search.health();
      if (!health.ok) {
        body = { status: 'unavailable', engine: health.engine, reason: health.detail };
      } else {
        const status = await deps.search.status();
        body = { status: 'ok', engine: status.engine, documents: status.documents };
      }
    } catch (err) {
      deps.logger.warn({ err }, 'health check failed');
      body = { status: 'unavailable', engine: deps.search.engineName, reason: 'the engine did not answer the health check' };
    }
    res.status(body.status === 'ok' ? 200 : 503).json(body);
  });
  return router;
}
