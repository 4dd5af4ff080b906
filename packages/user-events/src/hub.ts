// The API's side: one Redis subscriber per process, fanned out in memory to the open event connections of each user.
//
// Gapless resume: a connection that brings the last entry id it saw is registered (and so receives live messages into
// a buffer) BEFORE its stream is read; the stream is then read after that id, and the buffer drained skipping every id
// not above the last one sent. An event published while the stream was being read is thus either in the read or in
// the buffer (or both), and reaches the client exactly once. Without an id the connection is live at once.
//
// Everything a connection holds is released when it closes: its place in the maps, and, with the last connection,
// the subscriber connection and the heartbeat timer (a process with no open streams holds no subscription).
import type { Redis } from 'ioredis';
import { AppError } from '@cardgate/errors';
import { userEventSchema, type UserEvent } from '@cardgate/contracts/user-event';
import {
  compareStreamIds,
  userEventChannel,
  userEventStreamEntriesMax,
  userEventStreamKey,
  type UserEventMessage,
} from './stream.ts';

export type UserEventDelivery =
  | { readonly type: 'event'; readonly id: string | null; readonly event: UserEvent }
  /** Events after the client's last id are gone (trimmed, expired, or the id is unknown): refetch state. */
  | { readonly type: 'resync' };

export type UserEventEndReason = 'hub_closed' | 'subscriber_lost' | 'buffer_overflow';

/** One open connection, as the hub sees it; the callbacks must not throw and return at once. */
export interface UserEventClient {
  deliver(delivery: UserEventDelivery): void;
  heartbeat(): void;
  /** The hub ends the connection (the client reconnects with its last id and misses nothing). */
  end(reason: UserEventEndReason): void;
}

export interface UserEventConnection {
  /** Releases the connection; safe to call more than once. */
  close(): Promise<void>;
}

export interface UserEventHubStats {
  readonly clients: number;
  readonly users: number;
  /** Whether the process holds its subscriber connection (only while some connection is open). */
  readonly subscribed: boolean;
}

export interface UserEventHubOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  /** Open connections per process. */
  readonly clientsMax: number;
  /** Open connections per user (tabs, devices). */
  readonly clientsPerUserMax: number;
  /** Interval of the heartbeat every live connection gets. */
  readonly heartbeatMs: number;
  readonly logger?: { warn(fields: object, message: string): void };
}

/** Entries read per XRANGE while replaying. */
const replayPageEntriesMax = 200;
/** Pages read at most per replay: the whole retained stream (MAXLEN ~ may keep a little more than the bound). */
const replayPagesMax = Math.ceil((2 * userEventStreamEntriesMax) / replayPageEntriesMax);
/** Live messages buffered for a connection while its replay runs; more ends it (it reconnects and replays). */
const replayBufferedMax = userEventStreamEntriesMax;

interface Registration {
  readonly userId: string;
  readonly client: UserEventClient;
  /** Live messages that arrived while replaying; undefined once live. */
  buffered: UserEventMessage[] | undefined;
  lastSentId: string | undefined;
  closed: boolean;
}

interface Subscription {
  readonly subscriber: Redis;
  readonly ready: Promise<void>;
  readonly heartbeat: ReturnType<typeof setInterval>;
}

export type UserEventHub = ReturnType<typeof createUserEventHub>;

