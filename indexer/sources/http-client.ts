/**
 * GET for harvests: a timeout per request, retries with exponential back-off and jitter on
 * failures that may pass (network errors, timeouts, 408, 429, 5xx; Retry-After honoured within a
 * bound), a size limit enforced while the body streams in, and errors that say which source,
 * which URL and what went wrong, e.g.
 *   ilo-feed: GET https://example.org/feed failed after 3 attempts: connect ECONNREFUSED 127.0.0.1:80
 *
 * Sources are configured by staff, but what they answer is not: a feed can redirect the harvester
 * anywhere. So (SSRF):
 * - Every connection goes through request-filtering-agent, which checks the address actually
 *   connected to, after DNS resolution, at connect time (a name that resolves to a public address
 *   first and an internal one later gains nothing). Loopback, private, link-local (cloud metadata
 *   at 169.254.169.254), unique-local, CGNAT, IPv4-mapped IPv6 and unspecified addresses are
 *   refused — except the addresses of the source's own configured host, so that a repository on
 *   the intranet (or a test fixture on 127.0.0.1) can be harvested; a redirect from it to another
 *   internal address is still refused.
 * - Redirects are followed here, one by one (at most MAX_REDIRECTS), and on a redirect to another
 *   origin (scheme, host or port) every header the source configures and every credential
 *   (Authorization, Cookie, Proxy-Authorization, user:password in the URL) is dropped.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { canonicalEncoding } from '../records/text-lines';
import type { HttpOptions } from './config';
import { HarvestCancelledError } from './types';

export const USER_AGENT = 'Corridor/0.1';

export interface HttpGetRequest {
  /** Starts every error message. */
  sourceId: string;
  url: string;
  accept?: string;
  options: HttpOptions;
  /** The run's signal: aborts at once, without retrying. */
  signal?: AbortSignal;
  /**
   * The source's configured URL (default: `url`). Only its host's addresses may be internal
   * ones; a next page or a redirect elsewhere must be on the public internet.
   */
  sourceUrl?: string;
  /** DNS resolution (default dns.lookup); tests give their own to play a rebinding name server. */
  lookup?: LookupFunction;
}

export interface HttpResponse {
  /** After redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
  text(): string;
  /** The text, and where bytes had to be replaced (for a warning). */
  decoded(): DecodedBody;
}

export class HttpSourceError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpSourceError';
  }
}

/** A failure of one attempt; `retry` says whether another attempt may succeed. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Credentials in a URL must not end up in run histories and logs. */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString();
  } catch {
    return String(url);
  }
}

export function parseHttpUrl(sourceId: string, url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new HttpSourceError(`${sourceId}: ${JSON.stringify(url)} is not a valid URL`, 0);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new HttpSourceError(`${sourceId}: ${displayUrl(u)} is not an http:// or https:// URL`, 0);
  }
  return u;
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): doubling from `base`, each delay
 * drawn from its upper half so that many harvesters retrying one server spread out without any
 * of them retrying at once. A Retry-After the server sent replaces it, both capped at `max`.
 */
export function backoffDelay(attempt: number, base: number, max: number, random: number, retryAfter?: number): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, max);
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Node's fetch says only "fetch failed"; the useful part ("connect ECONNREFUSED …") is the cause.
 * Read by shape, not instanceof: errors from Node internals may come from another realm (jest's
 * VM contexts), where instanceof Error is false.
 */
