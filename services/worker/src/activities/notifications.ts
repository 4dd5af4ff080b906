// Queues user notifications (sent by the Telegram bot's worker, a later issue) on a BullMQ queue in Redis. The job id
// is the notification's business id, so a repeated activity queues one job; a lost notification loses no money.
// The same step publishes the user event the notification makes (user-event-of-notification.ts) to the user's event
// stream, so no workflow changes for it. A retried activity may publish it twice: both carry the notification's id as
// their `key`, which the client uses to ignore the repeat. A live event never holds up a money flow: one that cannot
// be made (a bug) is logged and skipped; Redis failing fails the step, which Temporal retries (queueing again is a
// no-op), as it would for the queue on the same Redis.
import type { Queue } from 'bullmq';
import type { Logger } from '@cardgate/config';
import type { Notification } from '@cardgate/contracts';
import { userEventSchema, type UserEvent } from '@cardgate/contracts/user-event';
import type { UserEventPublisher } from '@cardgate/user-events';
import { userEventOfNotification } from './user-event-of-notification.ts';

export function createNotificationActivities(dependencies: {
  readonly queue: Queue;
  /** The users' event streams; absent where nobody streams them (tests of other things). */
  readonly userEvents?: UserEventPublisher;
  readonly logger?: Logger;
}) {
  const userEventFor = (notification: Notification): UserEvent | null => {
    try {
      const event = userEventOfNotification(notification);
      return event && userEventSchema.parse(event);
    } catch (error) {
      dependencies.logger?.warn(
        { err: error, notificationId: notification.id },
        'no user event for notification',
      );
      return null;
    }
  };
  return {
    async queueNotification(notification: Notification): Promise<void> {
      await dependencies.queue.add(notification.kind, notification, {
        jobId: notification.id.replaceAll(':', '_'),
        removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
      });
      const event = dependencies.userEvents ? userEventFor(notification) : null;
      if (event && dependencies.userEvents) await dependencies.userEvents.publish(notification.userId, event);
    },
  };
}
