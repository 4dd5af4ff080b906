// Builds the HTTP API from its dependencies. Only main.ts creates real clients; tests call `app.request()` in-process
// (testing.ts builds a test app on the real PostgreSQL, Redis and Temporal).
//
// Layout (the Hono OpenAPI starter's): each resource has routes/<r>/<r>.{routes,handlers,index,test}.ts; every route
// is defined once with zod and OpenAPI; /openapi.json describes all of them and /docs renders it.
//   /health, /health/live                    readiness and liveness
//   /metrics                                 Prometheus (restrict it to the scraper at the proxy)
//   /webhooks/card-provider                  the card provider's signed webhooks
//   /v1/...                                  the Mini App's user API (Authorization: tma <initData>)
//   /v1/ops/...                              operators (Authorization: Bearer <token>, scoped)
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { Scalar } from '@scalar/hono-api-reference';
import type { Logger } from '@cardgate/config';
import { createHealthRoutes, type HealthCheck } from '@cardgate/health';
import { createMetricsRoutes, type HttpMetrics, type Registry } from '@cardgate/metrics';
import { createOperatorTokens } from '@cardgate/operators';
import { createUserStore } from '@cardgate/users';
import type { MiddlewareHandler } from 'hono';
import { createCardWebhookRoutes, type CardWebhookDependencies } from './card-events/webhook-route.ts';
import type { V1Context, V1Dependencies } from './lib/dependencies.ts';
import { handleError, notFoundOrWrongMethod } from './lib/problem.ts';
import { createAfterResponse } from './lib/after-response.ts';
import { validationHook } from './lib/router.ts';
import type { AppEnv } from './lib/types.ts';
import {
  apiSecureHeaders,
  corsForMiniApp,
  limitBody,
  limitTime,
  miniAppSecureHeaders,
  requireJsonBody,
} from './middleware/hardening/hardening.ts';
import { createIdempotency } from './middleware/idempotency/idempotency.ts';
import { createIdempotencyStore } from './middleware/idempotency/idempotency-store.ts';
import { operatorAuth } from './middleware/operator-auth/operator-auth.ts';
import { createRateLimits } from './middleware/rate-limit/rate-limit.ts';
import { requestContext } from './middleware/request-context.ts';
import { telegramAuth } from './middleware/telegram-auth/telegram-auth.ts';
import { createBalancesRoutes } from './routes/balances/balances.index.ts';
import { createCardsRoutes } from './routes/cards/cards.index.ts';
import { createDepositAddressRoutes } from './routes/deposit-address/deposit-address.index.ts';
import { createDepositsRoutes } from './routes/deposits/deposits.index.ts';
import { createEventsRoutes } from './routes/events/events.index.ts';
import { createMeRoutes } from './routes/me/me.index.ts';
import { createOpsRoutes } from './routes/ops/ops.index.ts';
import { createQuotesRoutes } from './routes/quotes/quotes.index.ts';
import { createTransactionsRoutes } from './routes/transactions/transactions.index.ts';

export interface ApiDependencies {
  readonly logger: Logger;
  /** Named readiness checks (database, Temporal, ...); each resolves or throws within its own timeout. */
  readonly healthChecks: Readonly<Record<string, HealthCheck>>;
  /** The card provider's webhooks; absent in processes that do not receive them. */
  readonly cardWebhooks?: CardWebhookDependencies;
  /** The user and operator API; absent in processes that serve only health and webhooks. */
  readonly v1?: V1Dependencies;
  /** The built Mini App, served at /app/ with headers that let Telegram's web client frame it. */
  readonly miniApp?: { readonly distDirectory: string };
  /** The process's Prometheus registry, served at GET /metrics, and the request histogram every route feeds. */
  readonly metrics?: { readonly registry: Registry; readonly http: HttpMetrics };
}

export type ApiApp = OpenAPIHono<AppEnv>;

/** Idempotency keys are kept and replayed for 24 hours; a running request holds its key for twice its time limit. */
const idempotencyRetentionMs = 24 * 3600 * 1000;

