// The worker's environment, parsed once at start-up.
import { envHost, envHostPort, envLogLevel, envPort, envPostgresUrl, envRedisUrl } from '@cardgate/config';
import { z } from 'zod';

export const workerEnvironment = {
  DATABASE_URL: envPostgresUrl,
  REDIS_URL: envRedisUrl,
  TEMPORAL_ADDRESS: envHostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cardgate'),
  WORKER_HEALTH_PORT: envPort.default(8789),
  WORKER_HEALTH_HOST: envHost.default('127.0.0.1'),
  LOG_LEVEL: envLogLevel.default('info'),
};
