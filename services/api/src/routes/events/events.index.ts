// Routes of /v1/events. Mounted by app.ts. The hub (one Redis subscriber per process) comes from the dependencies
// (main.ts closes it at shutdown) or is built here with the production bounds.
import type { Logger } from '@cardgate/config';
import { createUserEventHub, type UserEventHub } from '@cardgate/user-events';
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { eventsHandlers } from './events.handlers.ts';
import { getEvents } from './events.routes.ts';

/** Open event streams per API process: each holds a socket and a little memory, no Redis connection of its own. */
export const eventStreamsPerProcessMax = 10_000;
/** Open event streams per user: a few tabs or devices; more is a client reconnecting in a loop. */
export const eventStreamsPerUserMax = 5;
/** A comment line this often keeps proxies from closing an idle stream and lets clients notice a dead one. */
export const eventHeartbeatMs = 15_000;

export function createDefaultUserEventHub(
  context: Pick<V1Context, 'redis' | 'redisKeyPrefix'>,
  logger?: Logger,
): UserEventHub {
  return createUserEventHub({
    ...(logger ? { logger } : {}),
    redis: context.redis,
    keyPrefix: context.redisKeyPrefix,
    clientsMax: eventStreamsPerProcessMax,
    clientsPerUserMax: eventStreamsPerUserMax,
    heartbeatMs: eventHeartbeatMs,
  });
}

export function createEventsRoutes(context: V1Context) {
  const handlers = eventsHandlers(context.userEvents ?? createDefaultUserEventHub(context));
  return createRouter().openapi(getEvents, handlers.getEvents);
}