export function networkReason(err: unknown): string {
  const outer = (err ?? {}) as ErrorLike;
  let cause = (outer.cause ?? outer) as ErrorLike;
  if (Array.isArray(cause.errors) && cause.errors.length > 0) cause = (cause.errors[0] ?? {}) as ErrorLike;
  if (typeof cause.message === 'string' && cause.message !== '') return cause.message;
  if (typeof cause.code === 'string') return cause.code;
  return typeof outer.message === 'string' ? outer.message : String(err);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HarvestCancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new HarvestCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const CHARSET = /charset\s*=\s*"?([\w.:-]+)"?/i;
const XML_ENCODING = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i;
const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Sent on the first request only, unless the redirect stays on the same origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function bomOf(body: Buffer): { encoding: string; length: number } | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (body[0] === 0xff && body[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (body[0] === 0xfe && body[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

export interface DecodedBody {
  text: string;
  /** Set when bytes were not valid in the encoding and had to be replaced: where, in words. */
  replaced?: string;
}

/**
 * Text of a body, by the precedence of RFC 7303 and the Encoding Standard: a byte order mark,
 * else the charset of Content-Type, else an XML declaration's encoding, else UTF-8.
 */
export function decodeBodyDetailed(body: Buffer, contentType: string | null): DecodedBody {
  const bom = bomOf(body);
  const declared = CHARSET.exec(contentType ?? '')?.[1] ?? XML_ENCODING.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  const encoding = bom?.encoding ?? (declared !== undefined ? canonicalEncoding(declared) : undefined) ?? 'utf-8';
  const bytes = bom ? body.subarray(bom.length) : body;
  if (encoding !== 'utf-8') return { text: iconv.decode(bytes, encoding, { stripBOM: false }) };
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { text };
  const at = text.indexOf('\uFFFD');
  const line = text.slice(0, at).split('\n').length;
  return { text, replaced: `bytes that are not valid UTF-8 were replaced (first on line ${line})` };
}

export function decodeBody(body: Buffer, contentType: string | null): string {
  return decodeBodyDetailed(body, contentType).text;
}

const FILTER_REFUSAL = /^DNS lookup (\S+?)\(.*host:([^)]*)\) is not allowed/;

/** request-filtering-agent's refusal in words for the run history. */
function refusal(err: unknown, target: URL): AttemptError | undefined {
  const message = (err as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return undefined;
  const m = FILTER_REFUSAL.exec(message);
  if (m === null) return undefined;
  const address = m[1]!;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const who = host === address || m[2] === 'undefined' ? address : `${host} (${address})`;
  return new AttemptError(
    `refused to connect to ${who}: a loopback, private, link-local, metadata or other internal address ` +
      "(only the source's own configured host may be one)",
    false,
  );
}

/** The addresses of the source's own host: the only internal addresses requests may go to. */
async function trustedAddresses(sourceUrl: URL, lookup: LookupFunction | undefined): Promise<string[]> {
  const host = sourceUrl.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) !== 0) return [host];
  const resolve = lookup ?? (dns.lookup as unknown as LookupFunction);
  return new Promise((done) => {
    resolve(host, { all: true }, (err: unknown, addresses: unknown) => {
      if (err || !Array.isArray(addresses)) done([]);
      else done((addresses as { address: string }[]).map((a) => a.address));
    });
  });
}

interface Hop {
  response: http.IncomingMessage;
  url: URL;
}

function requestOnce(url: URL, headers: Record<string, string>, signal: AbortSignal, agent: http.Agent, lookup?: LookupFunction): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? https.request : http.request;
    const request = send(url, { method: 'GET', headers, agent, signal, ...(lookup ? { lookup } : {}) }, resolve);
    request.on('error', reject);
    request.end();
  });
}

/** GET with redirects followed by hand: each hop checked, credentials kept to their origin. */
async function follow(request: HttpGetRequest, start: URL, firstHeaders: Record<string, string>, signal: AbortSignal): Promise<Hop> {
  const trusted = await trustedAddresses(new URL(request.sourceUrl ?? request.url), request.lookup);
  const filter = { allowIPAddressList: trusted, keepAlive: false };
  const agents = { http: new RequestFilteringHttpAgent(filter), https: new RequestFilteringHttpsAgent(filter) };
  const configured = Object.keys(lowerCaseKeys(request.options.headers));
  let headers = firstHeaders;
  let url = start;
  try {
    for (let hops = 0; ; hops++) {
      let response: http.IncomingMessage;
      try {
        response = await requestOnce(url, headers, signal, url.protocol === 'https:' ? agents.https : agents.http, request.lookup);
      } catch (err) {
        throw refusal(err, url) ?? err;
      }
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined) return { response, url };
      response.resume();
      if (hops >= MAX_REDIRECTS) throw new AttemptError(`more than ${MAX_REDIRECTS} redirects`, false, response.statusCode);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new AttemptError(`redirected to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`, false, response.statusCode);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new AttemptError(`redirected to a ${next.protocol} URL, which is not followed`, false, response.statusCode);
      }
      if (next.origin !== url.origin) {
        const drop = new Set([...CREDENTIAL_HEADERS, ...configured]);
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name)));
      }
      next.username = '';
      next.password = '';
      url = next;
    }
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }
}

