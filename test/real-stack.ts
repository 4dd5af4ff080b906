// TEST ONLY. The stack `npm run dev` runs, for tests that drive it from the outside (the Mini App's journey): the TRON
// devnet and the card sandbox (stand-ins), then the API (serving the built Mini App at /app/), the watcher and the
// worker, each its own Node process started by scripts/dev/services.ts with the environment scripts/dev/main.ts gives
// it, on free ports. What it uses of the servers is the test's own: a database, Redis key prefixes (the users' event
// streams, the notifications queue; deleted at the end) and a Temporal task queue, so the stack sees nothing of other
// test files running beside it, and no bot outside the test sends its notifications. Block production is the test's
// to drive (no block interval): a deposit becomes final when the test produces the blocks on top of it.
import { developmentApiKey, developmentWebhookSecret } from '@cardgate/card-sandbox';
import { findFreePort } from '@cardgate/local-stack';
import { Redis } from 'ioredis';
import {
  developmentApiEnvironment,
  developmentPrices,
  developmentProgramLimits,
} from '../scripts/dev/development-keys.ts';
import { startNodeProcess, waitHealthy } from '../scripts/dev/services.ts';
import { standInEntries } from '../scripts/dev/stand-ins.ts';
import type { ProcessHandle } from '../scripts/dev/supervisor.ts';

export interface RealStackOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly temporalAddress: string;
  readonly temporalNamespace: string;
  /** Names the task queue, the Redis prefix and the watcher's chain id (lower case letters, digits and dashes). */
  readonly label: string;
  /** A deposit is final this many blocks after its own (the devnet's solidity lag); the API shows lag + 1 needed. */
  readonly solidityLagBlocks: number;
  /** Each line the processes print (a test hands console.log, which files it under the running test). */
  readonly write: (line: string) => void;
}

export interface RealStack {
  readonly apiUrl: string;
  readonly devnetUrl: string;
  readonly sandboxUrl: string;
  /** The sandbox's key, for its list and simulate endpoints. */
  readonly sandboxApiKey: string;
  /** Produces blocks on the devnet (POST /admin/produce); answers the new head. */
  produceBlocks(count: number): Promise<number>;
  /** Stops the services, then the stand-ins. */
  close(): Promise<void>;
}

/** The bound on one process answering its health check (a cold start on a busy 2-core machine takes seconds). */
const healthyTimeoutMs = 60_000;
/** How often the watcher asks the devnet for blocks when it is caught up: the default second would be most of a step. */
const watcherIdlePollMs = 100;

interface Definition {
  readonly name: string;
  readonly entry: string;
  readonly healthUrl: string;
  readonly env: Record<string, string>;
}

