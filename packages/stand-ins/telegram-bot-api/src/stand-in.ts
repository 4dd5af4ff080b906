// The stand-in assembled and served: its store (a directory, resumed on restart, or memory), the limit meter and the
// app. `startTelegramStandIn` serves it on a port (0 picks a free one) for tests and `npm run dev`.
import { serve } from '@hono/node-server';
import { createStandInApp, type StandInApp } from './app.ts';
import { createLimitMeter, telegramLimits, type LimitMeter, type LimitSettings } from './limits.ts';
import { openStandInStore, type StandInStore } from './store.ts';

/** The token `npm run dev` and the tests give the bot: the stand-in accepts this one only. */
export const standInBotToken = '7000000001:stand-in-development-token';

export interface StartTelegramStandInOptions {
  readonly port: number;
  readonly host?: string;
  readonly token?: string;
  readonly stateDirectory?: string;
  readonly limits?: Partial<LimitSettings>;
  /** The clock the limits read (tests freeze it). */
  readonly now?: () => number;
}

export interface RunningTelegramStandIn {
  readonly url: string;
  /** The root grammY takes as `client.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly store: StandInStore;
  readonly limits: LimitMeter;
  readonly faults: StandInApp['faults'];
  close(): Promise<void>;
}

/**
 * Idle keep-alive connections stay open 75 s (Node's default is 5 s). With 5 s, a bot request sent on a connection in
 * the instant the server closed it failed as a network error, which the bot must treat as "maybe sent" and not repeat:
 * 3 of a 500-message burst were lost that way in a test run. Telegram's servers and the proxies in front of real APIs
 * keep connections open longer than a client's idle gaps; 75 s is a common load balancer's value.
 */
const keepAliveTimeoutMs = 75_000;

function serveStandIn(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch, port, hostname, serverOptions: { keepAliveTimeout: keepAliveTimeoutMs, noDelay: true } },
      (info) =>
        resolve({
          url: `http://${hostname}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              // Idle keep-alive connections would hold close() for up to keepAliveTimeoutMs.
              (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
            }),
        }),
    );
    server.once('error', reject);
  });
}

export async function startTelegramStandIn(
  options: StartTelegramStandInOptions,
): Promise<RunningTelegramStandIn> {
  const token = options.token ?? standInBotToken;
  if (!/^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$/.test(token))
    throw new Error('telegram stand-in: the token must look like <bot id>:<secret>');
  const store = openStandInStore(options.stateDirectory);
  const limits = createLimitMeter({ ...telegramLimits, ...options.limits });
  const standIn = createStandInApp({
    token,
    store,
    limits,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const server = await serveStandIn(standIn.app.fetch, options.port, options.host ?? '127.0.0.1');
  return {
    url: server.url,
    apiRoot: server.url,
    token,
    store,
    limits,
    faults: standIn.faults,
    async close() {
      standIn.closePolls();
      await server.close();
      store.close();
    },
  };
}
