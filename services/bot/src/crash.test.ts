// Proves the crash between Telegram accepting a message and the bot recording it sends no duplicate: the bot runs as
// its own process (services/bot/src/main.ts); the stand-in takes the message and holds its answer; the bot is killed
// with SIGKILL inside that window; a new bot process picks the stalled job up again (BullMQ's stalled-job check),
// finds the notification claimed but not recorded, records it 'unknown' and does not send it again. The user got
// the message once, and the next notification goes out normally.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { notificationQueueName } from '@cardgate/contracts';
import { findFreePort, repositoryRoot } from '@cardgate/local-stack';
import {
  createStandInClient,
  startTelegramStandIn,
  type RunningTelegramStandIn,
} from '@cardgate/telegram-bot-api';
import { captureChildOutput, harnessContext, testRedisPrefix, useTestDatabase } from '@cardgate/test-harness';
import { createDeliveryStore } from './delivery-store.ts';
import { createTestUser, queueLikeTheWorker, testMiniAppUrl, waitFor } from './testing.ts';

const database = useTestDatabase();
const prefix = testRedisPrefix('bot-crash');
let standIn: RunningTelegramStandIn;
let redis: Redis;
let queue: Queue;
let bot: ChildProcess | undefined;

async function startBot(): Promise<ChildProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['services/bot/src/main.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: harnessContext().redisUrl,
      BOT_TOKEN: standIn.token,
      TELEGRAM_API_ROOT: standIn.apiRoot,
      MINI_APP_URL: testMiniAppUrl,
      NOTIFICATION_QUEUE_PREFIX: prefix,
      BOT_STALLED_INTERVAL_MS: '1000',
      BOT_HEALTH_PORT: String(port),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  captureChildOutput(child, 'bot');
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (response) => response.ok,
        () => false,
      ),
    'the bot to be healthy',
  );
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

beforeAll(async () => {
  standIn = await startTelegramStandIn({ port: 0 });
  redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue(notificationQueueName, { connection: redis, prefix });
});
afterAll(async () => {
  if (bot && bot.exitCode === null) await kill(bot);
  await queue?.close();
  redis?.disconnect();
  await standIn?.close();
});

describe('a bot killed after Telegram took the message, before it recorded it', () => {
  it('does not send the message again when the job runs again', async () => {
    const client = createStandInClient(standIn.url);
    const user = await createTestUser(database.pool, 'en');
    bot = await startBot();
    await client.setFaults({ acceptedResponseDelayMs: 60_000 });
    await queueLikeTheWorker(queue, {
      id: 'crash:1',
      userId: user.id,
      kind: 'deposit_seen',
      data: { amountMinor: '5000000' },
    });
    await waitFor(
      async () => (await client.messages({ chatId: user.telegramUserId })).length === 1,
      'accepted',
    );
    expect(await createDeliveryStore(database.pool).byId('crash:1')).toMatchObject({ state: 'sending' });
    await kill(bot);
    await client.clearFaults();

    bot = await startBot();
    await waitFor(
      async () => ((await queue.getJob('crash_1'))?.finishedOn ?? 0) > 0,
      'the job to finish again',
    );
    const job = (await queue.getJob('crash_1'))!;
    expect(job.returnvalue).toBe('unknown');
    expect(await createDeliveryStore(database.pool).byId('crash:1')).toMatchObject({ state: 'unknown' });
    expect(await client.messages({ chatId: user.telegramUserId })).toHaveLength(1);

    await queueLikeTheWorker(queue, {
      id: 'crash:2',
      userId: user.id,
      kind: 'deposit_seen',
      data: { amountMinor: '6000000' },
    });
    await waitFor(
      async () => (await createDeliveryStore(database.pool).byId('crash:2'))?.state === 'sent',
      'the next one recorded sent',
    );
    expect(await client.messages({ chatId: user.telegramUserId })).toHaveLength(2);
  }, 90_000);
});
