/**
 * Absolute URLs for canonical links, feeds, sitemaps, OAI-PMH and citation metadata.
 *
 * With CORRIDOR_PUBLIC_URL configured, every absolute URL starts with it, whatever the request
 * says. Without it, the base is derived from the request: its protocol (HTTPS behind a trusted
 * proxy only when CORRIDOR_TRUST_PROXY is on) and its Host header (X-Forwarded-Host likewise).
 * The Host header is the client's to choose, so a value that is not a well-formed host name or
 * address (with an optional port) is replaced by "localhost": a forged header can then at worst
 * produce links to localhost, never links to a host of the attacker's choosing with odd syntax
 * smuggled into a page, a feed or a sitemap.
 */
import type { Request, RequestHandler } from 'express';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/** "https://corridor.example.org" from a configured URL (validated by src/config.ts). */
export function normaliseBaseUrl(url: string): string {
  return new URL(url).origin;
}

export function requestBaseUrl(req: Request): string {
  const protocol = req.protocol === 'https' ? 'https' : 'http';
  // Express reads X-Forwarded-Host (and -Proto) only when 'trust proxy' is set.
  const host = req.host;
  return `${protocol}://${host && HOST.test(host) ? host.toLowerCase() : 'localhost'}`;
}

/** Sets res.locals.baseUrl for every request: the configured public URL, or one derived from the request. */
export function baseUrlMiddleware(configured: string | undefined): RequestHandler {
  const fixed = configured ? normaliseBaseUrl(configured) : undefined;
  return (req, res, next) => {
    res.locals.baseUrl = fixed ?? requestBaseUrl(req);
    next();
  };
}

/** The absolute URL of a site path ("/resources/x") for this request. */
export function absoluteUrl(baseUrl: string, pathAndQuery: string): string {
  return `${baseUrl}${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`;
}

export function baseUrlOf(res: { locals: Record<string, unknown> }): string {
  return String(res.locals.baseUrl ?? 'http://localhost');
}
