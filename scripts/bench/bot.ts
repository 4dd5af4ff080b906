// `npm run bench:bot`: the bot's delivery figures, every process separate (the Bot API stand-in, the bot), on a fresh
// database and Redis prefixes of its own (deleted at the end). Issue 11's figure: from a deposit's credit to the
// bot's message, p99 under 2 s below Telegram's limits; a burst of 500 delivered at the limit, none lost, none twice.
//   1. floor: a sendMessage from this process straight to the stand-in (one HTTP round trip and its SQLite commit);
//   2. from the queue: notifications queued one at a time to different users at 10 a second (below Telegram's
//      limits), from the job added (as the worker's queueNotification adds it) to the message recorded at the
//      stand-in: p50 and p99, beside the floor;
//   3. burst: 500 notifications (250 users, 2 each) added at once; the time until the last is at the stand-in, beside
//      the ideal at Telegram's limit (500 / 30 per second = 16.7 s); lost, sent twice, and limit violations counted;
//   4. from the credit, the real path (bot-from-credit.ts): 200 deposits at 10 a second on the TRON devnet stand-in to
//      users of their own, followed by the real watcher, credited by the real worker on Temporal, which queues the
//      `deposit credited` notification the bot delivers: from the credit's time in the ledger to the message at the
//      stand-in, p50 and p99 beside phase 2's and the floor, split at the job's queueing; every message checked word
//      for word, lost and sent twice counted. The Temporal dev server, devnet, card sandbox (the worker's health asks
//      it), worker and watcher run only for this phase. BENCH_BOT_DEPOSITS sets the count.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { notificationJobId, notificationQueueName, type Notification } from '@cardgate/contracts';
import { findFreePort, findOrStartRedis } from '@cardgate/local-stack';
import { createStandInClient, standInBotToken, type SentMessage } from '@cardgate/telegram-bot-api';
import { createUserStore } from '@cardgate/users';
import { startService, type RunningService } from '../dev/services.ts';
import { measureFromCredit } from './bot-from-credit.ts';
import { createBenchDatabase } from './database.ts';
import { deleteKeysUnder } from './redis-keys.ts';
import { percentileMs } from './stats.ts';

const latencySamples = Number(process.env.BENCH_BOT_LATENCY_SAMPLES ?? 200);
const depositCount = Number(process.env.BENCH_BOT_DEPOSITS ?? 200);
const latencyPacingMs = 100;
const burstUsers = 250;
const burstPerUser = 2;
const messagesPerSecondLimit = 30;
const floorSamples = 100;
const waitMsMax = 180_000;

const database = await createBenchDatabase('cardgate_bench_bot', 10);
const redisServer = await findOrStartRedis();
const prefix = `bench-bot-${Date.now()}`;
const ports = { standIn: await findFreePort(), bot: await findFreePort() };
const standInUrl = `http://127.0.0.1:${ports.standIn}`;
const services: RunningService[] = [];
const onExit = (name: string, code: number | null) => {
  if (code !== 0 && code !== null) {
    console.error(`${name} exited with code ${code}`);
    process.exit(1);
  }
};
const common = { DATABASE_URL: database.url, REDIS_URL: redisServer.url, LOG_LEVEL: 'warn' };
services.push(
  startService({
    name: 'telegram-stand-in',
    entry: 'packages/stand-ins/telegram-bot-api/src/main.ts',
    healthUrl: `${standInUrl}/health`,
    env: { ...common, TELEGRAM_STAND_IN_PORT: String(ports.standIn) },
    onExit,
  }),
);
await services[0]!.waitHealthy(30_000);
services.push(
  startService({
    name: 'bot',
    entry: 'services/bot/src/main.ts',
    healthUrl: `http://127.0.0.1:${ports.bot}/health`,
    env: {
      ...common,
      BOT_TOKEN: standInBotToken,
      TELEGRAM_API_ROOT: standInUrl,
      MINI_APP_URL: 'https://cardgate.bench/app',
      NOTIFICATION_QUEUE_PREFIX: prefix,
      BOT_HEALTH_PORT: String(ports.bot),
    },
    onExit,
  }),
);
await services[1]!.waitHealthy(30_000);

