// Proves the webhook hand-over survives a failing Temporal: an event stored while the hand-over fails stays marked
// as not handed over, the sweep hands it over later and marks it, and an event handed over twice (the immediate path
// and the sweep racing) is harmless because the hand-over is keyed by event id downstream; and stopping waits for a
// periodic sweep in progress, which takes no next event, so nothing is handed over once stop has returned.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { testLogger, useTestDatabase, uniqueSuffix } from '@cardgate/test-harness';
import type { CardTransactionEvent } from '@cardgate/contracts';
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
      logger: testLogger('dispatcher-test'),
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

describe('stopping the card event dispatcher', () => {
  it('waits for the hand-over a periodic sweep is in, and hands nothing over after it returns', async () => {
    const store = createCardEventStore(database.pool);
    for (let index = 0; index < 5; index += 1) expect(await store.store(event())).toBe(true);
    let started = 0;
    let finished = 0;
    let firstStarted: () => void = () => undefined;
    const firstStartedPromise = new Promise<void>((resolve) => (firstStarted = resolve));
    const dispatcher = createCardEventDispatcher({
      store,
      logger: testLogger('dispatcher-test'),
      sweepAfterMs: 0,
      sweepIntervalMs: 10,
      handOver: async () => {
        started += 1;
        firstStarted();
        await new Promise((resolve) => setTimeout(resolve, 100));
        finished += 1;
      },
    });
    dispatcher.start();
    await firstStartedPromise;
    await dispatcher.stop();
    expect(finished).toBe(started); // nothing still running when stop returned
    const startedAtStop = started;
    expect(startedAtStop).toBeLessThan(5); // the sweep took no next event
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toBe(startedAtStop);
  });
});
