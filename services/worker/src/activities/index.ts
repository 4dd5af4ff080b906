// Activities are built by a factory from their dependencies, so tests pass real test resources and main.ts the
// production ones. Every activity's failures are mapped to Temporal failures in one place (failures.ts).
import { sql, type DatabasePool } from '@cardgate/db';
import type { Logger } from '@cardgate/config';
import type { CardProvider } from '@cardgate/card-provider';
import { createAccountResolver, type Ledger } from '@cardgate/ledger';
import type { Money } from '@cardgate/money';
import type { Queue } from 'bullmq';
import type { Client } from '@temporalio/client';
import type { UserEventPublisher } from '@cardgate/user-events';
import { z } from 'zod';
import { createCardStore } from '@cardgate/card-store';
import { createLoadLimits } from '@cardgate/load-limits';
import type { DepositPricing, FxSettings, ProgramLimits } from '@cardgate/domain';
import { createCardIssueActivities } from './card-issue.ts';
import { createCardLoadActivities } from './card-load.ts';
import { createCardLoadSweepActivities } from './card-load-sweep.ts';
import { createCardStateActivities } from './card-state.ts';
import { createCardTransactionActivities } from './card-transaction.ts';
import { createDepositActivities } from './deposit.ts';
import { mapFailures, type BrokenInvariantHandler } from './failures.ts';
import { createNotificationActivities } from './notifications.ts';
import { createDepositSeenActivities } from './event-notifications.ts';
import type { Notification } from '@cardgate/contracts';
import { createReconciliationActivities } from './reconciliation.ts';
import type { Reconciler } from '@cardgate/reconciliation';

export interface MoneySettings {
  readonly deposit: DepositPricing;
  readonly cardIssueFee: Money;
  readonly fx: FxSettings;
  /** The card program's limits (USD): a load the worker makes without a quote meets them as the API's loads do. */
  readonly limits: ProgramLimits;
}

export interface ActivityDependencies {
  readonly pool: DatabasePool;
  readonly logger: Logger;
  readonly ledger: Ledger;
  readonly provider: CardProvider;
  readonly notifications: Queue;
  /** The users' live event streams (GET /v1/events); absent in tests that do not look at them. */
  readonly userEvents?: UserEventPublisher;
  readonly money: MoneySettings;
  /** The scheduled reconciliation's runner; absent when the worker has no TRON node configured. */
  readonly reconciler?: Reconciler;
  /** Where the card load workflows run: the card load sweep starts the workflows of unfinished loads there. */
  readonly temporal: { readonly client: Client; readonly taskQueue: string };
  /** Called when the ledger reports a broken invariant; main.ts logs it and exits the process (see failures.ts). */
  readonly onBrokenInvariant: BrokenInvariantHandler;
}

const heartbeatRow = z.object({ beat_at: z.string() });
const noRows = z.object({});

export interface DepositReceipt {
  readonly txId: string;
  readonly logIndex: number;
  readonly workflowId: string;
}

export function createActivities(dependencies: ActivityDependencies) {
  const { pool, logger, ledger, provider, money } = dependencies;
  const accountIds = createAccountResolver(ledger);
  const store = createCardStore(pool);
  const userEvents = dependencies.userEvents ? { userEvents: dependencies.userEvents } : {};
  const notifications = createNotificationActivities({
    queue: dependencies.notifications,
    logger,
    ...userEvents,
  });
  const notify = (notification: Notification) => notifications.queueNotification(notification);
  return mapFailures(
    {
      /** Upserts the service's heartbeat row and returns the stored time as ISO text. */
      async recordHeartbeat(service: string): Promise<string> {
        const row = await pool.one(sql.type(heartbeatRow)`
        insert into service_heartbeat (service) values (${service})
        on conflict (service) do update set beat_at = now()
        returning to_char(beat_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as beat_at`);
        logger.info({ service }, 'heartbeat recorded');
        return row.beat_at;
      },

      /** Records that the deposit's workflow received it as final; a retry after a crash writes nothing twice. */
      async recordDepositReceipt(receipt: DepositReceipt): Promise<void> {
        await pool.query(sql.type(noRows)`
        insert into deposit_receipt (tx_id, log_index, workflow_id)
        values (${receipt.txId}, ${receipt.logIndex}, ${receipt.workflowId})
        on conflict (tx_id, log_index) do nothing`);
        logger.info({ txId: receipt.txId, logIndex: receipt.logIndex }, 'deposit receipt recorded');
      },

      ...createDepositActivities({ pool, ledger, accountIds, pricing: money.deposit, logger }),
      ...createCardIssueActivities({
        store,
        ledger,
        accountIds,
        provider,
        issueFee: money.cardIssueFee,
        logger,
      }),
      ...createCardLoadActivities({
        store,
        ledger,
        accountIds,
        provider,
        fx: money.fx,
        limits: createLoadLimits({ store, ledger, limits: money.limits }),
        notify,
        logger,
      }),
      ...createCardLoadSweepActivities({ store, temporal: dependencies.temporal, logger }),
      ...createCardTransactionActivities({ store, ledger, accountIds, logger, notify, ...userEvents }),
      ...createCardStateActivities({ store, provider, logger }),
      ...notifications,
      ...createDepositSeenActivities({ pool, logger, notify }),
      ...createReconciliationActivities({ reconciler: dependencies.reconciler, logger }),
    },
    dependencies.onBrokenInvariant,
  );
}

export type Activities = ReturnType<typeof createActivities>;
