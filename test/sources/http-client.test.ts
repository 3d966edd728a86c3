/** The harvest HTTP client against a real server on loopback. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpOptions } from '../../indexer/sources/config';
import { backoffDelay, decodeBody, displayUrl, httpGet, retryAfterMs, USER_AGENT } from '../../indexer/sources/http-client';
import { HarvestCancelledError } from '../../indexer/sources/types';
import { chunked, hang, send, startFixtureServer, status, type FixtureServer } from './fixture-server';

const options = (overrides: Partial<HttpOptions> = {}): HttpOptions => ({
  timeoutMs: 300,
  retries: 2,
  retryDelayMs: 5,
  maxRetryDelayMs: 50,
  maxBytes: 10_000,
  headers: {},
  ...overrides,
});

describe('harvest HTTP client', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server.close();
  });
  const get = (pathname: string, o: Partial<HttpOptions> = {}, signal?: AbortSignal) =>
    httpGet({ sourceId: 'test-src', url: `${server.origin}${pathname}`, options: options(o), signal });

  it('sends the Corridor User-Agent and configured headers, and returns the body', async () => {
    let seen: http.IncomingHttpHeaders = {};
    server.route('/hello', (req, res) => {
      seen = req.headers;
      send('{"ok":true}', 'application/json')(req, res, new URL('http://x'));
    });
    const response = await get('/hello', { headers: { 'X-Api-Key': 'k1' } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text())).toEqual({ ok: true });
    expect(seen['user-agent']).toBe(USER_AGENT);
    expect(seen['x-api-key']).toBe('k1');
  });

  it('turns credentials in the URL into Basic auth, and keeps them out of messages', async () => {
    let auth: string | undefined;
    server.route('/private', (req, res, url) => {
      auth = req.headers.authorization;
      status(403)(req, res, url);
    });
    const url = `${server.origin.replace('http://', 'http://harvester:s%3Acret@')}/private`;
    const failure = httpGet({ sourceId: 'p', url, options: options() });
    await expect(failure).rejects.toThrow(`p: GET ${server.origin}/private failed: HTTP 403 Forbidden`);
    expect(auth).toBe(`Basic ${Buffer.from('harvester:s:cret').toString('base64')}`);
  });

  it('retries a 500 and then fails with a message naming the source, URL and attempts', async () => {
    server.route('/down', status(500));
    await expect(get('/down')).rejects.toThrow(`test-src: GET ${server.origin}/down failed after 3 attempts: HTTP 500 Internal Server Error`);
    expect(server.hits('/down')).toHaveLength(3);
  });

  it('retries a 503 with Retry-After and succeeds when the server recovers', async () => {
    let calls = 0;
    server.route('/flaky', (req, res, url) => {
      calls++;
      if (calls < 3) status(503, { 'retry-after': '0' })(req, res, url);
      else send('fine', 'text/plain')(req, res, url);
    });
    const response = await get('/flaky');
    expect(response.text()).toBe('fine');
    expect(calls).toBe(3);
  });

  it('does not retry a 404', async () => {
    server.route('/gone', status(404));
    await expect(get('/gone')).rejects.toThrow(`test-src: GET ${server.origin}/gone failed: HTTP 404 Not Found`);
    expect(server.hits('/gone')).toHaveLength(1);
  });

  it('times out a server that never answers, retrying each attempt', async () => {
    server.route('/hang', hang);
    const started = Date.now();
    await expect(get('/hang', { retries: 1 })).rejects.toThrow(
      `test-src: GET ${server.origin}/hang failed after 2 attempts: no complete response within 300 ms`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.hits('/hang')).toHaveLength(2);
  });

  it('says "connection refused" when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      httpGet({ sourceId: 'ilo-feed', url: `http://127.0.0.1:${port}/feed`, options: options({ retries: 2 }) }),
    ).rejects.toThrow(`ilo-feed: GET http://127.0.0.1:${port}/feed failed after 3 attempts: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('refuses a body larger than maxBytes, declared or streamed, without retrying', async () => {
    server.route('/big-declared', send('x'.repeat(5000), 'text/plain'));
    server.route('/big-streamed', chunked(50_000));
    await expect(get('/big-declared', { maxBytes: 1000 })).rejects.toThrow('the response is larger than the limit of 1000 bytes');
    await expect(get('/big-streamed', { maxBytes: 4096 })).rejects.toThrow(
      `test-src: GET ${server.origin}/big-streamed failed: the response is larger than the limit of 4096 bytes`,
    );
    expect(server.hits('/big-streamed')).toHaveLength(1);
  });

  it('accepts only http and https URLs', async () => {
    await expect(httpGet({ sourceId: 's', url: 'file:///etc/passwd', options: options() })).rejects.toThrow(
      's: file:///etc/passwd is not an http:// or https:// URL',
    );
    await expect(httpGet({ sourceId: 's', url: 'not a url', options: options() })).rejects.toThrow('is not a valid URL');
  });

  it('stops at once, without retrying, when the run is cancelled', async () => {
    server.route('/slow', hang);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(get('/slow', { timeoutMs: 5000, retries: 3 }, controller.signal)).rejects.toBeInstanceOf(HarvestCancelledError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('computes back-off delays with jitter, bounded, honouring Retry-After', () => {
    expect(backoffDelay(1, 1000, 30_000, 0)).toBe(500);
    expect(backoffDelay(1, 1000, 30_000, 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, 1)).toBe(4000);
    expect(backoffDelay(10, 1000, 30_000, 1)).toBe(30_000);
    expect(backoffDelay(1, 1000, 30_000, 0.5, 7000)).toBe(7000);
    expect(backoffDelay(1, 1000, 30_000, 0.5, 3_600_000)).toBe(30_000);
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(60_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('decodes declared charsets and hides credentials in URLs', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>caf\xe9</t>', 'latin1');
    expect(decodeBody(latin1, 'text/xml')).toContain('café');
    expect(decodeBody(Buffer.from('caf\xe9', 'latin1'), 'text/plain; charset=iso-8859-1')).toBe('café');
    expect(displayUrl('https://user:secret@example.org/feed')).toBe('https://example.org/feed');
  });
});