const client = createStandInClient(standInUrl);
const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
const queue = new Queue(notificationQueueName, { connection: redis, prefix });
const users = createUserStore(database.pool);
let telegramId = 800_000_000;
async function newUsers(count: number) {
  const made = [];
  for (let index = 0; index < count; index += 1) {
    telegramId += 1;
    made.push(await users.signIn({ telegramUserId: telegramId, firstName: 'Bench', languageCode: 'en' }));
  }
  return made;
}
const jobOf = (notification: Notification) => ({
  name: notification.kind,
  data: notification,
  opts: {
    jobId: notificationJobId(notification.id),
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
  },
});
// Read incrementally (after the last message id seen): a full read every 100 ms would itself slow the stand-in.
const seen: SentMessage[] = [];
async function readNew(): Promise<void> {
  const afterId = seen.at(-1)?.messageId ?? 0;
  seen.push(...(await client.messages({ afterId, limit: 10_000 })));
}
async function messagesOfChats(chats: Set<number>): Promise<SentMessage[]> {
  await readNew();
  return seen.filter((message) => chats.has(message.chatId));
}
async function waitForMessages(chats: Set<number>, count: number): Promise<SentMessage[]> {
  const deadline = Date.now() + waitMsMax;
  for (;;) {
    const messages = await messagesOfChats(chats);
    if (messages.length >= count || Date.now() > deadline) return messages;
    await sleep(200);
  }
}
const fixed = (value: number, digits = 1) => value.toFixed(digits);

