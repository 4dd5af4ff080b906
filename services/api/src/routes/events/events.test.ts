// Proves GET /v1/events on the real Redis, PostgreSQL and Telegram sign-in: an event published for the signed-in user
// arrives as `event: <kind>`, `id: <entry id>`, `data: <the event>`; a client that disconnects and comes back with
// Last-Event-ID gets exactly the events it missed, once each, then live ones; two users never see each other's
// events; a heartbeat comment comes at the hub's interval; closing the connection releases its place in the hub and,
// with the last one, the Redis subscription (counted by Redis itself); a malformed Last-Event-ID is a 422, a user over
// the per-user bound a 429, and no initData a 401, each problem+json and opening nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUserEventHub,
  createUserEventPublisher,
  userEventChannel,
  type UserEventHub,
} from '@cardgate/user-events';
import type { UserEvent } from '@cardgate/contracts/user-event';
import { testLogger } from '@cardgate/test-harness';
import { createApp, type ApiApp } from '../../app.ts';
import { bodyOf, tmaHeader, useTestApi } from '../../testing.ts';

const api = useTestApi();
let hub: UserEventHub;
let app: ApiApp;

const heartbeatMs = 100;

beforeAll(() => {
  hub = createUserEventHub({
    redis: api.dependencies.redis,
    keyPrefix: api.dependencies.redisKeyPrefix,
    clientsMax: 20,
    clientsPerUserMax: 2,
    heartbeatMs,
  });
  app = createApp({
    logger: testLogger('api'),
    healthChecks: {},
    v1: { ...api.dependencies, userEvents: hub },
  });
});
afterAll(() => hub.close());

interface Frame {
  readonly event?: string;
  readonly id?: string;
  readonly data?: string;
  readonly comment?: string;
}

