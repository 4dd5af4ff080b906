// Proves the webhook hand-over survives a failing Temporal: an event stored while the hand-over fails stays marked
// as not handed over, the sweep hands it over later and marks it, and an event handed over twice (the immediate path
// and the sweep racing) is harmless because the hand-over is keyed by event id downstream.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@cardgate/config';
import { sql } from '@cardgate/db';
import { useTestDatabase, uniqueSuffix } from '@cardgate/test-harness';
import type { CardTransactionEvent } from '@cardgate/workflow-contracts';
import { createCardEventDispatcher } from './event-dispatcher.ts';
import { createCardEventStore } from './event-store.ts';

const database = useTestDatabase();
const handedRow = z.object({ handed_over: z.boolean() });

function event(): CardTransactionEvent {
  const id = uniqueSuffix();
  return {
    eventId: `evt_${id}`,
    kind: 'RETURN',
    result: 'APPROVED',
    providerTransactionId: `txn_${id}`,
    cardToken: 'card_1',
    sequence: 1,
    amountMinor: '100',
    currency: 'USD',
    merchantAmountMinor: null,
    merchantCurrency: null,
    mcc: null,
    descriptor: null,
    occurredAt: new Date().toISOString(),
  };
}

describe('card event dispatcher', () => {
  it('leaves an event whose hand-over failed for the sweep, which hands it over and marks it once', async () => {
    const store = createCardEventStore(database.pool);
    let temporalUp = false;
    const handedOver: string[] = [];
    const dispatcher = createCardEventDispatcher({
      store,
      logger: createLogger({ service: 'dispatcher-test', level: 'silent' }),
      sweepAfterMs: 0,
      handOver: async (item) => {
        if (!temporalUp) throw new Error('Temporal is unreachable');
        handedOver.push(item.eventId);
      },
    });
    const stored = event();
    expect(await store.store(stored)).toBe(true);
    expect(await store.store(stored)).toBe(false); // a repeated delivery stores nothing new
    dispatcher.dispatchSoon(stored);
    await dispatcher.stop(); // waits for the failed attempt
    const handed = () =>
      database.pool.oneFirst(sql.type(handedRow)`
        select handed_over_at is not null as handed_over from card_event where event_id = ${stored.eventId}`);
    expect(await handed()).toBe(false);
    expect(handedOver).toEqual([]);

    temporalUp = true;
    expect(await dispatcher.sweep()).toBe(1);
    expect(handedOver).toEqual([stored.eventId]);
    expect(await handed()).toBe(true);
    expect(await dispatcher.sweep()).toBe(0); // nothing left behind
  });
});
