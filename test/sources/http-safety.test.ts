/**
 * The harvest HTTP client against servers an attacker controls: redirects (and next-page links)
 * to internal addresses, DNS names that resolve to them, and credentials that must not follow a
 * redirect to another origin. Servers are real, on loopback: 127.0.0.1 is "the source", 127.0.0.2
 * stands for a machine on the internal network that must never be reached from a harvest.
 */
import type { LookupFunction } from 'node:net';
import type http from 'node:http';
import type { HttpOptions } from '../../indexer/sources/config';
import { decodeBody, httpGet } from '../../indexer/sources/http-client';
import { redirect, send, startFixtureServer, type FixtureServer } from './fixture-server';

const options = (overrides: Partial<HttpOptions> = {}): HttpOptions => ({
  timeoutMs: 2000,
  retries: 0,
  retryDelayMs: 5,
  maxRetryDelayMs: 50,
  maxBytes: 100_000,
  headers: {},
  ...overrides,
});

let source: FixtureServer;
let otherPort: FixtureServer;
let internal: FixtureServer;
beforeAll(async () => {
  source = await startFixtureServer();
  otherPort = await startFixtureServer();
  internal = await startFixtureServer({ '/secret': send('{"internal":"do not index"}', 'application/json') }, '127.0.0.2');
});
afterAll(async () => {
  await Promise.all([source.close(), otherPort.close(), internal.close()]);
});

const get = (pathname: string, o: Partial<HttpOptions> = {}, extra: { lookup?: LookupFunction; sourceUrl?: string } = {}) =>
  httpGet({ sourceId: 'feed', url: `${source.origin}${pathname}`, options: options(o), ...extra });

describe('requests to internal addresses', () => {
  it('refuses a redirect from a loopback fixture source to another loopback address, without connecting', async () => {
    source.route('/to-internal', redirect(`${internal.origin}/secret`));
    await expect(get('/to-internal')).rejects.toThrow(
      new RegExp(`^feed: GET ${source.origin}/to-internal failed: refused to connect to 127\\.0\\.0\\.2: a loopback, private, link-local, metadata or other internal address`),
    );
    expect(internal.requests).toEqual([]);
  });

  it('refuses the same address written as IPv4-mapped IPv6, and a DNS name that resolves to it', async () => {
    const port = new URL(internal.origin).port;
    source.route('/mapped', redirect(`http://[::ffff:127.0.0.2]:${port}/secret`));
    await expect(get('/mapped')).rejects.toThrow(/refused to connect to ::ffff:7f00:2/);
    // The address checked is the one connected to, resolved at connect time (no DNS rebinding).
    const rebinding: LookupFunction = (hostname, opts, callback) => {
      const cb = callback as (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;
      if (hostname === 'cdn.example.org') {
        if ((opts as { all?: boolean }).all) cb(null, [{ address: '127.0.0.2', family: 4 }]);
        else cb(null, '127.0.0.2', 4);
      } else cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    };
    source.route('/rebind', redirect(`http://cdn.example.org:${port}/secret`));
    await expect(get('/rebind', {}, { lookup: rebinding })).rejects.toThrow(/refused to connect to cdn\.example\.org \(127\.0\.0\.2\)/);
    // "localhost" is a name for loopback too: a source on 127.0.0.2 may not be sent to 127.0.0.1 that way.
    internal.route('/to-localhost', redirect(`http://localhost:${new URL(source.origin).port}/anything`));
    await expect(httpGet({ sourceId: 'intranet', url: `${internal.origin}/to-localhost`, options: options() })).rejects.toThrow(
      /refused to connect to localhost \((127\.0\.0\.1|::1)\)/,
    );
    expect(internal.hits('/secret')).toEqual([]);
  });

  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['AWS metadata over IPv6', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['Alibaba metadata (CGNAT)', 'http://100.100.100.200/latest/meta-data/'],
    ['private 10/8', 'http://10.0.0.1/'],
    ['private 172.16/12', 'http://172.16.5.4/'],
    ['private 192.168/16', 'http://192.168.1.1/'],
    ['carrier-grade NAT', 'http://100.64.0.1/'],
    ['unique-local IPv6', 'http://[fc00::1]/'],
    ['link-local IPv6', 'http://[fe80::1]/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['the unspecified address', 'http://0.0.0.0/'],
    ['mapped metadata', 'http://[::ffff:169.254.169.254]/'],
  ])('refuses a redirect to %s', async (_what, target) => {
    source.route('/hop', redirect(target));
    await expect(get('/hop')).rejects.toThrow(/refused to connect to /);
  });

  it('refuses a next-page link (not only a redirect) to an internal address', async () => {
    await expect(httpGet({ sourceId: 'api', url: `${internal.origin}/secret`, sourceUrl: `${source.origin}/api`, options: options() })).rejects.toThrow(
      /refused to connect to 127\.0\.0\.2/,
    );
    expect(internal.hits('/secret')).toEqual([]);
  });

  it("still reaches the source's own loopback address, on another port too", async () => {
    otherPort.route('/data', send('[1,2,3]', 'application/json'));
    source.route('/moved', redirect(`${otherPort.origin}/data`, 301));
    const response = await get('/moved');
    expect(response.text()).toBe('[1,2,3]');
    expect(response.url).toBe(`${otherPort.origin}/data`);
  });
});

describe('credentials and redirects', () => {
  const seen: Record<string, http.IncomingHttpHeaders> = {};
  beforeAll(() => {
    otherPort.route('/landing', (req, res, url) => {
      seen.other = req.headers;
      send('{}', 'application/json')(req, res, url);
    });
    source.route('/same-origin-landing', (req, res, url) => {
      seen.same = req.headers;
      send('{}', 'application/json')(req, res, url);
    });
  });

  it('drops every configured header and every credential on a redirect to another origin', async () => {
    source.route('/start', redirect(`${otherPort.origin}/landing`));
    const url = `${source.origin.replace('http://', 'http://harvester:pw@')}/start`;
    await httpGet({
      sourceId: 'api',
      url,
      options: options({ headers: { 'X-Api-Key': 'k-123', 'X-Custom-Token': 't-9', Authorization: 'Bearer b', Cookie: 'sid=1', 'Proxy-Authorization': 'Basic p' } }),
    });
    const headers = seen.other!;
    for (const name of ['x-api-key', 'x-custom-token', 'authorization', 'cookie', 'proxy-authorization']) expect(headers[name]).toBeUndefined();
    expect(headers['user-agent']).toMatch(/^Corridor\//);
  });

  it('keeps them on a redirect within the same origin', async () => {
    source.route('/start-same', redirect('/same-origin-landing'));
    await get('/start-same', { headers: { 'X-Api-Key': 'k-123' } });
    expect(seen.same!['x-api-key']).toBe('k-123');
  });
});

describe('decoding bodies', () => {
  it('lets a byte order mark win over the declared charset, then the charset, then the XML declaration', () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?><t>Perú “x”</t>';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect(decodeBody(utf16, 'text/xml; charset=iso-8859-1')).toBe(xml);
    const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]);
    expect(decodeBody(utf8Bom, 'application/xml; charset=windows-1252')).toBe(xml);
    const cp1252 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><t>'), Buffer.from([0x93, 0x41, 0x94]), Buffer.from('</t>')]);
    expect(decodeBody(cp1252, 'application/xml')).toContain('<t>“A”</t>');
  });
});
