// A fresh, migrated database for one benchmark, on the server the local stack finds (DATABASE_URL, the local
// server, or an embedded one). Dropped and recreated on every run so figures never depend on earlier runs.
import { createDatabasePool, migrate, type DatabasePool } from '@cardgate/db';
import { dropDatabase, ensureDatabase, findOrStartPostgres, withDatabase } from '@cardgate/local-stack';

export interface BenchDatabase {
  readonly url: string;
  readonly pool: DatabasePool;
  readonly close: () => Promise<void>;
}

export async function createBenchDatabase(name: string, maxPoolSize: number): Promise<BenchDatabase> {
  const server = await findOrStartPostgres();
  await dropDatabase(server.adminUrl, name);
  await ensureDatabase(server.adminUrl, name);
  const url = withDatabase(server.adminUrl, name);
  await migrate(url);
  const pool = await createDatabasePool({ connectionUri: url, maxPoolSize, applicationName: name });
  return {
    url,
    pool,
    close: async () => {
      await pool.end();
      await server.stop();
    },
  };
}
