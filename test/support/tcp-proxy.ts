/**
 * A TCP proxy in front of a real server, for outage tests: 'forward' passes bytes through,
 * 'hang' accepts connections and never answers (a stalled cluster), 'down' refuses connections
 * (a stopped one). Switching mode cuts every open connection, so keep-alive sockets of a client
 * cannot carry on as if nothing happened.
 */
import net from 'node:net';

export type ProxyMode = 'forward' | 'hang' | 'down';

export interface TcpProxy {
  port: number;
  url: string;
  setMode(mode: ProxyMode): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'forward';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'hang') return; // read nothing, answer nothing
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const cutAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async setMode(next) {
      cutAll();
      if (next === 'down') {
        const closed = stopListening();
        cutAll();
        await closed;
      } else if (!server.listening) {
        await listen(port);
      }
      mode = next;
    },
    async close() {
      const closed = stopListening();
      cutAll();
      await closed;
    },
  };
}