// 1. floor: one sendMessage straight to the stand-in, paced below its limits.
const floorMs: number[] = [];
for (let index = 0; index < floorSamples; index += 1) {
  const started = performance.now();
  const response = await fetch(`${standInUrl}/bot${standInBotToken}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: 700_000_000 + index, text: 'floor' }),
  });
  await response.json();
  floorMs.push(performance.now() - started);
  await sleep(40);
}

// 2. latency, one notification at a time.
const latencyUsers = await newUsers(latencySamples);
const queuedAtMs = new Map<number, number>();
for (const [index, user] of latencyUsers.entries()) {
  queuedAtMs.set(user.telegramUserId, Date.now());
  const job = jobOf({
    id: `bench-latency:${index}`,
    userId: user.id,
    kind: 'deposit_credited',
    data: { grossMinor: '25500000', feeMinor: '755000', netMinor: '24745000' },
  });
  await queue.add(job.name, job.data, job.opts);
  await sleep(latencyPacingMs);
}
const latencyMessages = await waitForMessages(new Set(queuedAtMs.keys()), latencySamples);
const latencyMs = latencyMessages.map((message) => message.receivedAtMs - queuedAtMs.get(message.chatId)!);

// 3. the burst.
await client.resetLimits();
const burst = await newUsers(burstUsers);
const burstChats = new Set(burst.map((user) => user.telegramUserId));
const notifications = burst.flatMap((user, index) =>
  Array.from({ length: burstPerUser }, (_, n): Notification => ({
    id: `bench-burst:${index}:${n}`,
    userId: user.id,
    kind: 'deposit_held',
    data: { amountMinor: String((index * burstPerUser + n + 1) * 1_000) },
  })),
);
const burstStartedMs = Date.now();
await queue.addBulk(notifications.map(jobOf));
const burstMessages = await waitForMessages(burstChats, notifications.length);
await sleep(2_000); // anything sent twice would arrive by now
const burstFinal = await messagesOfChats(burstChats);
const burstTimes = burstMessages.map((message) => message.receivedAtMs).sort((a, b) => a - b);
const burstMs = burstTimes.at(-1)! - burstStartedMs;
const firstMs = burstTimes[0]! - burstStartedMs;
const steadyPerSecond = ((burstTimes.length - 1) / (burstTimes.at(-1)! - burstTimes[0]!)) * 1_000;
const idealMs = (notifications.length / messagesPerSecondLimit) * 1_000;
const texts = new Set(burstFinal.map((message) => `${message.chatId}|${message.text}`));
const limits = await client.limits();

// 4. from the credit, the real path. A failure there is reported after the other phases' figures, and the run's
// processes and keys are still cleaned up.
await client.resetLimits();
const fromCredit = await measureFromCredit({
  database,
  redisUrl: redisServer.url,
  queuePrefix: prefix,
  queue,
  depositCount,
  newUsers,
  messagesOfChats,
}).catch((error: unknown) => error as Error);
const fromCreditLimits = await client.limits();

console.log('\nbot delivery (Bot API stand-in; every process separate)');
console.log(
  `  floor: sendMessage straight to the stand-in        p50 ${fixed(percentileMs(floorMs, 0.5))} ms  p99 ${fixed(percentileMs(floorMs, 0.99))} ms`,
);
console.log(
  `  queued -> message at the stand-in (${latencyMessages.length}/${latencySamples})  p50 ${fixed(percentileMs(latencyMs, 0.5))} ms  p99 ${fixed(percentileMs(latencyMs, 0.99))} ms  (target p99 < 2000 ms; p50 / floor p50 = ${fixed(percentileMs(latencyMs, 0.5) / percentileMs(floorMs, 0.5))})`,
);
console.log(
  `  burst of ${notifications.length} (${burstUsers} users x ${burstPerUser}): ${fixed(burstMs / 1_000, 2)} s; ideal at ${messagesPerSecondLimit}/s ${fixed(idealMs / 1_000, 2)} s; ratio ${fixed(burstMs / idealMs, 3)}`,
);
console.log(
  `  first message ${fixed(firstMs, 0)} ms after the jobs were added; first to last at ${fixed(steadyPerSecond, 2)} messages/s (limit ${messagesPerSecondLimit})`,
);
console.log(
  `  delivered ${burstFinal.length}, lost ${notifications.length - texts.size}, sent twice ${burstFinal.length - texts.size}; limit violations at the stand-in: global ${limits.violations.global}, per chat ${limits.violations.perChat}`,
);

if (fromCredit instanceof Error) {
  console.error('  deposit credited -> message: the phase failed:', fromCredit);
  process.exitCode = 1;
} else {
  const fromCreditP50 = percentileMs(fromCredit.creditToMessageMs, 0.5);
  console.log(
    `  deposit credited -> message (${fromCredit.creditToMessageMs.length}/${fromCredit.deposits}, real worker on Temporal, 10 deposits/s)  p50 ${fixed(fromCreditP50)} ms  p99 ${fixed(percentileMs(fromCredit.creditToMessageMs, 0.99))} ms  (target p99 < 2000 ms; p50 / floor p50 = ${fixed(fromCreditP50 / percentileMs(floorMs, 0.5))}; p50 / queued -> message p50 = ${fixed(fromCreditP50 / percentileMs(latencyMs, 0.5), 2)})`,
  );
  console.log(
    `    of which credit -> job queued by the worker  p50 ${fixed(percentileMs(fromCredit.creditToQueuedMs, 0.5))} ms  p99 ${fixed(percentileMs(fromCredit.creditToQueuedMs, 0.99))} ms;  job queued -> message  p50 ${fixed(percentileMs(fromCredit.queuedToMessageMs, 0.5))} ms  p99 ${fixed(percentileMs(fromCredit.queuedToMessageMs, 0.99))} ms`,
  );
  console.log(
    `    credited ${fromCredit.credited}/${fromCredit.deposits}; messages ${fromCredit.delivered}, lost ${fromCredit.lost}, sent twice ${fromCredit.sentTwice}; seen notices ${fromCredit.seenNotices} (twice ${fromCredit.seenNoticesTwice}); limit violations: global ${fromCreditLimits.violations.global}, per chat ${fromCreditLimits.violations.perChat}; set-up ${fixed(fromCredit.setupMs / 1_000, 1)} s`,
  );
}

await queue.close();
// The run's keys: the notifications queue and the users' event streams, both under the run's prefix.
await deleteKeysUnder(redis, prefix);
redis.disconnect();
for (const service of services.reverse()) await service.stop();
await database.close();
await redisServer.stop();