export function createUserEventHub(options: UserEventHubOptions) {
  const { redis, keyPrefix } = options;
  const channel = userEventChannel(keyPrefix);
  const byUser = new Map<string, Set<Registration>>();
  let clients = 0;
  let subscription: Subscription | undefined;
  let teardown: Promise<void> = Promise.resolve();

  const parseEvent = (json: string): UserEvent | undefined => {
    const parsed = userEventSchema.safeParse(safeJson(json));
    if (parsed.success) return parsed.data;
    options.logger?.warn({ issues: parsed.error.issues.slice(0, 3) }, 'malformed user event skipped');
    return undefined;
  };

  function send(registration: Registration, message: UserEventMessage): void {
    // A connection the hub has ended (its buffer overflowed while it replayed) gets nothing more.
    if (registration.closed) return;
    if (message.id !== null && registration.lastSentId !== undefined)
      if (compareStreamIds(message.id, registration.lastSentId) <= 0) return;
    const event = parseEvent(message.event);
    if (message.id !== null) registration.lastSentId = message.id;
    if (event) registration.client.deliver({ type: 'event', id: message.id, event });
  }

  function onMessage(raw: string): void {
    let message: UserEventMessage;
    try {
      message = JSON.parse(raw) as UserEventMessage;
    } catch {
      options.logger?.warn({}, 'user event message is not JSON');
      return;
    }
    const registrations = byUser.get(message.userId);
    if (!registrations) return;
    for (const registration of registrations) {
      if (registration.buffered === undefined) send(registration, message);
      else if (registration.buffered.length < replayBufferedMax) registration.buffered.push(message);
      else endAll([registration], 'buffer_overflow');
    }
  }

  function endAll(registrations: Iterable<Registration>, reason: UserEventEndReason): void {
    for (const registration of [...registrations]) {
      void release(registration);
      registration.client.end(reason);
    }
  }

  function subscribe(): Subscription {
    if (subscription) return subscription;
    const subscriber = redis.duplicate({ lazyConnect: true, enableOfflineQueue: true });
    subscriber.on('message', (_channel: string, raw: string) => onMessage(raw));
    // Messages published while the subscriber is away are lost: every connection is ended so that it reconnects
    // and replays from its last id.
    subscriber.on('close', () => {
      if (subscription?.subscriber !== subscriber) return;
      const all = [...byUser.values()].flatMap((set) => [...set]);
      endAll(all, 'subscriber_lost');
    });
    subscriber.on('error', (error: unknown) => options.logger?.warn({ err: error }, 'user event subscriber'));
    const heartbeat = setInterval(() => {
      for (const set of byUser.values())
        for (const registration of set)
          if (registration.buffered === undefined) registration.client.heartbeat();
    }, options.heartbeatMs);
    heartbeat.unref();
    const ready = subscriber.connect().then(async () => {
      await subscriber.subscribe(channel);
    });
    subscription = { subscriber, ready, heartbeat };
    return subscription;
  }

  /** Drops the subscriber; answers the drop in flight, so a caller can wait until Redis has let it go. */
  function unsubscribe(): Promise<void> {
    const current = subscription;
    if (!current) return teardown;
    subscription = undefined;
    clearInterval(current.heartbeat);
    current.subscriber.removeAllListeners('message');
    teardown = (async () => {
      try {
        await current.ready;
        await current.subscriber.quit();
      } catch {
        current.subscriber.disconnect();
      }
    })();
    return teardown;
  }

  async function release(registration: Registration): Promise<void> {
    if (registration.closed) return;
    registration.closed = true;
    const set = byUser.get(registration.userId);
    set?.delete(registration);
    if (set?.size === 0) byUser.delete(registration.userId);
    clients -= 1;
    if (clients === 0) await unsubscribe();
  }

  /** Reads the user's stream after `afterId` into the connection; says whether events before the read are gone. */
  async function replay(registration: Registration, afterId: string): Promise<void> {
    const key = userEventStreamKey(keyPrefix, registration.userId);
    // The stream's bounds and its first page, read together, so a trim cannot fall between them.
    const answers = await redis
      .multi()
      .xinfo('STREAM', key)
      .xrange(key, `(${afterId}`, '+', 'COUNT', replayPageEntriesMax)
      .exec();
    const [info, firstPage] = answers ?? [];
    if (info?.[0] || gapAfter(info?.[1], afterId)) registration.client.deliver({ type: 'resync' });
    if (firstPage?.[0]) throw firstPage[0];
    let page = (firstPage?.[1] ?? []) as Array<[string, string[]]>;
    for (let pages = 1; ; pages += 1) {
      for (const [id, fields] of page)
        send(registration, { userId: registration.userId, id, event: fieldOf(fields, 'event') });
      if (page.length < replayPageEntriesMax || registration.closed) return;
      if (pages >= replayPagesMax) throw new Error(`replay read ${pages} pages, more than the stream holds`);
      const lastId = page.at(-1)?.[0] ?? afterId;
      page = await redis.xrange(key, `(${lastId}`, '+', 'COUNT', replayPageEntriesMax);
    }
  }

  return {
    /**
     * Opens a connection for `userId`: replays the events after `lastEventId` (if given) and then delivers live ones.
     * Refuses with 429 when the process or the user has as many open connections as allowed, 503 when Redis is away.
     */
    async open(
      userId: string,
      lastEventId: string | undefined,
      client: UserEventClient,
    ): Promise<UserEventConnection> {
      if (clients >= options.clientsMax)
        throw new AppError('rate_limited', 'too many open event streams on this server; retry shortly', {
          reason: 'event_streams_full',
          details: { clientsMax: options.clientsMax },
        });
      const existing = byUser.get(userId);
      if ((existing?.size ?? 0) >= options.clientsPerUserMax)
        throw new AppError('rate_limited', 'too many open event streams for this user', {
          reason: 'too_many_event_streams',
          details: { clientsPerUserMax: options.clientsPerUserMax },
        });
      const registration: Registration = {
        userId,
        client,
        buffered: lastEventId === undefined ? undefined : [],
        lastSentId: lastEventId,
        closed: false,
      };
      const set = existing ?? new Set<Registration>();
      set.add(registration);
      byUser.set(userId, set);
      clients += 1;
      const connection = { close: () => release(registration) };
      try {
        await subscribe().ready;
        if (lastEventId !== undefined) {
          await replay(registration, lastEventId);
          const buffered = registration.buffered ?? [];
          registration.buffered = undefined;
          for (const message of buffered) send(registration, message);
        }
      } catch (error) {
        await release(registration);
        throw new AppError('unavailable', 'the event stream is unavailable; retry shortly', {
          reason: 'event_stream_unavailable',
          cause: error,
        });
      }
      return connection;
    },

    stats(): UserEventHubStats {
      return { clients, users: byUser.size, subscribed: subscription !== undefined };
    },

    /** Ends every connection and drops the subscriber (process shutdown). */
    async close(): Promise<void> {
      endAll(
        [...byUser.values()].flatMap((set) => [...set]),
        'hub_closed',
      );
      await unsubscribe();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fieldOf(fields: readonly string[], name: string): string {
  const index = fields.indexOf(name);
  return index >= 0 && index % 2 === 0 ? (fields[index + 1] ?? '') : '';
}

/**
 * Whether events after `afterId` may be missing from the stream, from XINFO STREAM's flat answer. Redis 7.0 records no
 * trimmed id (`max-deleted-entry-id` counts XDEL only), so: entries were dropped (`entries-added` above `length`) and
 * the oldest one kept is after `afterId`. That may also say so when exactly the entries up to `afterId` were dropped
 * (a needless resync, which only costs the client a refetch), never the other way round. An id the stream never made
 * (a wiped or another Redis) is a gap too.
 */
function gapAfter(info: unknown, afterId: string): boolean {
  if (!Array.isArray(info)) return true;
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < info.length; index += 2) fields.set(String(info[index]), info[index + 1]);
  const lastGenerated = fields.get('last-generated-id');
  if (typeof lastGenerated !== 'string' || compareStreamIds(afterId, lastGenerated) > 0) return true;
  const maxDeleted = fields.get('max-deleted-entry-id');
  if (typeof maxDeleted === 'string' && compareStreamIds(maxDeleted, afterId) > 0) return true;
  const dropped = Number(fields.get('entries-added')) > Number(fields.get('length'));
  const firstKept = fields.get('recorded-first-entry-id');
  return dropped && typeof firstKept === 'string' && compareStreamIds(firstKept, afterId) > 0;
}
