// GET /v1/events: the signed-in user's events as server-sent events, from the process's user event hub
// (@cardgate/user-events). The hub is opened before the stream starts, so a refusal (too many streams, Redis away) is
// a problem+json and not a broken stream. Writes go through a bounded queue: a client too slow to keep up is ended
// and resumes with Last-Event-ID. Whatever the reason the stream ends (client gone, hub closing, subscriber lost),
// the connection is released in one `finally`.
import type { RouteHandler } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { UserEventDelivery, UserEventHub } from '@cardgate/user-events';
import type { AppEnv } from '../../lib/types.ts';
import type { getEvents } from './events.routes.ts';

/** Deliveries waiting to be written to one connection; more ends it (it reconnects and replays from its last id). */
export const eventWritesQueuedMax = 1_000;
/** What EventSource waits before reconnecting (the SSE `retry` field). */
export const eventReconnectMs = 3_000;

type Queued = UserEventDelivery | { readonly type: 'heartbeat' };

export function eventsHandlers(hub: UserEventHub) {
  const getEventsHandler: RouteHandler<typeof getEvents, AppEnv> = async (c) => {
    const user = c.get('user');
    const lastEventId = c.req.valid('header')['last-event-id'];
    const queue: Queued[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    const push = (item: Queued) => {
      if (queue.length >= eventWritesQueuedMax) ended = true;
      else queue.push(item);
      wake?.();
    };
    const connection = await hub.open(user.id, lastEventId, {
      deliver: push,
      heartbeat: () => push({ type: 'heartbeat' }),
      end: () => {
        ended = true;
        wake?.();
      },
    });
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => {
        ended = true;
        wake?.();
      });
      try {
        await stream.write(`retry: ${eventReconnectMs}\n\n`);
        while (!ended && !stream.aborted) {
          const item = queue.shift();
          if (item) await write(stream, item);
          else await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        await connection.close();
      }
    });
  };
  return { getEvents: getEventsHandler };
}

async function write(stream: SSEStreamingApi, item: Queued): Promise<void> {
  if (item.type === 'heartbeat') return void (await stream.write(': heartbeat\n\n'));
  if (item.type === 'resync') return stream.writeSSE({ event: 'resync', data: '{}' });
  return stream.writeSSE({
    event: item.event.kind,
    data: JSON.stringify(item.event),
    ...(item.id === null ? {} : { id: item.id }),
  });
}
