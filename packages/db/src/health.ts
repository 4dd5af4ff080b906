// A readiness probe for pools: one trivial typed query.
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';

const pingRow = z.object({ ok: z.number() });

export async function pingDatabase(connection: CommonQueryMethods): Promise<void> {
  await connection.one(sql.type(pingRow)`select 1::int4 as ok`);
}
