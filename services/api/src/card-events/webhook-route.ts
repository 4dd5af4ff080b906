// POST /webhooks/card-provider: verifies the Standard Webhooks signature and timestamp, parses the event, stores it
// once by event id, answers 200 at once, and leaves the hand-over to Temporal to the dispatcher. A forged or stale
// delivery is refused (401/400) before anything is written; a repeat answers 200 and changes nothing.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '@cardgate/errors';
import { parseWebhook, webhookBodyBytesMax } from '@cardgate/card-provider';
import type { ApiVariables } from '../lib/types.ts';
import type { CardEventStore } from './event-store.ts';
import type { CardEventDispatcher } from './event-dispatcher.ts';

export interface CardWebhookDependencies {
  readonly secret: string;
  readonly store: CardEventStore;
  readonly dispatcher: CardEventDispatcher;
  readonly nowSeconds?: () => number;
}

export function createCardWebhookRoutes(dependencies: CardWebhookDependencies) {
  const nowSeconds = dependencies.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return new Hono<{ Variables: ApiVariables }>().post(
    '/webhooks/card-provider',
    bodyLimit({
      maxSize: webhookBodyBytesMax,
      onError: () => {
        throw new AppError('payload_too_large', `webhook body is larger than ${webhookBodyBytesMax} bytes`);
      },
    }),
    async (context) => {
      const contentType = context.req.header('content-type') ?? '';
      if (!contentType.startsWith('application/json'))
        throw new AppError('unsupported_media_type', 'webhooks must be application/json');
      const rawBody = await context.req.text();
      const event = parseWebhook(
        dependencies.secret,
        {
          id: context.req.header('webhook-id'),
          timestamp: context.req.header('webhook-timestamp'),
          signature: context.req.header('webhook-signature'),
        },
        rawBody,
        nowSeconds(),
      );
      if (context.req.header('webhook-id') !== event.eventId)
        throw new AppError('invalid_input', 'webhook-id does not match the event id', {
          reason: 'id_mismatch',
        });
      const isNew = await dependencies.store.store(event);
      // A repeat may be the provider retrying because our earlier answer was lost: hand it over again too.
      dependencies.dispatcher.dispatchSoon(event);
      context.get('logger').info({ eventId: event.eventId, kind: event.kind, isNew }, 'card event received');
      return context.json({ received: true, duplicate: !isNew }, 200);
    },
  );
}
