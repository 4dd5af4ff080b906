// Proves the card webhook route in-process on the real PostgreSQL: a delivery signed correctly, but whose
// `webhook-id` header names another event than the body's `event_id`, is refused with a 400 problem+json
// (reason id_mismatch) before anything is stored or handed over, so a replayed signature cannot smuggle in another
// event under a fresh id; the same delivery with matching ids is stored once and handed over.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@cardgate/config';
import { sql } from '@cardgate/db';
import { signWebhook } from '@cardgate/card-provider';
import type { CardTransactionEvent } from '@cardgate/contracts';
import { uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { createApp } from '../app.ts';
import { createCardEventDispatcher, type CardEventDispatcher } from './event-dispatcher.ts';
import { createCardEventStore } from './event-store.ts';

const database = useTestDatabase();
const logger = createLogger({ service: 'api-webhook-test', level: 'silent' });
const secret = `whsec_${Buffer.from('webhook-route-test-secret-0123456789').toString('base64')}`;
const count = z.object({ count: z.bigint() });
let dispatcher: CardEventDispatcher | undefined;

afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
});

function webhookApp() {
  const handedOver: CardTransactionEvent[] = [];
  const store = createCardEventStore(database.pool);
  dispatcher = createCardEventDispatcher({
    store,
    handOver: async (event) => {
      handedOver.push(event);
    },
    logger,
  });
  const app = createApp({ logger, healthChecks: {}, cardWebhooks: { secret, store, dispatcher } });
  return { app, handedOver };
}

function body(eventId: string): string {
  return JSON.stringify({
    event_id: eventId,
    event_type: 'card_transaction.updated',
    created: new Date().toISOString(),
    payload: {
      transaction_token: `txn_${uniqueSuffix()}`,
      card_token: 'card_route_test',
      kind: 'AUTHORIZATION',
      result: 'APPROVED',
      sequence: 1,
      amount: '2500',
      currency: 'USD',
    },
  });
}

async function send(app: ReturnType<typeof webhookApp>['app'], headerId: string, payload: string) {
  const now = Math.floor(Date.now() / 1000);
  return app.request('/webhooks/card-provider', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': headerId,
      'webhook-timestamp': String(now),
      // Signed over the header's id, as the provider signs: the signature itself is genuine.
      'webhook-signature': signWebhook(secret, headerId, now, payload),
    },
    body: payload,
  });
}

async function storedCount(eventIds: readonly string[]): Promise<bigint> {
  return database.pool.oneFirst(sql.type(count)`
    select count(*) as count from card_event where event_id = any(${sql.array(eventIds, 'text')})`);
}

describe('card webhook route', () => {
  it('refuses a correctly signed delivery whose webhook-id differs from its event_id, storing nothing', async () => {
    const { app, handedOver } = webhookApp();
    const bodyId = `evt_body_${uniqueSuffix()}`;
    const headerId = `evt_header_${uniqueSuffix()}`;
    const response = await send(app, headerId, body(bodyId));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 400,
      code: 'invalid_input',
      reason: 'id_mismatch',
    });
    await dispatcher!.stop();
    expect(await storedCount([bodyId, headerId])).toBe(0n);
    expect(handedOver).toEqual([]);
  });

  it('stores and hands over the same delivery once when the ids match', async () => {
    const { app, handedOver } = webhookApp();
    const eventId = `evt_match_${uniqueSuffix()}`;
    const payload = body(eventId);
    const response = await send(app, eventId, payload);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    await dispatcher!.stop();
    expect(await storedCount([eventId])).toBe(1n);
    expect(handedOver.map((event) => event.eventId)).toEqual([eventId]);
  });
});
