// The bot process's Prometheus series, beside the shared ones (process metrics, dependency health): what became of
// each attempt to send a queued notification. (The queue's depth is the worker's cardgate_notification_queue_jobs:
// the producer keeps reporting it while the bot is down, which is when it grows.)
import {
  Counter,
  createMetricsRegistry,
  registerDependencyHealth,
  type RunHealthChecks,
} from '@cardgate/metrics';
import type { NotificationAttemptOutcome } from './notification-worker.ts';

export function createBotMetrics(sources: { readonly runHealthChecks: RunHealthChecks }) {
  const registry = createMetricsRegistry({ service: 'bot' });
  registerDependencyHealth(registry, sources.runHealthChecks);
  const notifications = new Counter({
    name: 'cardgate_bot_notifications_total',
    help: 'Attempts at queued notifications by outcome (sent, already_sent, blocked, unknown, refused, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    registry,
    recordNotification: (outcome: NotificationAttemptOutcome) => notifications.inc({ outcome }),
  };
}
