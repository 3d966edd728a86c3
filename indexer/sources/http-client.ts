/**
 * GET for harvests: a timeout per request, retries with exponential back-off and jitter on
 * failures that may pass (network errors, timeouts, 408, 429, 5xx; Retry-After honoured within a
 * bound), a size limit enforced while the body streams in, and errors that say which source,
 * which URL and what went wrong, e.g.
 *   ilo-feed: GET https://example.org/feed failed after 3 attempts: connect ECONNREFUSED 127.0.0.1:80
 */
import { TextDecoder } from 'node:util';
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
}

export interface HttpResponse {
  /** After redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
  text(): string;
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

async function readLimited(response: Response, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AttemptError(`the response is larger than the limit of ${maxBytes} bytes`, false, response.status);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Counted as the bytes arrive (after decompression): a server that lies about or omits
    // Content-Length, or a compressed bomb, is cut off here rather than filling memory.
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}

const CHARSET = /charset\s*=\s*"?([\w.:-]+)"?/i;
const XML_ENCODING = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i;

/** Text of a body: the charset of Content-Type, else an XML declaration's encoding, else UTF-8. */
export function decodeBody(body: Buffer, contentType: string | null): string {
  const label = CHARSET.exec(contentType ?? '')?.[1] ?? XML_ENCODING.exec(body.subarray(0, 200).toString('latin1'))?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}

async function attempt(request: HttpGetRequest, url: URL): Promise<HttpResponse> {
  const { options } = request;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...lowerCaseKeys(options.headers) };
  if (request.accept !== undefined && headers.accept === undefined) headers.accept = request.accept;
  // fetch refuses URLs with credentials; "https://user:pass@host/feed" means Basic auth.
  const target = new URL(url);
  if (target.username || target.password) {
    headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  try {
    const response = await fetch(target, { headers, signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      const retry = isRetryableStatus(response.status);
      throw new AttemptError(reason, retry, response.status, retry ? retryAfterMs(response.headers.get('retry-after')) : undefined);
    }
    const body = await readLimited(response, options.maxBytes);
    const contentType = response.headers.get('content-type');
    return {
      url: response.url || target.toString(),
      status: response.status,
      headers: response.headers,
      body,
      text: () => decodeBody(body, contentType),
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