export async function startRealStack(options: RealStackOptions): Promise<RealStack> {
  const port = async () => String(await findFreePort());
  const ports = {
    api: await port(),
    watcher: await port(),
    worker: await port(),
    devnet: await port(),
    sandbox: await port(),
  };
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const devnetUrl = `http://127.0.0.1:${ports.devnet}`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  // The label names the users' event streams (API_REDIS_KEY_PREFIX: 40 characters at most) and, below it, the queue.
  const redisPrefix = options.label.slice(0, 40);
  const queuePrefix = `${redisPrefix}:bull`;
  const common = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.temporalNamespace,
    TEMPORAL_TASK_QUEUE: options.label,
    LOG_LEVEL: 'warn',
  };
  const standIns: Definition[] = [
    {
      name: 'tron-devnet',
      entry: standInEntries.tronDevnet,
      healthUrl: `${devnetUrl}/health`,
      env: {
        TRON_DEVNET_PORT: ports.devnet,
        TRON_DEVNET_BLOCK_INTERVAL_MS: '0',
        TRON_DEVNET_SOLIDITY_LAG_BLOCKS: String(options.solidityLagBlocks),
      },
    },
    {
      name: 'card-sandbox',
      entry: standInEntries.cardSandbox,
      healthUrl: `${sandboxUrl}/health`,
      env: {
        CARD_SANDBOX_PORT: ports.sandbox,
        CARD_SANDBOX_API_KEY: developmentApiKey,
        CARD_SANDBOX_WEBHOOK_SECRET: developmentWebhookSecret,
        CARD_SANDBOX_WEBHOOK_URL: `${apiUrl}/webhooks/card-provider`,
        // A webhook sent before the API listens is tried again within a second, not after the process's 30 s.
        CARD_SANDBOX_WEBHOOK_BACKOFF_MS_MAX: '1000',
      },
    },
  ];
  const services: Definition[] = [
    {
      name: 'api',
      entry: 'services/api/src/main.ts',
      healthUrl: `${apiUrl}/health`,
      env: {
        API_PORT: ports.api,
        CARD_WEBHOOK_SECRET: developmentWebhookSecret,
        API_REDIS_KEY_PREFIX: redisPrefix,
        DEPOSIT_CONFIRMATIONS: String(options.solidityLagBlocks + 1),
        ...developmentApiEnvironment({}),
      },
    },
    {
      name: 'watcher',
      entry: 'services/watcher/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.watcher}/health`,
      env: {
        WATCHER_HEALTH_PORT: ports.watcher,
        TRON_NODE_URLS: devnetUrl,
        WATCHER_START_BLOCK: '0',
        WATCHER_CHAIN_ID: options.label,
        WATCHER_IDLE_POLL_MS: String(watcherIdlePollMs),
        USER_EVENTS_REDIS_PREFIX: redisPrefix,
      },
    },
    {
      name: 'worker',
      entry: 'services/worker/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.worker}/health`,
      env: {
        WORKER_HEALTH_PORT: ports.worker,
        CARD_PROVIDER_URL: sandboxUrl,
        CARD_PROVIDER_API_KEY: developmentApiKey,
        USER_EVENTS_REDIS_PREFIX: redisPrefix,
        NOTIFICATION_QUEUE_PREFIX: queuePrefix,
        RECONCILE_EVERY: 'off',
        ...developmentPrices({}),
        ...developmentProgramLimits({}),
      },
    },
  ];

  const running: { name: string; handle: ProcessHandle }[] = [];
  const start = async (definitions: readonly Definition[]): Promise<void> => {
    const started = definitions.map((definition) => {
      const handle = startNodeProcess({
        name: definition.name,
        entry: definition.entry,
        env: { ...common, ...definition.env },
        write: options.write,
        // In the test's process group: a Ctrl-C on the test run reaches them too.
        detached: false,
      });
      running.push({ name: definition.name, handle });
      return { definition, handle };
    });
    await Promise.all(
      started.map(({ definition, handle }) =>
        waitHealthy(definition.name, definition.healthUrl, handle, healthyTimeoutMs),
      ),
    );
  };
  const close = async (): Promise<void> => {
    const services = running.filter(
      (process_) => !standIns.some((standIn) => standIn.name === process_.name),
    );
    await Promise.allSettled(services.map((process_) => process_.handle.stop()));
    await Promise.allSettled(running.filter((p) => !services.includes(p)).map((p) => p.handle.stop()));
    await deleteRedisKeys(options.redisUrl, `${redisPrefix}:*`);
  };
  try {
    // The stand-ins first, as `npm run dev` does: the watcher and the worker check them at start.
    await start(standIns);
    await start(services);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    apiUrl,
    devnetUrl,
    sandboxUrl,
    sandboxApiKey: developmentApiKey,
    async produceBlocks(count) {
      const response = await fetch(`${devnetUrl}/admin/produce`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ count }),
      });
      if (!response.ok) throw new Error(`the devnet refused to produce blocks: ${response.status}`);
      return ((await response.json()) as { head: number }).head;
    },
    close,
  };
}

/** Keys asked for per SCAN round trip while the stack's Redis keys are deleted (a journey leaves a few dozen). */
const deleteBatchKeys = 500;

async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    const stream = redis.scanStream({ match: pattern, count: deleteBatchKeys });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
