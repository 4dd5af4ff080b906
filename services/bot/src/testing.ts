// Test helpers for the bot: a stand-in of the Bot API as a real HTTP server, the bot on the test database and Redis
// prefix, the notifications queue, and users to write to. Never imported by production code.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { notificationJobId, notificationQueueName, type Notification } from '@cardgate/contracts';
import type { DatabasePool } from '@cardgate/db';
import {
  createStandInClient,
  startTelegramStandIn,
  type RunningTelegramStandIn,
  type StandInClient,
} from '@cardgate/telegram-bot-api';
import { harnessContext, testLogger } from '@cardgate/test-harness';
import { createUserStore } from '@cardgate/users';
import { startBotService, type BotService } from './bot.ts';

export const testMiniAppUrl = 'https://cardgate.test/app';

export interface BotWorld {
  readonly standIn: RunningTelegramStandIn;
  readonly client: StandInClient;
  readonly bot: BotService;
  readonly queue: Queue;
  readonly redis: Redis;
  queueNotification(notification: Notification): Promise<void>;
  close(): Promise<void>;
}

export async function startBotWorld(pool: DatabasePool, prefix: string): Promise<BotWorld> {
  const standIn = await startTelegramStandIn({ port: 0 });
  const redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(notificationQueueName, { connection: redis, prefix });
  const bot = await startBotService({
    pool,
    redis,
    queuePrefix: prefix,
    token: standIn.token,
    apiRoot: standIn.apiRoot,
    miniAppUrl: testMiniAppUrl,
    logger: testLogger('bot'),
    concurrency: 100,
    stalledIntervalMs: 30_000,
  });
  await bot.polling;
  return {
    standIn,
    client: createStandInClient(standIn.url),
    bot,
    queue,
    redis,
    queueNotification: (notification) => queueLikeTheWorker(queue, notification),
    async close() {
      await bot.stop();
      await queue.close();
      await standIn.close();
      redis.disconnect();
    },
  };
}

/** Adds the job as the worker's queueNotification activity does (its options). */
export async function queueLikeTheWorker(queue: Queue, notification: Notification): Promise<void> {
  await queue.add(notification.kind, notification, {
    jobId: notificationJobId(notification.id),
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
  });
}

let nextTelegramId = 900_000_000 + Math.floor(Math.random() * 1_000_000) * 100;

/** A Cardgate user with a Telegram id of its own, as the Mini App's sign-in creates one. */
export async function createTestUser(
  pool: DatabasePool,
  languageCode: string,
): Promise<{ id: string; telegramUserId: number }> {
  nextTelegramId += 1;
  const user = await createUserStore(pool).signIn({
    telegramUserId: nextTelegramId,
    firstName: `User${nextTelegramId}`,
    languageCode,
  });
  return { id: user.id, telegramUserId: user.telegramUserId };
}

/** Polls `probe` until it answers true; a bound on the wait, never a timing assertion. */
export async function waitFor(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
