// Proves every long-running process serves its Prometheus series and that they move when work happens, on the stack
// `npm run dev` starts (its own database, state directory, ports, task queue and queue prefix; the harness's
// PostgreSQL, Redis and Temporal): the table prints each process's /metrics URL; an API request increments the request
// histogram under its route pattern (the card webhook's too); a deposit on the devnet moves the watcher's chain and
// deposit series, the worker's workflow outcome counter and ledger batches, and its credited notification moves the
// bot's counter; a notification queued for later is counted in the queue's delayed jobs; a stored reconciliation run
// shows as findings by kind. Then the infra files are held to what was scraped: every alert rule and Grafana panel
// expression parses as PromQL (the Prometheus project's own grammar, @prometheus-io/lezer-promql) and names only
// series these processes export (or `up`, which Prometheus adds).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parser } from '@prometheus-io/lezer-promql';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { notificationQueueName } from '@cardgate/contracts';
import { createDatabasePool, type DatabasePool } from '@cardgate/db';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import {
  dropDatabase,
  ensureDatabase,
  findFreePort,
  repositoryRoot,
  withDatabase,
} from '@cardgate/local-stack';
import { familyNames, parseExposition, sampleSum, type Sample } from '@cardgate/metrics/testing';
import { createReconciliationStore, difference } from '@cardgate/reconciliation';
import { accountExtendedPublicKey } from '@cardgate/tron';
import { createUserStore } from '@cardgate/users';
import { harnessContext, uniqueSuffix } from '@cardgate/test-harness';
import { isProcessAlive, type DevState } from '../scripts/dev/state.ts';

const stateDirectory = mkdtempSync(join(tmpdir(), 'cardgate-metrics-test-'));
const { postgresAdminUrl, templateDatabase, redisUrl, temporalAddress, temporalNamespace } = harnessContext();
const databaseName = `cardgate_test_${Math.floor(Date.now() / 1000)}_${uniqueSuffix()}`;
const databaseUrl = withDatabase(postgresAdminUrl, databaseName);
const lines: string[] = [];
let dev: ChildProcess | undefined;
let pool: DatabasePool | undefined;

/** How long the dev command gets to stop what it started after a failed test, before its children are killed. */
const stopGraceMs = 30_000;

afterAll(async () => {
  // After a failure the dev command is still running: SIGTERM stops its children (they run in process groups of
  // their own, so a SIGKILL to it alone would leave them behind); whatever outlives the grace period is killed.
  if (dev && dev.exitCode === null) {
    const children = devChildPids();
    const exited = new Promise((resolve) => dev!.once('exit', resolve));
    dev.kill('SIGTERM');
    await Promise.race([exited, sleep(stopGraceMs)]);
    if (dev.exitCode === null) dev.kill('SIGKILL');
    for (const pid of children.filter(isProcessAlive)) process.kill(pid, 'SIGKILL');
  }
  await pool?.end();
  await dropDatabase(postgresAdminUrl, databaseName).catch(() => undefined);
  rmSync(stateDirectory, { recursive: true, force: true });
});

function devChildPids(): number[] {
  try {
    return (JSON.parse(readFileSync(join(stateDirectory, 'dev.json'), 'utf8')) as DevState).childPids.slice();
  } catch {
    return [];
  }
}

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms; last lines:\n${lines.slice(-30).join('\n')}`);
    await sleep(200);
  }
}

/** What each process must export (families, as in `# TYPE`), beside the Node.js process metrics. */
const expectedFamilies = {
  api: [
    'cardgate_http_request_duration_seconds',
    'cardgate_card_event_backlog',
    'cardgate_card_event_backlog_oldest_age_seconds',
    'cardgate_ledger_batch_transfers',
    'cardgate_ledger_batch_duration_seconds',
    'cardgate_dependency_up',
    'process_cpu_seconds_total',
  ],
  watcher: [
    'cardgate_watcher_leader',
    'cardgate_watcher_head_block',
    'cardgate_watcher_solidified_block',
    'cardgate_watcher_processed_block',
    'cardgate_watcher_lag_blocks',
    'cardgate_watcher_outbox_depth',
    'cardgate_watcher_deposits_seen_total',
    'cardgate_watcher_deposits_final_total',
    'cardgate_watcher_deposits_orphaned_total',
    'cardgate_watcher_hand_overs_total',
    'cardgate_watcher_hand_over_latency_seconds',
    'cardgate_watcher_errors_total',
    'cardgate_dependency_up',
  ],
  worker: [
    'cardgate_workflow_outcomes_total',
    'cardgate_notification_queue_jobs',
    'cardgate_reconciliation_last_run_timestamp_seconds',
    'cardgate_reconciliation_last_run_failed',
    'cardgate_reconciliation_findings',
    'cardgate_ledger_batch_transfers',
    'cardgate_ledger_batch_duration_seconds',
    'cardgate_dependency_up',
  ],
  bot: ['cardgate_bot_notifications_total', 'cardgate_dependency_up', 'nodejs_eventloop_lag_seconds'],
} as const;
type ProcessName = keyof typeof expectedFamilies;

