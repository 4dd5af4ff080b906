// The producers' side (worker, watcher): appends a user's event to their stream and announces it on the channel, in
// one atomic step. A Lua script rather than MULTI, because the channel message carries the entry id that XADD makes
// (MULTI cannot feed one command's answer to the next), so the API's subscriber needs no extra read per event.
// A transient event (a deposit's confirmations, superseded every block) is only announced: replaying stale counts to a
// client that resumes would be noise, and the next block brings a fresh one.
import type { Redis } from 'ioredis';
import { userEventSchema, type UserEvent } from '@cardgate/contracts/user-event';
import {
  userEventChannel,
  userEventStreamEntriesMax,
  userEventStreamIdleSecondsMax,
  userEventStreamKey,
} from './stream.ts';

// KEYS[1] stream; ARGV: channel, MAXLEN, EXPIRE seconds, user id, event JSON. Answers the entry id.
const appendScript = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'event', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[1], cjson.encode({ userId = ARGV[4], id = id, event = ARGV[5] }))
return id`;

export interface UserEventPublisher {
  /** Appends the event to the user's stream and announces it; answers the entry id (the SSE id). */
  publish(userId: string, event: UserEvent): Promise<string>;
  /** Announces the event to the user's open connections only (no stream entry, no id, not replayed). */
  announce(userId: string, event: UserEvent): Promise<void>;
}

export function createUserEventPublisher(dependencies: {
  readonly redis: Redis;
  readonly keyPrefix: string;
}): UserEventPublisher {
  const { redis, keyPrefix } = dependencies;
  const channel = userEventChannel(keyPrefix);
  // A malformed event is a producer's bug: refused here, before any client could see it.
  const encode = (event: UserEvent) => JSON.stringify(userEventSchema.parse(event));
  return {
    async publish(userId, event) {
      const id = await redis.eval(
        appendScript,
        1,
        userEventStreamKey(keyPrefix, userId),
        channel,
        userEventStreamEntriesMax,
        userEventStreamIdleSecondsMax,
        userId,
        encode(event),
      );
      if (typeof id !== 'string') throw new Error(`XADD answered ${String(id)}, not an entry id`);
      return id;
    },
    async announce(userId, event) {
      await redis.publish(channel, JSON.stringify({ userId, id: null, event: encode(event) }));
    },
  };
}
