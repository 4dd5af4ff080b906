// The ops command line's environment: the database it acts on (`npm run ops` defaults it to the local development
// database when unset; a deployment states it).
import { envPostgresUrl } from '@cardgate/config';

export const opsEnvironment = {
  DATABASE_URL: envPostgresUrl,
};
