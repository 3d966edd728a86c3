/**
 * Citation export: the current search (`/export.ris?…` with the search page's parameters) or one
 * resource (`/resources/:id/export.ris`), as RIS, BibTeX, CSL-JSON or CSV. `scope=page` (the
 * default) exports the page the parameters describe; `scope=all` the whole result in its order,
 * up to EXPORT_LIMIT records, streamed a page at a time.
 */
import { Router, type Request, type Response } from 'express';
import type { SearchService } from '../../search/search-service';
import type { ResourceDocument } from '../../search/types';
import { EXPORT_FORMATS, EXPORT_LIMIT, type ExportFormat } from '../citation/formats';
import type { ExportContext } from '../citation/common';
import { BadRequestError, NotFoundError } from '../errors';
import { baseUrlOf } from '../public-url';
import { writeChunk } from '../streaming';
import type { LabelLookup } from '../view-models';
import { checkResourceId } from './resource';
import { searchQueryFromRequest } from './search';


export interface ExportRouteDeps {
  search: SearchService;
  labels: LabelLookup;
  siteName: string;
}

function exportContext(res: Response, deps: ExportRouteDeps): ExportContext {
  return { baseUrl: baseUrlOf(res), labels: deps.labels, siteName: deps.siteName };
}

function startFile(res: Response, format: ExportFormat, filename: string): void {
  res.status(200);
  res.setHeader('Content-Type', format.mediaType);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}.${format.extension}"`);
  res.setHeader('X-Robots-Tag', 'noindex');
}

async function sendFile(res: Response, format: ExportFormat, ctx: ExportContext, docs: AsyncIterable<ResourceDocument> | ResourceDocument[]): Promise<void> {
  const writer = format.writer(ctx);
  await writeChunk(res, writer.head);
  for await (const doc of docs) {
    if (res.destroyed) return;
    await writeChunk(res, writer.item(doc));
  }
  await writeChunk(res, writer.tail);
  res.end();
}

function scopeOf(req: Request): 'page' | 'all' {
  const scope = req.query.scope;
  if (scope === undefined || scope === 'page') return 'page';
  if (scope === 'all') return 'all';
  throw new BadRequestError([{ param: 'scope', message: 'scope must be "page" or "all"' }]);
}

/** A file name made of the id's safe characters. */
function fileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'resource';
}

export function exportRouter(deps: ExportRouteDeps): Router {
  const router = Router();
  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format.extension}`, async (req, res) => {
      const scope = scopeOf(req);
      // `scope` is not a search parameter; the search parser ignores names it does not know.
      const query = searchQueryFromRequest(req);
      const ctx = exportContext(res, deps);
      if (scope === 'page') {
        // The page is fetched before the headers go out, so an engine failure is still a clean 503.
        const { result } = await deps.search.search(query, { facets: false });
        startFile(res, format, 'corridor-results');
        await sendFile(res, format, ctx, result.hits.map((h) => h.document));
        return;
      }
      const results = deps.search.results({ ...query, page: 1 }, EXPORT_LIMIT)[Symbol.asyncIterator]();
      const first = await results.next();
      startFile(res, format, 'corridor-results');
      await sendFile(res, format, ctx, (async function* () {
        if (!first.done) yield first.value;
        for (let next = await results.next(); !next.done; next = await results.next()) yield next.value;
      })());
    });

    router.get(`/resources/:id/export.${format.extension}`, async (req, res) => {
      const id = req.params.id as string;
      checkResourceId(id);
      const doc = await deps.search.get(id);
      if (!doc) throw new NotFoundError('There is no resource with this id. It may have been removed from the library.');
      startFile(res, format, fileName(id));
      await sendFile(res, format, exportContext(res, deps), [doc]);
    });
  }
  return router;
}