export function createApp(dependencies: ApiDependencies): ApiApp {
  const app: ApiApp = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // First, so a request's duration includes every middleware (auth, limits) and a refusal by one of them.
  if (dependencies.metrics) app.use('*', dependencies.metrics.http.middleware);
  app.use('*', requestContext(dependencies.logger));
  app.route('/', createHealthRoutes(dependencies.healthChecks));
  if (dependencies.metrics) app.route('/', createMetricsRoutes(dependencies.metrics.registry));
  if (dependencies.cardWebhooks) app.route('/', createCardWebhookRoutes(dependencies.cardWebhooks));
  if (dependencies.v1) mountV1(app, dependencies.v1, dependencies.logger);
  if (dependencies.miniApp) mountMiniApp(app, dependencies.miniApp.distDirectory);
  app.notFound(notFoundOrWrongMethod(() => app.routes));
  app.onError(handleError);
  return app;
}

function mountV1(app: ApiApp, dependencies: V1Dependencies, logger: Logger): void {
  const context: V1Context = {
    ...dependencies,
    now: dependencies.now ?? (() => new Date()),
    idempotent: createIdempotency(
      createIdempotencyStore(dependencies.pool, {
        retentionMs: idempotencyRetentionMs,
        leaseMs: 2 * dependencies.http.requestTimeoutMs,
      }),
    ),
    afterResponse: dependencies.afterResponse ?? createAfterResponse(logger),
  };
  const clientIp = dependencies.clientIp ?? (() => 'unknown');
  const rateLimits = createRateLimits(
    dependencies.redis,
    dependencies.rateLimits,
    `${dependencies.redisKeyPrefix}:rl`,
  );
  const users = createUserStore(dependencies.pool);
  const operatorTokens = createOperatorTokens(dependencies.pool);

  app.use('/v1/*', apiSecureHeaders);
  app.use('/v1/*', corsForMiniApp(dependencies.http.miniAppOrigin));
  app.use('/v1/*', rateLimits.perIp(clientIp));
  app.use('/v1/*', limitTime(dependencies.http.requestTimeoutMs));
  app.use('/v1/*', limitBody(dependencies.http.bodyBytesMax));
  app.use('/v1/*', requireJsonBody);
  // Operators under /v1/ops, users everywhere else under /v1.
  app.use('/v1/ops/*', operatorAuth(operatorTokens));
  app.use(
    '/v1/ops/*',
    rateLimits.perCaller((c) => `operator:${c.get('operator').tokenId}`),
  );
  const userAuth = telegramAuth({
    botToken: dependencies.telegram.botToken,
    maxAgeSeconds: dependencies.telegram.initDataMaxAgeSeconds,
    users,
    now: context.now,
  });
  const userLimit = rateLimits.perCaller((c) => `user:${c.get('user').id}`);
  app.use('/v1/*', unlessOperatorPath(userAuth));
  app.use('/v1/*', unlessOperatorPath(userLimit));

  app.route('/v1/ops', createOpsRoutes(context));
  app.route('/v1', createMeRoutes(context));
  app.route('/v1', createBalancesRoutes(context));
  app.route('/v1', createDepositAddressRoutes(context));
  app.route('/v1', createDepositsRoutes(context));
  app.route('/v1', createTransactionsRoutes(context));
  app.route('/v1', createCardsRoutes(context));
  app.route('/v1', createQuotesRoutes(context));
  app.route('/v1', createEventsRoutes(context));

  app.openAPIRegistry.registerComponent('securitySchemes', 'telegramInitData', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'tma <initData>: the Mini App launch parameters Telegram signed',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An operator token (cgo_...), created with the ops command line',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Cardgate API',
      version: '1.0.0',
      description:
        'USDT on TRON into prepaid cards. Amounts are decimal strings with their asset; errors are RFC 9457 problem+json.',
    },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Cardgate API' }));
}

/** The Mini App's files at /app/ (index.html for /app and /app/); Telegram's web client may frame them. */
function mountMiniApp(app: ApiApp, distDirectory: string): void {
  app.use('/app/*', miniAppSecureHeaders());
  // Hashed assets never change; the page itself is always fetched afresh.
  app.use('/app/*', async (context, next) => {
    await next();
    if (context.res.status === 200)
      context.header(
        'cache-control',
        context.req.path.startsWith('/app/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
  });
  app.get('/app', (context) => context.redirect('/app/', 308));
  app.get(
    '/app/*',
    serveStatic({
      root: distDirectory,
      rewriteRequestPath: (path) => path.replace(/^\/app/, ''),
    }),
  );
}

/** The user middleware for every /v1 path except the operators' (which have their own). */
function unlessOperatorPath(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const path = context.req.path;
    if (path === '/v1/ops' || path.startsWith('/v1/ops/')) return next();
    return middleware(context, next);
  };
}
