// The API's environment, parsed once at start-up.
import { envHost, envLogLevel, envPort, envPostgresUrl } from '@cardgate/config';

export const apiEnvironment = {
  API_PORT: envPort.default(8787),
  API_HOST: envHost.default('127.0.0.1'),
  DATABASE_URL: envPostgresUrl,
  LOG_LEVEL: envLogLevel.default('info'),
};
