/**
 * The web layer's one error family and its one error middleware. Routes throw (or reject
 * with) these; everything else that reaches the middleware is treated as a bug and answered
 * with a plain 500 and a reference id that is logged with the full error. No response ever
 * carries a stack trace or an internal message.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ParamError } from '../search/params';

export type { ParamError };

export interface HttpErrorOptions {
  /** The parameters at fault, each with what was wrong (400s). */
  params?: ParamError[];
  /** A link that gets the visitor going again (e.g. the same search without the bad parameters). */
  retryHref?: string;
  /** Extra response headers, e.g. Retry-After on a 503. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An error whose status and message are safe to show to the visitor. */
export class HttpError extends Error {
  readonly status: number;
  readonly publicMessage: string;
  readonly params: ParamError[];
  readonly retryHref?: string;
  readonly headers: Record<string, string>;

  constructor(status: number, publicMessage: string, options: HttpErrorOptions = {}) {
    super(publicMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.publicMessage = publicMessage;
    this.params = options.params ?? [];
    this.retryHref = options.retryHref;
    this.headers = options.headers ?? {};
  }
}

export class BadRequestError extends HttpError {
  constructor(params: ParamError[], options: Omit<HttpErrorOptions, 'params'> = {}) {
    const names = [...new Set(params.map((p) => p.param))];
    const message =
      names.length === 0
        ? 'The request is not valid.'
        : `Some parameters are not valid: ${names.join(', ')}.`;
    super(400, message, { ...options, params });
    this.name = 'BadRequestError';
  }
}

export class NotFoundError extends HttpError {
  constructor(publicMessage = 'There is no page at this address.', options: HttpErrorOptions = {}) {
    super(404, publicMessage, options);
    this.name = 'NotFoundError';
  }
}

export class ServiceUnavailableError extends HttpError {
  constructor(
    publicMessage = 'The search index is not available at the moment. Please try again in a minute.',
    options: HttpErrorOptions = {},
  ) {
    super(503, publicMessage, { ...options, headers: { 'Retry-After': '30', ...options.headers } });
    this.name = 'ServiceUnavailableError';
  }
}

/**
 * Errors that mean "the engine can't answer now" rather than "we have a bug". Engines should
 * throw an error named EngineUnavailableError (or set `unavailable: true`); the others are what
 * the Elasticsearch client and SQLite raise when the cluster is down or the file is locked/missing.
 */
const UNAVAILABLE_NAMES = new Set(['EngineUnavailableError', 'ConnectionError', 'NoLivingConnectionsError', 'TimeoutError']);
const UNAVAILABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'ECONNREFUSED']);

export function isEngineUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown; unavailable?: unknown };
  return (
    e.unavailable === true ||
    (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) ||
    (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code))
  );
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Sign-in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request not accepted');
}

/**
 * Maps anything thrown into an HttpError. Errors from Express and its helpers (router, static,
 * body parsers) carry a 4xx `status`; their messages may echo internals, so only the status is kept.
 */
function toHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (isEngineUnavailable(err)) return new ServiceUnavailableError(undefined, { cause: err });
  if (typeof err === 'object' && err !== null) {
    const e = err as { status?: unknown; statusCode?: unknown };
    const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      if (err instanceof URIError) {
        // The router failed to decode a path segment such as /resources/%E0%A4%A.
        return new BadRequestError([{ param: 'path', message: 'the address contains a malformed percent-encoding' }]);
      }
      return new HttpError(status, statusTitle(status) + '.');
    }
  }
  return null;
}

/** JSON for API clients and machine endpoints; HTML for everything else. */
export function wantsJson(req: Request): boolean {
  // A router can claim JSON errors for its requests (the staff area does for /staff/api/*).
  if ((req.res?.locals as { jsonErrors?: unknown } | undefined)?.jsonErrors === true) return true;
  if (req.path.startsWith('/api/') || req.path === '/api' || req.path === '/health') return true;
  return req.accepts(['html', 'json']) === 'json';
}

export interface ErrorBody {
  error: { status: number; message: string; params: ParamError[]; id?: string };
}

/** The 404 for every address no router claimed. Mount after all routers. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new NotFoundError(
      wantsJson(req) ? `No API endpoint at ${req.path}.` : 'There is no page at this address.',
    ),
  );
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Nothing sensible can be sent now; Express closes the connection.
      logger.error({ err, url: req.originalUrl }, 'error after the response had started');
      next(err);
      return;
    }

    let httpError = toHttpError(err);
    let errorId: string | undefined;
    if (httpError === null) {
      errorId = randomUUID();
      logger.error({ err, errorId, method: req.method, url: req.originalUrl }, 'unhandled error');
      httpError = new HttpError(500, 'Something went wrong on our side. Please try again later.');
    } else if (httpError.status >= 500) {
      errorId = randomUUID();
      const cause = httpError === err ? undefined : (err as { message?: unknown; misconfiguration?: unknown });
      if (cause?.misconfiguration === true) {
        // Not a passing outage: the engine refuses this deployment until an operator fixes it.
        logger.error({ err, errorId, url: req.originalUrl, status: httpError.status }, `search engine refused the portal: ${String(cause.message)}`);
      } else {
        logger.warn({ err, errorId, url: req.originalUrl, status: httpError.status }, httpError.publicMessage);
      }
    }

    sendError(req, res, httpError, errorId, logger);
  };
}

function sendError(req: Request, res: Response, error: HttpError, errorId: string | undefined, logger: Logger): void {
  res.status(error.status);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  // Error pages must never be cached as if they were the resource.
  res.setHeader('Cache-Control', 'no-store');

  if (wantsJson(req)) {
    const body: ErrorBody = { error: { status: error.status, message: error.publicMessage, params: error.params } };
    if (errorId) body.error.id = errorId;
    res.json(body);
    return;
  }

  const locals = {
    status: error.status,
    title: statusTitle(error.status),
    message: error.publicMessage,
    params: error.params,
    retryHref: error.retryHref,
    errorId,
  };
  res.render('error', locals, (renderErr: Error | null, html?: string) => {
    if (renderErr || html === undefined) {
      // A broken error template must not turn a 400 into an unexplained 500 loop.
      logger.error({ err: renderErr, errorId }, 'error page failed to render');
      res.type('text/plain').send(`${locals.title}\n\n${locals.message}${errorId ? `\nReference: ${errorId}` : ''}\n`);
      return;
    }
    res.type('html').send(html);
  });
}