describe('metrics of every process', () => {
  it('serves each process’s series, moves them with work, and the alerts and dashboard name only those', async () => {
    const ports = {
      API_PORT: await findFreePort(),
      WATCHER_HEALTH_PORT: await findFreePort(),
      WORKER_HEALTH_PORT: await findFreePort(),
      TRON_DEVNET_PORT: await findFreePort(),
      CARD_SANDBOX_PORT: await findFreePort(),
      TELEGRAM_STAND_IN_PORT: await findFreePort(),
      BOT_HEALTH_PORT: await findFreePort(),
    };
    // A clone of the migrated template: the dev command finds every migration applied.
    await ensureDatabase(postgresAdminUrl, databaseName, templateDatabase);
    const environment: NodeJS.ProcessEnv = { ...process.env };
    delete environment.BOT_TOKEN; // the bot talks to the Bot API stand-in
    const suffix = uniqueSuffix();
    const queuePrefix = `cardgate-metrics-${suffix}`;
    dev = spawn(process.execPath, ['scripts/dev/main.ts'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...environment,
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
        CARDGATE_DEV_STATE_DIR: stateDirectory,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: temporalNamespace,
        TEMPORAL_TASK_QUEUE: `metrics-${suffix}`,
        NOTIFICATION_QUEUE_PREFIX: queuePrefix,
        USER_EVENTS_REDIS_PREFIX: `cardgate-metrics-${suffix}`,
        API_REDIS_KEY_PREFIX: `cardgate-metrics-${suffix}`,
        // The hourly Schedule is one per namespace: not in a shared test server.
        RECONCILE_EVERY: 'off',
        // Finality in about a second: 5 blocks of 200 ms.
        TRON_DEVNET_BLOCK_INTERVAL_MS: '200',
        TRON_DEVNET_SOLIDITY_LAG_BLOCKS: '5',
        LOG_LEVEL: 'warn',
      },
    });
    for (const stream of [dev.stdout!, dev.stderr!])
      stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const exited = new Promise<number | null>((resolve) => dev!.once('exit', (code) => resolve(code)));
    await until('ready', () => lines.some((line) => line.startsWith('[dev] ready.')), 90_000);

    const metricsUrls: Record<ProcessName, string> = {
      api: `http://127.0.0.1:${ports.API_PORT}/metrics`,
      watcher: `http://127.0.0.1:${ports.WATCHER_HEALTH_PORT}/metrics`,
      worker: `http://127.0.0.1:${ports.WORKER_HEALTH_PORT}/metrics`,
      bot: `http://127.0.0.1:${ports.BOT_HEALTH_PORT}/metrics`,
    };
    for (const [name, url] of Object.entries(metricsUrls)) {
      const label = { api: 'API', watcher: 'Watcher', worker: 'Worker', bot: 'Bot' }[name as ProcessName];
      expect(lines.some((line) => new RegExp(`^\\[dev\\]\\s+${label} metrics\\s+${url}$`).test(line))).toBe(
        true,
      );
    }
    const texts: Partial<Record<ProcessName, string>> = {};
    const scrape = async (name: ProcessName): Promise<Sample[]> => {
      const response = await fetch(metricsUrls[name], { signal: AbortSignal.timeout(10_000) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      texts[name] = text;
      const samples = parseExposition(text);
      expect(samples.every((sample) => sample.labels.service === name)).toBe(true);
      return samples;
    };

    // Every process exports its series; each reaches its dependencies.
    const first = {} as Record<ProcessName, Sample[]>;
    for (const name of Object.keys(expectedFamilies) as ProcessName[]) {
      first[name] = await scrape(name);
      const families = familyNames(texts[name]!);
      expect(expectedFamilies[name].filter((family) => !families.has(family))).toEqual([]);
      const down = first[name].filter((s) => s.name === 'cardgate_dependency_up' && s.value !== 1);
      expect(down).toEqual([]);
    }
    // `npm run dev` proved the worker with a health-check workflow: one outcome already.
    expect(
      sampleSum(first.worker, 'cardgate_workflow_outcomes_total', {
        workflow: 'healthCheckWorkflow',
        outcome: 'completed',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleSum(first.watcher, 'cardgate_watcher_leader')).toBe(1);

    // An API request increments the histogram under its route pattern.
    const liveCount = (samples: Sample[]) =>
      sampleSum(samples, 'cardgate_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health/live',
        status: '200',
      });
    for (let request = 0; request < 2; request += 1)
      expect((await fetch(`http://127.0.0.1:${ports.API_PORT}/health/live`)).status).toBe(200);
    expect(liveCount(await scrape('api')) - liveCount(first.api)).toBe(2);
    // The card provider's webhook too: an unsigned delivery is refused, and counted under the route with its status.
    const unsigned = await fetch(`http://127.0.0.1:${ports.API_PORT}/webhooks/card-provider`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(
      sampleSum(await scrape('api'), 'cardgate_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/webhooks/card-provider',
        status: String(unsigned.status),
      }),
    ).toBe(1);

    // A deposit on the devnet: the watcher sees it, it becomes final, is handed over, credited (a workflow outcome
    // and a ledger batch), and the credited notification goes out through the bot.
    pool = await createDatabasePool({ connectionUri: databaseUrl, maxPoolSize: 2 });
    const user = await createUserStore(pool).signIn({
      telegramUserId: 190_000_000 + 7,
      firstName: 'Metrics',
    });
    const address = await createDepositAddressService({
      pool,
      xpub: accountExtendedPublicKey(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
        0,
      ),
      account: 0,
    }).assign(user.id);
    const transfer = await fetch(`http://127.0.0.1:${ports.TRON_DEVNET_PORT}/admin/transfer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: address.base58, amountMinor: '25000000' }),
    });
    expect(transfer.ok).toBe(true);
    let watcher: Sample[] = [];
    await until(
      'the watcher hands the deposit over',
      async () => {
        watcher = await scrape('watcher');
        return sampleSum(watcher, 'cardgate_watcher_deposits_final_total') >= 1;
      },
      30_000,
    );
    expect(sampleSum(watcher, 'cardgate_watcher_deposits_seen_total')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(watcher, 'cardgate_watcher_processed_block')).toBeGreaterThan(0);
    expect(sampleSum(watcher, 'cardgate_watcher_head_block')).toBeGreaterThanOrEqual(
      sampleSum(watcher, 'cardgate_watcher_solidified_block'),
    );
    await until(
      'the hand-over latency is observed',
      async () => sampleSum(await scrape('watcher'), 'cardgate_watcher_hand_over_latency_seconds_count') >= 1,
      10_000,
    );
    let worker: Sample[] = [];
    await until(
      'the deposit workflow completes',
      async () => {
        worker = await scrape('worker');
        return (
          sampleSum(worker, 'cardgate_workflow_outcomes_total', {
            workflow: 'depositWorkflow',
            outcome: 'completed',
          }) === 1
        );
      },
      30_000,
    );
    expect(
      sampleSum(worker, 'cardgate_ledger_batch_transfers_count', { outcome: 'committed' }),
    ).toBeGreaterThan(sampleSum(first.worker, 'cardgate_ledger_batch_transfers_count'));
    await until(
      'the bot sends a deposit notification',
      async () =>
        sampleSum(await scrape('bot'), 'cardgate_bot_notifications_total', { outcome: 'sent' }) >= 1,
      20_000,
    );
    const queueJobs = async (state: string) =>
      sampleSum(await scrape('worker'), 'cardgate_notification_queue_jobs', { state });
    expect(await queueJobs('failed')).toBe(0);
    // A notification queued for later is one more delayed job until it is taken back.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const notifications = new Queue(notificationQueueName, { connection: redis, prefix: queuePrefix });
    try {
      const delayedBefore = await queueJobs('delayed');
      const job = await notifications.add(
        'probe',
        { probe: true },
        { delay: 600_000, jobId: `probe-${suffix}` },
      );
      expect(await queueJobs('delayed')).toBe(delayedBefore + 1);
      await job.remove();
      expect(await queueJobs('delayed')).toBe(delayedBefore);
    } finally {
      await notifications.close();
      redis.disconnect();
    }

    // A stored reconciliation run shows as its findings by kind, and its time.
    const store = createReconciliationStore(pool);
    const runId = await store.beginRun('metrics-test');
    await store.finishRun(runId, {
      asOf: {},
      summary: {},
      findings: [
        difference({
          comparison: 'chain',
          kind: 'final_deposit_not_credited',
          asset: 'USDT',
          ledgerMinor: null,
          otherMinor: 1n,
          objects: { txId: 'probe' },
          detail: 'a probe finding',
        }),
      ],
    });
    const reconciled = await scrape('worker');
    expect(
      sampleSum(reconciled, 'cardgate_reconciliation_findings', {
        comparison: 'chain',
        category: 'difference',
        kind: 'final_deposit_not_credited',
      }),
    ).toBe(1);
    expect(sampleSum(reconciled, 'cardgate_reconciliation_last_run_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
    expect(sampleSum(reconciled, 'cardgate_reconciliation_last_run_failed')).toBe(0);

    // The infra files name only what was scraped.
    const exported = new Set<string>(['up']);
    for (const text of Object.values(texts)) {
      for (const sample of parseExposition(text)) exported.add(sample.name);
      for (const family of familyNames(text)) exported.add(family);
    }
    const alerts = z
      .object({
        groups: z.array(z.object({ rules: z.array(z.object({ alert: z.string(), expr: z.string() })) })),
      })
      .parse(parseYaml(readFileSync(join(repositoryRoot, 'infra/prometheus/alerts.yml'), 'utf8')));
    const ruleExpressions = alerts.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
    const alertNames = alerts.groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    for (const wanted of [
      'CardgateWatcherLagging',
      'CardgateOutboxBacklogGrowing',
      'CardgateCardEventBacklogGrowing',
      'CardgateFlowNeedsOperator',
      'CardgateReconciliationFinding',
      'CardgateDependencyUnhealthy',
      'CardgateProcessDown',
    ])
      expect(alertNames).toContain(wanted);
    const scrapeConfig = z
      .object({
        rule_files: z.array(z.string()),
        scrape_configs: z.array(
          z.object({
            job_name: z.string(),
            static_configs: z.array(z.object({ targets: z.array(z.string()) })),
          }),
        ),
      })
      .parse(parseYaml(readFileSync(join(repositoryRoot, 'infra/prometheus/prometheus.yml'), 'utf8')));
    expect(scrapeConfig.rule_files).toEqual(['alerts.yml']);
    expect(scrapeConfig.scrape_configs.map((job) => job.job_name).sort()).toEqual(
      ['cardgate-api', 'cardgate-bot', 'cardgate-watcher', 'cardgate-worker'].sort(),
    );
    const dashboard = z
      .object({
        panels: z.array(
          z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })).optional() }),
        ),
      })
      .parse(JSON.parse(readFileSync(join(repositoryRoot, 'infra/grafana/cardgate.json'), 'utf8')));
    const panelExpressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
    expect(panelExpressions.length).toBeGreaterThan(20);
    // The checker itself finds a broken expression and a series nobody exports.
    expect(seriesOf('sum(rate(cardgate_watcher_lag_blocks[5m]) by').syntaxError).toBe(true);
    expect(seriesOf('max(cardgate_no_such_series) > 0 and on () up == 0').names).toEqual([
      'cardgate_no_such_series',
      'up',
    ]);
    const problems: string[] = [];
    for (const expression of [...ruleExpressions, ...panelExpressions]) {
      const { names, syntaxError } = seriesOf(expression.replaceAll('$__rate_interval', '5m'));
      if (syntaxError) problems.push(`does not parse: ${expression}`);
      if (names.length === 0) problems.push(`names no series: ${expression}`);
      for (const name of names)
        if (!exported.has(name)) problems.push(`${name} is not exported: ${expression}`);
    }
    expect(problems).toEqual([]);
    // Every required series is on the dashboard.
    for (const family of [...expectedFamilies.api, ...expectedFamilies.watcher, ...expectedFamilies.worker])
      if (family.startsWith('cardgate_') && family !== 'cardgate_dependency_up')
        expect(panelExpressions.some((expression) => expression.includes(family))).toBe(true);

    dev.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 150_000);
});

/** The metric names an expression selects, and whether the grammar found an error in it. */
function seriesOf(expression: string): { names: string[]; syntaxError: boolean } {
  const names: string[] = [];
  let syntaxError = false;
  parser.parse(expression).iterate({
    enter: (node) => {
      if (node.type.isError) syntaxError = true;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        names.push(expression.slice(node.from, node.to));
    },
  });
  return { names, syntaxError };
}
