// Proves card_event's owner stores an event once by its id and reads it back through the contract's schema: an event
// round-trips unchanged, a repeated delivery is no new event, and a stored payload that does not match the contract
// fails where it is read instead of travelling on as a cast. The backlog (what the metrics show) counts events not yet
// handed over, within its bound, and drops an event once it is marked.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CardTransactionEvent } from '@cardgate/contracts';
import { sql } from '@cardgate/db';
import { uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { createCardEventStore } from './card-events.ts';

const database = useTestDatabase();

const event = (providerTransactionId: string): CardTransactionEvent => ({
  eventId: `evt_${uniqueSuffix()}`,
  kind: 'AUTHORIZATION',
  result: 'APPROVED',
  providerTransactionId,
  cardToken: 'card_tok',
  sequence: 1,
  amountMinor: '1250',
  currency: 'USD',
  merchantAmountMinor: null,
  merchantCurrency: null,
  mcc: '5812',
  descriptor: 'SHOP',
  occurredAt: '2026-12-01T10:00:00.000Z',
});

describe('card event store', () => {
  it('stores once, reads back through the schema, and refuses a stored payload that breaks the contract', async () => {
    const store = createCardEventStore(database.pool);
    const txn = `txn_${uniqueSuffix()}`;
    const first = event(txn);
    expect(await store.store(first)).toBe(true);
    expect(await store.store(first)).toBe(false);
    expect(await store.ofTransaction(txn)).toEqual([first]);

    // A row written around the owner (an amount as a JSON number) is refused on read.
    const broken = { ...event(txn), amountMinor: 1250 };
    await database.pool.query(sql.type(z.object({}))`
      insert into card_event (event_id, provider_transaction_id, card_token, kind, payload)
      values (${broken.eventId}, ${txn}, 'card_tok', 'AUTHORIZATION', ${sql.jsonb(broken)})`);
    await expect(store.ofTransaction(txn)).rejects.toThrow();
  });

  it('counts the backlog of events not yet handed over, within its bound', async () => {
    const store = createCardEventStore(database.pool);
    const before = await store.backlog(1_000);
    const events = [event(`txn_${uniqueSuffix()}`), event(`txn_${uniqueSuffix()}`)];
    for (const stored of events) await store.store(stored);
    const waiting = await store.backlog(1_000);
    expect(waiting.count).toBe(before.count + 2);
    expect(waiting.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    expect((await store.backlog(1)).count).toBe(1);
    await store.markHandedOver(events.map((stored) => stored.eventId));
    expect((await store.backlog(1_000)).count).toBe(before.count);
  });
});
