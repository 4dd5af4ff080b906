// Proves single-leader failover on the real PostgreSQL: of two watchers only one holds the lock; when the leader's
// connection dies (its backend terminated, as when the process is killed), the standby acquires it.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { useTestDatabase } from '@cardgate/test-harness';
import { createLeaderLock } from './leader-lock.ts';

const database = useTestDatabase();

describe('leader lock', () => {
  it('lets exactly one of two watchers lead, and the other take over when the leader dies', async () => {
    const chainLockId = Math.floor(Math.random() * 1_000_000);
    const first = createLeaderLock(database.url, chainLockId);
    const second = createLeaderLock(database.url, chainLockId);
    try {
      expect(await first.tryAcquire()).toBe(true);
      expect(await second.tryAcquire()).toBe(false);
      expect(await first.stillHeld()).toBe(true);

      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'cardgate-watcher-lock' and pid in (select pid from pg_locks where locktype = 'advisory' and objid = $1 and granted)",
        [chainLockId],
      );
      await admin.end();

      expect(await first.stillHeld()).toBe(false);
      expect(await second.tryAcquire()).toBe(true);
    } finally {
      await first.release();
      await second.release();
    }
  });
});
