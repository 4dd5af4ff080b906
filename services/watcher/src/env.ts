// The watcher's environment, parsed once at start-up.
import { envHost, envHostPort, envLogLevel, envPort, envPostgresUrl } from '@cardgate/config';
import { z } from 'zod';

export const watcherEnvironment = {
  DATABASE_URL: envPostgresUrl,
  TEMPORAL_ADDRESS: envHostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  WATCHER_HEALTH_PORT: envPort.default(8788),
  WATCHER_HEALTH_HOST: envHost.default('127.0.0.1'),
  LOG_LEVEL: envLogLevel.default('info'),
};
