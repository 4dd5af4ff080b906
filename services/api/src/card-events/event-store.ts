// Stores each card provider event once, by its event id, and tracks which ones have been handed to Temporal. A
// repeated delivery finds its row and changes nothing; a crash between storing and handing over leaves the row for
// the dispatcher's sweep.
import { sql, type DatabasePool } from '@cardgate/db';
import type { CardTransactionEvent } from '@cardgate/contracts';
import { z } from 'zod';

const insertedRow = z.object({ event_id: z.string() });
const waitingRow = z.object({ payload: z.unknown() });
const noRows = z.object({});

export function createCardEventStore(pool: DatabasePool) {
  return {
    /** True when the event is new; false when it was stored before (a repeated delivery). */
    async store(event: CardTransactionEvent): Promise<boolean> {
      const inserted = await pool.maybeOneFirst(sql.type(insertedRow)`
        insert into card_event (event_id, provider_transaction_id, card_token, kind, payload)
        values (${event.eventId}, ${event.providerTransactionId}, ${event.cardToken}, ${event.kind},
          ${sql.jsonb(event as unknown as Parameters<typeof sql.jsonb>[0])})
        on conflict (event_id) do nothing
        returning event_id`);
      return inserted !== null;
    },

    async markHandedOver(eventIds: readonly string[]): Promise<void> {
      if (eventIds.length === 0) return;
      await pool.query(sql.type(noRows)`
        update card_event set handed_over_at = now()
        where event_id = any(${sql.array(eventIds, 'text')}) and handed_over_at is null`);
    },

    /** Events stored at least `olderThanMs` ago and not yet handed over, oldest first. */
    async waiting(limit: number, olderThanMs: number): Promise<CardTransactionEvent[]> {
      const rows = await pool.any(sql.type(waitingRow)`
        select payload from card_event
        where handed_over_at is null and received_at < now() - make_interval(secs => ${olderThanMs / 1000})
        order by received_at limit ${limit}`);
      return rows.map((row) => row.payload as CardTransactionEvent);
    },
  };
}

export type CardEventStore = ReturnType<typeof createCardEventStore>;
