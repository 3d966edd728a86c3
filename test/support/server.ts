/** A real HTTP server on a free port for tools that need an address (Python readers, a second Corridor). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: express.Application): Promise<RunningServer> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
