// bench:bot's real path (issue 11's figure): deposits from the TRON devnet stand-in, followed by the real watcher
// (outbox -> signalWithStart of the deposit workflow, as in production), credited by the real worker on Temporal,
// which queues the `deposit credited` notification, delivered by the already running bot to the Bot API stand-in.
// One deposit a block, a block every 100 ms, each to a user of its own: 10 deposits a second, plus the `deposit seen`
// notice the watcher's earlier sighting makes, at most 20 messages a second in all (Telegram allows 30, and one a
// second per chat: a deposit's seen notice goes about 1.8 s, the solidity lag, before its credit, so it never holds it
// up; a watcher that falls behind sees a deposit final at once, and then there is no seen notice).
// Per deposit: from the credit's time in the ledger (its transfer's createdAt, read through the ledger's own reader;
// the transaction's now(), a few ms before its commit) to the message's time at the stand-in, and the split at the
// notification job's BullMQ timestamp (when the worker's activity added it). Every message is checked word for word
// against the bot's text for the credit priced as the worker prices it, and counted: lost, sent twice.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { notificationJobId, type ParsedNotification } from '@cardgate/contracts';
import { createDepositAddressService, type DepositAddress } from '@cardgate/deposit-addresses';
import { createDepositReads } from '@cardgate/deposit-store';
import { depositTransferIds, priceDeposit } from '@cardgate/domain';
import { createLedgerReads, transfersByIdsMax } from '@cardgate/ledger';
import { findFreePort, findOrStartTemporal } from '@cardgate/local-stack';
import { formatMinor, moneyFromMinor, parseMoney, USDT } from '@cardgate/money';
import type { SentMessage } from '@cardgate/telegram-bot-api';
import { developmentApiKey, developmentWebhookSecret } from '@cardgate/card-sandbox';
import { accountExtendedPublicKey } from '@cardgate/tron';
import type { User } from '@cardgate/users';
import { notificationText } from '../../services/bot/src/notification-text.ts';
import { developmentProgramLimits } from '../dev/development-keys.ts';
import { startService, type RunningService } from '../dev/services.ts';
import type { BenchDatabase } from './database.ts';

export interface FromCreditOptions {
  readonly database: BenchDatabase;
  readonly redisUrl: string;
  /** The bot's BullMQ prefix (the worker is given the same) and the users' event streams' prefix. */
  readonly queuePrefix: string;
  readonly queue: Queue;
  readonly depositCount: number;
  readonly newUsers: (count: number) => Promise<User[]>;
  readonly messagesOfChats: (chats: Set<number>) => Promise<SentMessage[]>;
}

export interface FromCreditFigures {
  readonly deposits: number;
  /** Credit -> message at the stand-in, one per deposit whose credit and message were both found. */
  readonly creditToMessageMs: readonly number[];
  /** Credit -> notification job added (the worker's part), and job added -> message (the bot's). */
  readonly creditToQueuedMs: readonly number[];
  readonly queuedToMessageMs: readonly number[];
  readonly credited: number;
  readonly delivered: number;
  readonly lost: number;
  readonly sentTwice: number;
  /** Other messages in the deposits' chats: the seen notices (one per deposit the watcher saw before it was final). */
  readonly seenNotices: number;
  readonly seenNoticesTwice: number;
  readonly setupMs: number;
}

const blockIntervalMs = 100;
// About 1.8 s from a deposit seen to final: long enough that its seen notice never waits out the one-a-second limit
// of the chat its credit goes to, short enough that the run stays short.
const solidityLagBlocks = 18;
const depositBaseMinor = 25_500_000n;
// The worker's prices, as the environment of `npm run dev` and bench:cards states them.
const prices = { feeFixedUsdt: '0.5', feeBasisPoints: '100', reviewBelowUsdt: '5' };
const pricing = {
  feeFixed: parseMoney(prices.feeFixedUsdt, USDT),
  feeBasisPoints: BigInt(prices.feeBasisPoints),
  reviewBelow: parseMoney(prices.reviewBelowUsdt, USDT),
};
const waitMsMax = 120_000;
const duplicateGraceMs = 2_000;
const healthyWithinMs = 90_000;