/** An open GET /v1/events as a client sees it: frames as they arrive, and closing it as a browser tab would. */
async function openEvents(telegramId: number, lastEventId?: string, target: ApiApp = app) {
  const response = await target.request('/v1/events', {
    headers: {
      authorization: tmaHeader({ id: telegramId }),
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: Frame[] = [];
  let text = '';
  const readFrames = async (): Promise<void> => {
    const { done, value } = await reader.read();
    if (done) throw new Error('the stream ended');
    text += value;
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const frame: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(':');
          frame[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
      }
      if (frame.retry === undefined) frames.push(frame);
    }
  };
  return {
    frames,
    events: () => frames.filter((frame) => frame.event !== undefined),
    async until(condition: () => boolean): Promise<void> {
      const deadline = Date.now() + 5_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out with ${JSON.stringify(frames)}`);
        await readFrames();
      }
    },
    close: () => reader.cancel(),
    /** Resolves once the server has ended the stream. */
    async ended(): Promise<void> {
      for (;;) if ((await reader.read()).done) return;
    },
  };
}

const publisher = () =>
  createUserEventPublisher({ redis: api.dependencies.redis, keyPrefix: api.dependencies.redisKeyPrefix });

async function userIdOf(telegramId: number): Promise<string> {
  const response = await app.request('/v1/me', { headers: { authorization: tmaHeader({ id: telegramId }) } });
  return String((await bodyOf(response)).user.id);
}

const loaded = (n: number): UserEvent => ({
  key: `card-loaded:load_${n}`,
  kind: 'card.loaded',
  data: { cardId: 'crd_1', amount: { amount: `${n}.00`, asset: 'USD' } },
});

async function subscribersOnChannel(): Promise<number> {
  const answer = (await api.dependencies.redis.call(
    'PUBSUB',
    'NUMSUB',
    userEventChannel(api.dependencies.redisKeyPrefix),
  )) as [string, number];
  return Number(answer[1]);
}

async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('GET /v1/events', () => {
  it('delivers a published event to the signed-in user, and not to another user', async () => {
    const ann = await userIdOf(701);
    const bob = await userIdOf(702);
    const annStream = await openEvents(701);
    const bobStream = await openEvents(702);
    const id = await publisher().publish(ann, loaded(1));
    await publisher().publish(bob, loaded(2));
    await annStream.until(() => annStream.events().length >= 1);
    await bobStream.until(() => bobStream.events().length >= 1);
    expect(annStream.events()).toEqual([{ event: 'card.loaded', id, data: JSON.stringify(loaded(1)) }]);
    expect(bobStream.events().map((frame) => frame.data)).toEqual([JSON.stringify(loaded(2))]);
    await annStream.close();
    await bobStream.close();
  });

  it('resumes after Last-Event-ID with exactly the missed events, then live ones', async () => {
    const user = await userIdOf(703);
    const first = await openEvents(703);
    const seenId = await publisher().publish(user, loaded(1));
    await first.until(() => first.events().length === 1);
    await first.close();
    for (let n = 2; n <= 4; n += 1) await publisher().publish(user, loaded(n));
    const again = await openEvents(703, seenId);
    await again.until(() => again.events().length === 3);
    await publisher().publish(user, loaded(5));
    await again.until(() => again.events().length === 4);
    expect(again.events().map((frame) => (JSON.parse(frame.data ?? '') as UserEvent).key)).toEqual([
      'card-loaded:load_2',
      'card-loaded:load_3',
      'card-loaded:load_4',
      'card-loaded:load_5',
    ]);
    expect(again.events().every((frame) => frame.id !== undefined && frame.id > seenId)).toBe(true);
    await again.close();
  });

  it('sends a heartbeat comment at the interval', async () => {
    const stream = await openEvents(704);
    await stream.until(() => stream.frames.filter((frame) => frame.comment === 'heartbeat').length >= 2);
    await stream.close();
  });

  it('outlives the request time limit, and ends when the hub closes (shutdown)', async () => {
    const shortHub = createUserEventHub({
      redis: api.dependencies.redis,
      keyPrefix: api.dependencies.redisKeyPrefix,
      clientsMax: 2,
      clientsPerUserMax: 1,
      heartbeatMs: 50,
    });
    const requestTimeoutMs = 150;
    const shortApp = createApp({
      logger: testLogger('api'),
      healthChecks: {},
      v1: {
        ...api.dependencies,
        http: { ...api.dependencies.http, requestTimeoutMs },
        userEvents: shortHub,
      },
    });
    const user = await userIdOf(709);
    const stream = await openEvents(709, undefined, shortApp);
    const openedAt = Date.now();
    await stream.until(() => stream.frames.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 2 * requestTimeoutMs));
    const id = await publisher().publish(user, loaded(9));
    await stream.until(() => stream.events().length === 1);
    expect(stream.events()[0]?.id).toBe(id);
    expect(Date.now() - openedAt).toBeGreaterThan(requestTimeoutMs);
    await shortHub.close();
    await stream.ended();
    expect(shortHub.stats()).toEqual({ clients: 0, users: 0, subscribed: false });
  });

  it('releases the connection and the Redis subscription when the client goes', async () => {
    await eventually(() => hub.stats().clients === 0);
    expect(await subscribersOnChannel()).toBe(0);
    const one = await openEvents(705);
    const two = await openEvents(706);
    expect(hub.stats()).toEqual({ clients: 2, users: 2, subscribed: true });
    expect(await subscribersOnChannel()).toBe(1);
    await one.close();
    await eventually(() => hub.stats().clients === 1);
    expect(await subscribersOnChannel()).toBe(1);
    await two.close();
    await eventually(() => hub.stats().clients === 0);
    expect(hub.stats()).toEqual({ clients: 0, users: 0, subscribed: false });
    await eventually(async () => (await subscribersOnChannel()) === 0);
  });

  it('refuses a malformed Last-Event-ID (422), a third stream of one user (429) and no initData (401)', async () => {
    const malformed = await app.request('/v1/events', {
      headers: { authorization: tmaHeader({ id: 707 }), 'last-event-id': '1-0; drop' },
    });
    expect(malformed.status).toBe(422);
    expect((await bodyOf(malformed)).details.field).toBe('header.last-event-id');
    const streams = [await openEvents(708), await openEvents(708)];
    const third = await app.request('/v1/events', { headers: { authorization: tmaHeader({ id: 708 }) } });
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toBe('application/problem+json');
    expect((await bodyOf(third)).reason).toBe('too_many_event_streams');
    const anonymous = await app.request('/v1/events');
    expect(anonymous.status).toBe(401);
    expect(hub.stats().clients).toBe(2);
    for (const stream of streams) await stream.close();
    await eventually(() => hub.stats().clients === 0);
  });
});
