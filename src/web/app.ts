/**
 * createApp: the whole web application as a value. It never listens: src/main.ts (and the
 * tests, on port 0) decide where it runs and when it stops.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import querystring from 'node:querystring';
import compression from 'compression';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { SearchService } from '../search/search-service';
import { BadRequestError, errorHandler, notFoundHandler, type ParamError } from './errors';
import { baseUrlMiddleware } from './public-url';
import { apiRouter } from './routes/api';
import { discoveryRouter } from './routes/discovery';
import { exportRouter } from './routes/export';
import { feedRouter } from './routes/feed';
import { oaiRouter } from './oai/oai-router';
import { facetsRouter } from './routes/facets';
import { healthRouter } from './routes/health';
import { resourceRouter } from './routes/resource';
import { movedGroupingsRedirect, searchRouter, setFacetValueCheck } from './routes/search';
import { suggestRouter } from './routes/suggest';
import { facetValueCheck, type SiteVocabulary } from './site-vocabulary';

/** A router mounted by the composition root, e.g. the staff console (issue 5). */
export interface MountedRouter {
  /** Mount path, e.g. "/admin". */
  path: string;
  /** Its own body parsers, sessions and CSRF checks go inside: public pages need none of them. */
  router: RequestHandler;
}

export interface AppDeps {
  search: SearchService;
  /** Labels, the facet values that exist, and the UN M49 hierarchy (the vocabulary). */
  labels: SiteVocabulary;
  logger: Logger;
  config: {
    siteName?: string;
    /** true behind one reverse proxy (trusts X-Forwarded-* from the nearest hop only). */
    trustProxy?: boolean;
    /** The public origin for absolute URLs (CORRIDOR_PUBLIC_URL); derived from each request when absent. */
    publicUrl?: string;
    /** Key of OAI-PMH resumption tokens (CORRIDOR_TOKEN_SECRET); random per process when absent. */
    tokenSecret?: string;
    /** Addresses per sitemap file (default: the protocol's 50,000). */
    sitemapMaxUrls?: number;
    /** Records per OAI-PMH list response (default 100). */
    oaiPageSize?: number;
    /** OAI-PMH Identify's adminEmail (CORRIDOR_ADMIN_EMAIL). */
    adminEmail?: string;
    /** Override where views/ and public/ are (default: found from the project root). */
    viewsDir?: string;
    publicDir?: string;
  };
  /** Mounted after the public routes and before the 404 handler, so they share the error pages. */
  extraRouters?: MountedRouter[];
}

/** The directory holding package.json, views/ and public/, from src/web or dist/src/web alike. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'views'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..', '..');
    dir = parent;
  }
}

const MAX_QUERY_PAIRS = 200;

function strictDecode(component: string): string | undefined {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The query-string parser for the whole app. Express's default ("simple", node:querystring)
 * silently turns a malformed percent-encoding into U+FFFD or leaves a lone "%" in place, so
 * `?q=%E0%A4%A` would search for garbage. This one decodes strictly and answers 400 naming each
 * parameter whose name or value is malformed, with a link to the same URL without them.
 * Repeated parameters become arrays, like the default; the result has no prototype, so names
 * such as "__proto__" are plain keys.
 */
export function strictQueryParser(queryString: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (!queryString) return out;
  const pairs = queryString.split('&').filter((p) => p !== '');
  if (pairs.length > MAX_QUERY_PAIRS) {
    throw new BadRequestError([{ param: 'query', message: `the address has ${pairs.length} parameters; the limit is ${MAX_QUERY_PAIRS}` }]);
  }
  const bad: ParamError[] = [];
  const kept: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const name = strictDecode(rawName);
    const value = strictDecode(eq === -1 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined) {
      // A lenient decode, for the message only: the name is shown (escaped), never used.
      const param = name ?? querystring.unescape(rawName);
      bad.push({ param, message: `${param} contains a malformed percent-encoding (a "%" must be followed by two hex digits forming valid UTF-8)` });
      continue;
    }
    kept.push(pair);
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  if (bad.length > 0) {
    throw new BadRequestError(bad, { retryHref: kept.length > 0 ? `?${kept.join('&')}` : '?' });
  }
  return out;
}

function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = { reqId: id, method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) logger.warn(entry, 'request failed');
      else logger.info(entry, 'request');
    });
    next();
  };
}

/**
 * The files of public/ (styles, scripts, icons). Only requests under one of its top-level names
 * reach the file system: every other request (searches, the API) would otherwise cost a stat()
 * of a file that is not there before its route runs.
 */
function staticFiles(dir: string): RequestHandler {
  const serve = express.static(dir, { index: false, maxAge: '1h', fallthrough: true });
  const names = new Set(existsSync(dir) ? readdirSync(dir) : []);
  return (req, res, next) => {
    const first = req.path.split('/')[1] ?? '';
    if (names.has(first)) serve(req, res, next);
    else next();
  };
}

export function createApp(deps: AppDeps): express.Application {
  const { search, labels, logger, config } = deps;
  const siteName = config.siteName?.trim() || 'Corridor';
  const root = projectRoot();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('query parser', strictQueryParser);
  app.set('views', config.viewsDir ?? path.join(root, 'views'));
  app.set('view engine', 'ejs');
  app.locals.siteName = siteName;
  // Every route that reads a search refuses facet values that do not exist (routes/search.ts).
  setFacetValueCheck(app.locals, facetValueCheck(labels));

  app.use(requestLogger(logger));
  app.use(baseUrlMiddleware(config.publicUrl));
  // Pages and JSON compress to a fifth or less; Express already sends weak ETags for them, so a
  // repeat visit to an unchanged page is a 304.
  app.use(compression());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // No upgrade-insecure-requests: it breaks plain-HTTP use on a LAN address; HTTPS
          // deployments get HSTS from helmet and can add it at the proxy.
        },
      },
      // Visitors follow links to publishers; telling them which search led there leaks queries.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use(staticFiles(config.publicDir ?? path.join(root, 'public')));

  app.use(healthRouter({ search, logger }));
  app.use(movedGroupingsRedirect(labels));
  app.use(searchRouter({ search, labels, siteName }));
  app.use(resourceRouter({ search, labels, siteName }));
  app.use(facetsRouter({ search, labels, siteName }));
  app.use(apiRouter({ search, labels, siteName }));
  app.use(suggestRouter({ search }));
  app.use(feedRouter({ search, labels, siteName }));
  app.use(exportRouter({ search, labels, siteName }));
  app.use(discoveryRouter({ search, siteName, sitemapMaxUrls: config.sitemapMaxUrls }));
  app.use(oaiRouter({ search, labels, siteName, tokenSecret: config.tokenSecret, pageSize: config.oaiPageSize, adminEmail: config.adminEmail }));
  for (const extra of deps.extraRouters ?? []) app.use(extra.path, extra.router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
