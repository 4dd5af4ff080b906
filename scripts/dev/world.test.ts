// Proves how `npm run dev` tells whether a database records a local world (a chain cursor or a card), so a run with
// no world.json refuses instead of following a chain that is gone; and that --fresh refuses to drop a database on
// another host or to delete the state of a Temporal server it did not start.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { withDatabase } from '@cardgate/local-stack';
import { harnessContext, uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { databaseHasWorld, freshStartRefusal } from './world.ts';

const database = useTestDatabase();

describe('local world', () => {
  it('finds a world in a database only once it has a chain cursor', async () => {
    expect(await databaseHasWorld(database.url)).toBe(false);
    await database.pool.query(
      sql.type(
        z.object({}),
      )`insert into chain_cursor (chain, block_number, block_hash) values ('devnet-1', 7, 'ab')`,
    );
    expect(await databaseHasWorld(database.url)).toBe(true);
  });

  it('finds no world in a database that does not exist', async () => {
    const missing = withDatabase(harnessContext().postgresAdminUrl, `cardgate_missing_${uniqueSuffix()}`);
    expect(await databaseHasWorld(missing)).toBe(false);
  });

  it('refuses --fresh for a database elsewhere or a Temporal server it did not start', () => {
    const adminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(
      freshStartRefusal({
        adminUrl,
        databaseUrl: `${adminUrl.replace('/postgres', '/cardgate')}`,
        externalTemporalAddress: undefined,
      }),
    ).toBeUndefined();
    expect(
      freshStartRefusal({
        adminUrl,
        databaseUrl: 'postgres://app@db.example:5432/cardgate',
        externalTemporalAddress: undefined,
      }),
    ).toMatch(/names one on db\.example, not on this machine/);
    expect(
      freshStartRefusal({
        adminUrl,
        databaseUrl: 'postgres://postgres@localhost/cardgate',
        externalTemporalAddress: 'temporal.example:7233',
      }),
    ).toMatch(/TEMPORAL_ADDRESS \(temporal\.example:7233\) names a server this command did not start/);
  });
});
