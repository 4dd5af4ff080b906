// The BullMQ worker on the `notifications` queue: each job through the sender, up to `concurrency` at once (they
// wait their turn in the send scheduler, not here). A refused job (malformed, unknown user, refused by Telegram, or
// outcome unknown) fails at once with its reason, visible in the queue's failed set and the log, and blocks nothing
// else; a retryable failure (429 beyond the bounds, a 5xx answer) is retried by the queue with the job's backoff.
import { notificationQueueName } from '@cardgate/contracts';
import type { Logger } from '@cardgate/config';
import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import {
  NotificationRefusedError,
  type DeliveryOutcome,
  type NotificationSender,
} from './notification-sender.ts';

/** What became of one attempt at a job: the sender's outcome, or `failed` (refused for good, or retried later). */
export type NotificationAttemptOutcome = DeliveryOutcome | 'failed';

export interface NotificationWorkerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly sender: NotificationSender;
  readonly logger: Logger;
  /** Jobs in progress at once (each holds a Redis lock while it waits for its send slot). */
  readonly concurrency: number;
  /** How often BullMQ looks for jobs of a crashed bot (their lock expired) to run again. */
  readonly stalledIntervalMs: number;
  /** Told of each attempt's outcome (main.ts: the process's metrics). */
  readonly onOutcome?: (outcome: NotificationAttemptOutcome) => void;
}

export function startNotificationWorker(options: NotificationWorkerOptions): Worker {
  const { sender, logger } = options;
  const worker = new Worker(
    notificationQueueName,
    async (job) => {
      try {
        const outcome = await sender.deliver(job.data);
        logger.info({ jobId: job.id, outcome }, 'notification handled');
        options.onOutcome?.(outcome);
        return outcome;
      } catch (error) {
        options.onOutcome?.('failed');
        if (error instanceof NotificationRefusedError) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      stalledInterval: options.stalledIntervalMs,
      lockDuration: Math.max(options.stalledIntervalMs, 5_000),
      autorun: true,
    },
  );
  worker.on('failed', (job, error) =>
    logger.warn(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, error: error.message },
      'notification failed',
    ),
  );
  worker.on('error', (error) => logger.error({ error: error.message }, 'notification worker error'));
  return worker;
}
