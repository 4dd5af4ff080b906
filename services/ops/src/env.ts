// The ops command line's environment: the database and Temporal it acts on (`npm run ops` defaults it to the local development
// database when unset; a deployment states it).
import { envHostPort, envPostgresUrl } from '@cardgate/config';
import { z } from 'zod';

export const opsEnvironment = {
  DATABASE_URL: envPostgresUrl,
  /** The Temporal server and the workers' task queue of the flows operators act on (npm run dev's by default). */
  TEMPORAL_ADDRESS: envHostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cardgate'),
};
