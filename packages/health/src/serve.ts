// Serves a Hono app on 127.0.0.1 (or the given host) and resolves once it listens; `close` stops it.
import { serve } from '@hono/node-server';

export interface RunningServer {
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** Anything with a fetch handler: a Hono app of any environment type. */
export interface FetchApp {
  readonly fetch: (request: Request) => Response | Promise<Response>;
}

export function serveApp(app: FetchApp, port: number, hostname = '127.0.0.1'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
    // Small responses must not wait for Nagle's algorithm to meet the client's delayed ACK (about 40 ms a request).
    server.on('connection', (socket: { setNoDelay?: (noDelay: boolean) => void }) =>
      socket.setNoDelay?.(true),
    );
  });
}
