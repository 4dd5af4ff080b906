// Builds the HTTP API from its dependencies. Only main.ts creates real clients; tests call `app.request()` in-process.
import { Hono } from 'hono';
import type { Logger } from '@cardgate/config';
import { requestContext, type ApiVariables } from './middleware/request-context.ts';
import { handleError, handleNotFound } from './middleware/errors.ts';
import { createHealthRoutes, type HealthCheck } from '@cardgate/health';
import { createCardWebhookRoutes, type CardWebhookDependencies } from './card-events/webhook-route.ts';

export interface ApiDependencies {
  readonly logger: Logger;
  /** Named readiness checks (database, Temporal, ...); each resolves or throws within its own timeout. */
  readonly healthChecks: Readonly<Record<string, HealthCheck>>;
  /** The card provider's webhooks; absent in processes that do not receive them. */
  readonly cardWebhooks?: CardWebhookDependencies;
}

export type ApiApp = Hono<{ Variables: ApiVariables }>;

export function createApp(dependencies: ApiDependencies): ApiApp {
  const app: ApiApp = new Hono<{ Variables: ApiVariables }>();
  app.use('*', requestContext(dependencies.logger));
  app.route('/', createHealthRoutes(dependencies.healthChecks));
  if (dependencies.cardWebhooks) app.route('/', createCardWebhookRoutes(dependencies.cardWebhooks));
  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}
