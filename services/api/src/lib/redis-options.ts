// The options of the API's Redis client, shared by main.ts and the test API so that tests run the same client.
import type { RedisOptions } from 'ioredis';

export const apiRedisOptions = {
  maxRetriesPerRequest: 2,
  // The rate limits ask Redis twice on every request (the address's budget and the caller's). Commands issued in the
  // same turn of the event loop leave in one write: measured with bench:api's CPU profile, the separate writes of
  // those commands took 2.0 s of the API's 14 s of CPU over the GET /v1/balances phase, and 0.4 s pipelined.
  enableAutoPipelining: true,
} as const satisfies RedisOptions;
