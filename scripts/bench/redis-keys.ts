// A bench's Redis keys live under a prefix of its own (the Redis may be the machine's, shared with `npm run dev`);
// this deletes them at the end of the run, a bounded batch of keys at a time.
import type { Redis } from 'ioredis';

const deleteBatchKeys = 500;

/** Deletes every key under `prefix:` (SCAN, so Redis is never blocked by one long command). */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({
    match: `${prefix}:*`,
    count: deleteBatchKeys,
  }) as AsyncIterable<string[]>)
    if (keys.length > 0) await redis.unlink(...keys);
}
