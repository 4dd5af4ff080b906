// Only one watcher is active at a time: the one holding a PostgreSQL session advisory lock on a dedicated
// connection. When that process dies or its connection drops, PostgreSQL releases the lock and a standby takes over.
// Writes are also guarded by the cursor's optimistic check, so a leader that lost its lock cannot double-process.
import pg from 'pg';

/** Arbitrary constant naming the watcher's lock among advisory locks; the chain id is the second key. */
const watcherLockClass = 7_420_002;

export interface LeaderLock {
  /** Tries once; true when this process now leads. */
  tryAcquire(): Promise<boolean>;
  /** Resolves false if the lock's connection is gone (leadership lost); checks with a short query. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export function createLeaderLock(connectionUri: string, chainLockId: number): LeaderLock {
  let client: pg.Client | undefined;
  let held = false;

  async function connect(): Promise<pg.Client> {
    if (client) return client;
    const fresh = new pg.Client({
      connectionString: connectionUri,
      application_name: 'cardgate-watcher-lock',
    });
    fresh.on('error', () => {
      held = false;
      client = undefined;
    });
    await fresh.connect();
    client = fresh;
    return fresh;
  }

  return {
    async tryAcquire() {
      const connection = await connect();
      const result = await connection.query<{ acquired: boolean }>(
        'select pg_try_advisory_lock($1, $2) as acquired',
        [watcherLockClass, chainLockId],
      );
      held = result.rows[0]?.acquired === true;
      return held;
    },
    async stillHeld() {
      if (!held || !client) return false;
      try {
        await client.query('select 1');
        return held;
      } catch {
        held = false;
        return false;
      }
    },
    async release() {
      const connection = client;
      client = undefined;
      held = false;
      if (!connection) return;
      await connection.end().catch(() => undefined);
    },
  };
}
