/**
 * A real HTTP server on loopback (127.0.0.1, port 0) for source tests. Routes can be swapped
 * between runs (a source going down, a record vanishing); every request is logged so that tests
 * can check what was asked for (an OAI `from`, a page number, how many retries).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

export const SOURCE_FIXTURES = path.join(__dirname, '..', 'fixtures', 'sources');

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

export interface FixtureServer {
  /** http://127.0.0.1:port (or the host it was started on) */
  origin: string;
  /** Path and query of every request, in order. */
  requests: string[];
  route(pathname: string, handler: Handler): void;
  /** Requests made to `pathname` (any query). */
  hits(pathname: string): string[];
  close(): Promise<void>;
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(SOURCE_FIXTURES, name), 'utf8');
}

export const send =
  (body: string, contentType: string, status = 200, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

export const sendFixture = (name: string, contentType: string): Handler => send(fixture(name), contentType);

/** A redirect to `location`, relative or absolute. */
export const redirect =
  (location: string, code = 302): Handler =>
  (_req, res) => {
    res.writeHead(code, { location, 'content-type': 'text/plain' });
    res.end(`see ${location}`);
  };

/** Accepts the request and never answers: the client's timeout has to end it. */
export const hang: Handler = () => undefined;

export const status =
  (code: number, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain', ...headers });
    res.end(`status ${code}`);
  };

/** `bytes` bytes in chunks, without Content-Length: only counting while reading can stop it. */
export const chunked =
  (bytes: number): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024, 'x');
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', write);
      }
      res.end();
    };
    write();
  };

/** `host`: another loopback address (127.0.0.2 …) stands for a machine on the internal network. */
export async function startFixtureServer(routes: Record<string, Handler> = {}, host = '127.0.0.1'): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const handler = table.get(url.pathname);
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    handler(req, res, url);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    route: (pathname, handler) => void table.set(pathname, handler),
    hits: (pathname) => requests.filter((r) => r === pathname || r.startsWith(`${pathname}?`)),
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests hold their sockets open; closing the server alone would wait for them.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
