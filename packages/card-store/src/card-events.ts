// card_event: each card provider event stored once, by its event id, written by the API's webhook route and read by
// the API's dispatcher and the worker's card transaction flow. Payloads are parsed with the event's contract schema on
// every read, so a row that does not match the contract fails loudly where it is read instead of travelling on.
import { sql, type DatabasePool } from '@cardgate/db';
import { cardTransactionEventSchema, type CardTransactionEvent } from '@cardgate/contracts';
import { z } from 'zod';

const insertedRow = z.object({ event_id: z.string() });
// slonik checks rows against a `sql.type` schema only when a result-parser interceptor is installed, and
// @cardgate/db installs none: the row type is a claim, not a check. So the payload is parsed here, explicitly.
const payloadRow = z.object({ payload: z.unknown() });
const eventsOf = (rows: readonly { payload: unknown }[]): CardTransactionEvent[] =>
  rows.map((row) => cardTransactionEventSchema.parse(row.payload));
const noRows = z.object({});
const backlogRow = z.object({ count: z.number(), oldest_age_seconds: z.number().nullable() });
const pagedRow = z.object({ payload: z.unknown(), received_at: z.string(), event_id: z.string() });

/** Events of one card on one page, at most. */
export const cardEventPageMax = 100;

export interface CardEventPage {
  readonly events: readonly CardTransactionEvent[];
  /** Where the next page starts (the last event's arrival and id); null when this page is the last. */
  readonly next: { readonly receivedAt: string; readonly eventId: string } | null;
}

/** Events one transaction may have; more is a provider fault, and the flow works from the first ones. */
export const cardTransactionEventsMax = 500;

export function createCardEventStore(pool: DatabasePool) {
  return {
    /** True when the event is new; false when it was stored before (a repeated delivery). */
    async store(event: CardTransactionEvent): Promise<boolean> {
      const checked = cardTransactionEventSchema.parse(event);
      const inserted = await pool.maybeOneFirst(sql.type(insertedRow)`
        insert into card_event (event_id, provider_transaction_id, card_token, kind, payload)
        values (${checked.eventId}, ${checked.providerTransactionId}, ${checked.cardToken}, ${checked.kind},
          ${sql.jsonb(checked)})
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
      const rows = await pool.any(sql.type(payloadRow)`
        select payload from card_event
        where handed_over_at is null and received_at < now() - make_interval(secs => ${olderThanMs / 1000})
        order by received_at limit ${limit}`);
      return eventsOf(rows);
    },

    /**
     * The backlog (metrics): events not yet handed over, counted up to `countMax` (a bound on the rows a scrape may
     * read through the partial index), and the age of the oldest of them in seconds (null when there is none).
     */
    async backlog(countMax: number): Promise<{ count: number; oldestAgeSeconds: number | null }> {
      const row = await pool.one(sql.type(backlogRow)`
        select (select count(*)::int4 from (select 1 from card_event where handed_over_at is null limit ${countMax}) w)
            as count,
          (select extract(epoch from now() - min(received_at))::float8 from card_event where handed_over_at is null)
            as oldest_age_seconds`);
      return { count: row.count, oldestAgeSeconds: row.oldest_age_seconds };
    },

    /** A card's events, newest first, `limit` (at most cardEventPageMax) after `after`. */
    async ofCard(
      cardToken: string,
      page: { limit: number; after?: { receivedAt: string; eventId: string } },
    ): Promise<CardEventPage> {
      const limit = Math.max(1, Math.min(page.limit, cardEventPageMax));
      const after = page.after
        ? sql.fragment`and (received_at, event_id) < (${page.after.receivedAt}::timestamptz, ${page.after.eventId})`
        : sql.fragment``;
      const rows = await pool.any(sql.type(pagedRow)`
        select payload, event_id,
          to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as received_at
        from card_event where card_token = ${cardToken} ${after}
        order by received_at desc, event_id desc limit ${limit}`);
      const last = rows[rows.length - 1];
      return {
        events: eventsOf(rows),
        next: rows.length === limit && last ? { receivedAt: last.received_at, eventId: last.event_id } : null,
      };
    },

    /** Every stored event of one provider transaction, in the order they arrived (at most the bound above). */
    async ofTransaction(providerTransactionId: string): Promise<CardTransactionEvent[]> {
      const rows = await pool.any(sql.type(payloadRow)`
        select payload from card_event where provider_transaction_id = ${providerTransactionId}
        order by received_at limit ${cardTransactionEventsMax}`);
      return eventsOf(rows);
    },
  };
}

export type CardEventStore = ReturnType<typeof createCardEventStore>;