function decompressed(response: http.IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = zlib.createGunzip();
  else if (encoding === 'deflate') decoder = zlib.createInflate();
  else if (encoding === 'br') decoder = zlib.createBrotliDecompress();
  if (decoder === undefined) return response;
  response.on('error', (err) => decoder.destroy(err));
  return response.pipe(decoder);
}

async function readLimited(response: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const status = response.statusCode;
  const tooLarge = () => new AttemptError(`the response is larger than the limit of ${maxBytes} bytes`, false, status);
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const body = decompressed(response);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      total += bytes.length;
      // Counted as the bytes arrive (after decompression): a server that lies about or omits
      // Content-Length, or a compressed bomb, is cut off here rather than filling memory.
      if (total > maxBytes) throw tooLarge();
      chunks.push(bytes);
    }
  } catch (err) {
    if (err instanceof AttemptError) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new AttemptError(`the response body could not be decompressed (${(err as Error).message})`, false, status);
    }
    throw err;
  } finally {
    body.destroy();
    response.destroy();
  }
  return Buffer.concat(chunks, total);
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

async function attempt(request: HttpGetRequest, url: URL): Promise<HttpResponse> {
  const { options } = request;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    'accept-encoding': 'gzip, deflate, br',
    ...lowerCaseKeys(options.headers),
  };
  if (request.accept !== undefined && headers.accept === undefined) headers.accept = request.accept;
  // "https://user:pass@host/feed" means Basic auth (for that origin only: see follow()).
  const target = new URL(url);
  if (target.username || target.password) {
    headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  try {
    const { response, url: final } = await follow(request, target, headers, signal);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      response.destroy();
      const reason = `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
      const retry = isRetryableStatus(status);
      const retryAfter = response.headers['retry-after'];
      throw new AttemptError(reason, retry, status, retry ? retryAfterMs(typeof retryAfter === 'string' ? retryAfter : null) : undefined);
    }
    const body = await readLimited(response, options.maxBytes);
    const contentType = response.headers['content-type'] ?? null;
    return {
      url: final.toString(),
      status,
      headers: toHeaders(response.headers),
      body,
      text: () => decodeBody(body, contentType),
      decoded: () => decodeBodyDetailed(body, contentType),
    };
  } catch (err) {
    if (err instanceof AttemptError) throw err;
    if (request.signal?.aborted) throw new HarvestCancelledError();
    if (timeout.aborted) throw new AttemptError(`no complete response within ${options.timeoutMs} ms`, true);
    throw new AttemptError(networkReason(err), true);
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** GETs `request.url`, retrying what may pass; throws HttpSourceError or HarvestCancelledError. */
export async function httpGet(request: HttpGetRequest, random: () => number = Math.random): Promise<HttpResponse> {
  const url = parseHttpUrl(request.sourceId, request.url);
  const attempts = request.options.retries + 1;
  for (let n = 1; ; n++) {
    if (request.signal?.aborted) throw new HarvestCancelledError();
    try {
      return await attempt(request, url);
    } catch (err) {
      if (!(err instanceof AttemptError)) throw err;
      if (!err.retry || n >= attempts) {
        const tries = n === 1 ? 'failed' : `failed after ${n} attempts`;
        throw new HttpSourceError(`${request.sourceId}: GET ${displayUrl(url)} ${tries}: ${err.message}`, n, err.status);
      }
      const { retryDelayMs, maxRetryDelayMs } = request.options;
      await sleep(backoffDelay(n, retryDelayMs, maxRetryDelayMs, random(), err.retryAfterMs), request.signal);
    }
  }
}

/** A response that arrived but cannot be used (not XML, not a feed, no list of items …). */
export function responseError(sourceId: string, url: string, reason: string): HttpSourceError {
  return new HttpSourceError(`${sourceId}: GET ${displayUrl(url)}: ${reason}`, 1);
}