export async function measureFromCredit(options: FromCreditOptions): Promise<FromCreditFigures> {
  const { database } = options;
  // An exit is told, not acted on here: a process that dies before it is healthy fails waitHealthy, one that dies later
  // shows as lost messages when the wait runs out; either way the finally below stops the others.
  let stopping = false;
  const onExit = (name: string, code: number | null) => {
    if (!stopping) console.error(`${name} exited (${String(code)})`);
  };
  const setupStarted = Date.now();
  const temporal = await findOrStartTemporal({});
  const taskQueue = options.queuePrefix;
  const ports = {
    devnet: await findFreePort(),
    sandbox: await findFreePort(),
    worker: await findFreePort(),
    watcher: await findFreePort(),
  };
  const urls = { devnet: `http://127.0.0.1:${ports.devnet}`, sandbox: `http://127.0.0.1:${ports.sandbox}` };
  const common = {
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    USER_EVENTS_REDIS_PREFIX: options.queuePrefix,
    LOG_LEVEL: 'warn',
  };
  // The worker's health asks the card provider; the sandbox answers it (no card is used here).
  const services: RunningService[] = [
    startService({
      name: 'tron-devnet',
      entry: 'packages/stand-ins/tron-devnet/src/main.ts',
      healthUrl: `${urls.devnet}/health`,
      env: {
        ...common,
        TRON_DEVNET_PORT: String(ports.devnet),
        TRON_DEVNET_BLOCK_INTERVAL_MS: '0',
        TRON_DEVNET_SOLIDITY_LAG_BLOCKS: String(solidityLagBlocks),
      },
      onExit,
    }),
    startService({
      name: 'card-sandbox',
      entry: 'packages/stand-ins/card-sandbox/src/main.ts',
      healthUrl: `${urls.sandbox}/health`,
      env: {
        ...common,
        CARD_SANDBOX_PORT: String(ports.sandbox),
        CARD_SANDBOX_API_KEY: developmentApiKey,
        CARD_SANDBOX_WEBHOOK_SECRET: developmentWebhookSecret,
        CARD_SANDBOX_WEBHOOK_URL: 'http://127.0.0.1:9/unused',
      },
      onExit,
    }),
    startService({
      name: 'worker',
      entry: 'services/worker/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.worker}/health`,
      env: {
        ...common,
        NOTIFICATION_QUEUE_PREFIX: options.queuePrefix,
        WORKER_HEALTH_PORT: String(ports.worker),
        CARD_PROVIDER_URL: urls.sandbox,
        CARD_PROVIDER_API_KEY: developmentApiKey,
        DEPOSIT_FEE_FIXED_USDT: prices.feeFixedUsdt,
        DEPOSIT_FEE_BPS: prices.feeBasisPoints,
        DEPOSIT_REVIEW_BELOW_USDT: prices.reviewBelowUsdt,
        CARD_ISSUE_FEE_USDT: '0',
        USDT_USD_RATE: '0.9995',
        FX_SPREAD_BPS: '150',
        ...developmentProgramLimits({}),
      },
      onExit,
    }),
  ];
  const admin = async (path: string, payload: unknown) => {
    const response = await fetch(`${urls.devnet}/admin/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (!response.ok) throw new Error(`devnet ${path} answered ${response.status}`);
    return (await response.json()) as { head: number; solidified: number; txId?: string };
  };
  try {
    // Users (signed in, so the bot knows their chats) with a deposit address each, before the watcher starts.
    const users = await options.newUsers(options.depositCount);
    const addressService = createDepositAddressService({
      pool: database.pool,
      xpub: accountExtendedPublicKey(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
        0,
      ),
      account: 0,
    });
    const addresses: DepositAddress[] = [];
    for (const user of users) addresses.push(await addressService.assign(user.id));
    await Promise.all(services.map((service) => service.waitHealthy(healthyWithinMs)));
    const startBlock = (await admin('produce', { count: 0 })).head + 1;
    const watcher = startService({
      name: 'watcher',
      entry: 'services/watcher/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.watcher}/health`,
      env: {
        ...common,
        TRON_NODE_URLS: urls.devnet,
        WATCHER_START_BLOCK: String(startBlock),
        WATCHER_CHAIN_ID: options.queuePrefix,
        WATCHER_IDLE_POLL_MS: '100',
        WATCHER_HEALTH_PORT: String(ports.watcher),
      },
      onExit,
    });
    services.push(watcher);
    await watcher.waitHealthy(healthyWithinMs);
    const setupMs = Date.now() - setupStarted;

    // One deposit a block, paced by the clock (not by sleeps after each request), then the lag's blocks to make the
    // last ones final.
    const paceStarted = Date.now();
    for (let round = 0; round < options.depositCount + solidityLagBlocks; round += 1) {
      if (round < options.depositCount)
        await admin('transfer', {
          to: addresses[round]!.base58,
          amountMinor: String(depositBaseMinor + BigInt(round)),
        });
      await admin('produce', { count: 1 });
      await sleep(Math.max(0, paceStarted + (round + 1) * blockIntervalMs - Date.now()));
    }

    // What each deposit's message must say, word for word: the bot's text for the credit as the worker prices it.
    const expectedText = new Map<number, string>();
    for (const [round, user] of users.entries()) {
      const price = priceDeposit(moneyFromMinor(depositBaseMinor + BigInt(round), USDT), pricing);
      const notification: ParsedNotification = {
        id: 'expected',
        userId: user.id,
        kind: 'deposit_credited',
        data: {
          grossMinor: formatMinor(price.gross),
          feeMinor: formatMinor(price.fee),
          netMinor: formatMinor(price.net),
        },
      };
      expectedText.set(user.telegramUserId, notificationText(notification, 'en'));
    }
    const chats = new Set(expectedText.keys());
    const creditedOf = (messages: readonly SentMessage[]) =>
      messages.filter((message) => expectedText.get(message.chatId) === message.text);
    const deadline = Date.now() + waitMsMax;
    let messages = await options.messagesOfChats(chats);
    while (new Set(creditedOf(messages).map((m) => m.chatId)).size < chats.size && Date.now() < deadline) {
      await sleep(200);
      messages = await options.messagesOfChats(chats);
    }
    await sleep(duplicateGraceMs); // anything sent twice would arrive by now
    messages = await options.messagesOfChats(chats);
    const credited = creditedOf(messages);
    const others = messages.filter((message) => expectedText.get(message.chatId) !== message.text);

    // Each deposit's identity from the deposit store's reader, its credit's time from the ledger's.
    const reads = createDepositReads(database.pool);
    const deposits = await Promise.all(
      users.map(async (user, round) => {
        const page = await reads.toAddress(addresses[round]!.base58, { limit: 2 });
        if (page.deposits.length !== 1)
          throw new Error(`user ${user.id} has ${page.deposits.length} deposits, not 1`);
        const deposit = page.deposits[0]!;
        return { chatId: user.telegramUserId, txId: deposit.txId, logIndex: deposit.logIndex };
      }),
    );
    const ledgerReads = createLedgerReads(database.pool);
    const creditAtMs = new Map<string, number>();
    const creditIds = deposits.map((deposit) => depositTransferIds(deposit.txId, deposit.logIndex).credit);
    for (let start = 0; start < creditIds.length; start += transfersByIdsMax)
      for (const transfer of await ledgerReads.transfersByIds(
        creditIds.slice(start, start + transfersByIdsMax),
      ))
        creditAtMs.set(transfer.id, transfer.createdAt.getTime());

    const firstMessageAtMs = new Map<number, number>();
    for (const message of credited)
      firstMessageAtMs.set(
        message.chatId,
        Math.min(message.receivedAtMs, firstMessageAtMs.get(message.chatId) ?? Number.POSITIVE_INFINITY),
      );
    const creditToMessageMs: number[] = [];
    const creditToQueuedMs: number[] = [];
    const queuedToMessageMs: number[] = [];
    for (const deposit of deposits) {
      const creditAt = creditAtMs.get(depositTransferIds(deposit.txId, deposit.logIndex).credit);
      const messageAt = firstMessageAtMs.get(deposit.chatId);
      if (creditAt === undefined || messageAt === undefined) continue;
      creditToMessageMs.push(messageAt - creditAt);
      const job = await options.queue.getJob(
        notificationJobId(`deposit-credited:${deposit.txId}:${deposit.logIndex}`),
      );
      if (job === undefined) continue;
      creditToQueuedMs.push(job.timestamp - creditAt);
      queuedToMessageMs.push(messageAt - job.timestamp);
    }
    const distinct = (list: readonly SentMessage[]) => new Set(list.map((m) => `${m.chatId}|${m.text}`)).size;
    return {
      deposits: options.depositCount,
      creditToMessageMs,
      creditToQueuedMs,
      queuedToMessageMs,
      credited: creditAtMs.size,
      delivered: credited.length,
      lost: chats.size - distinct(credited),
      sentTwice: credited.length - distinct(credited),
      seenNotices: others.length,
      seenNoticesTwice: others.length - distinct(others),
      setupMs,
    };
  } finally {
    stopping = true;
    await Promise.allSettled(services.reverse().map((service) => service.stop()));
    await temporal.stop();
  }
}
