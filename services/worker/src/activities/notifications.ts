// Queues user notifications (sent by the Telegram bot's worker, a later issue) on a BullMQ queue in Redis. The job id
// is the notification's business id, so a repeated activity queues one job; a lost notification loses no money.
import type { Queue } from 'bullmq';
import type { Notification } from '@cardgate/contracts';

export function createNotificationActivities(dependencies: { readonly queue: Queue }) {
  return {
    async queueNotification(notification: Notification): Promise<void> {
      await dependencies.queue.add(notification.kind, notification, {
        jobId: notification.id.replaceAll(':', '_'),
        removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
      });
    },
  };
}
