// What a reconciliation against the card provider reads from the card tables, in pages ordered by id: the issued
// cards with their provider tokens and ledger accounts, every load with its status and provider token, and what the
// ledger holds for each provider transaction.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';

/** Bound on one page. */
export const cardReadPageRowsMax = 10_000;

const pageLimit = (limit: number): number => Math.max(1, Math.min(limit, cardReadPageRowsMax));

const issuedCardRow = z.object({
  id: z.string(),
  user_id: z.string(),
  state: z.string(),
  provider_token: z.string(),
  ledger_account_id: z.bigint().nullable(),
});
export interface IssuedCard {
  readonly cardId: string;
  readonly userId: string;
  readonly state: string;
  readonly providerToken: string;
  readonly ledgerAccountId: bigint | null;
}

const loadSummaryRow = z.object({
  id: z.string(),
  card_id: z.string(),
  status: z.enum(['holding', 'loading', 'loaded', 'failed']),
  provider_load_token: z.string().nullable(),
  amount_usd_minor: z.bigint().nullable(),
  created_at_ms: z.bigint(),
});
export interface CardLoadSummary {
  readonly loadId: string;
  readonly cardId: string;
  readonly status: 'holding' | 'loading' | 'loaded' | 'failed';
  readonly providerLoadToken: string | null;
  /** The net USD the card receives, minor units. */
  readonly netUsdMinor: bigint | null;
  readonly createdAtMs: bigint;
}

const transactionSummaryRow = z.object({
  provider_transaction_id: z.string(),
  card_id: z.string(),
  hold_minor: z.bigint(),
  pending_credit_minor: z.bigint(),
  debited_minor: z.bigint(),
  credited_minor: z.bigint(),
});
export interface CardTransactionSummary {
  readonly providerTransactionId: string;
  readonly cardId: string;
  readonly pendingDebitMinor: bigint;
  readonly pendingCreditMinor: bigint;
  readonly debitedMinor: bigint;
  readonly creditedMinor: bigint;
}

export function createCardReconciliationReads(pool: DatabasePool) {
  return {
    /** Cards the provider issued (they have a token), id > afterId, in id order. */
    async issuedCardsAfter(afterId: string, limit: number): Promise<IssuedCard[]> {
      const rows = await pool.any(sql.type(issuedCardRow)`
        select id, user_id, state, provider_token, ledger_account_id from card
        where provider_token is not null and id > ${afterId} order by id limit ${pageLimit(limit)}`);
      return rows.map((row) => ({
        cardId: row.id,
        userId: row.user_id,
        state: row.state,
        providerToken: row.provider_token,
        ledgerAccountId: row.ledger_account_id,
      }));
    },

    async loadsAfter(afterId: string, limit: number): Promise<CardLoadSummary[]> {
      const rows = await pool.any(sql.type(loadSummaryRow)`
        select id, card_id, status, provider_load_token, amount_usd_minor,
          (extract(epoch from created_at) * 1000)::int8 as created_at_ms
        from card_load where id > ${afterId} order by id limit ${pageLimit(limit)}`);
      return rows.map((row) => ({
        loadId: row.id,
        cardId: row.card_id,
        status: row.status,
        providerLoadToken: row.provider_load_token,
        netUsdMinor: row.amount_usd_minor,
        createdAtMs: row.created_at_ms,
      }));
    },

    async transactionsAfter(afterId: string, limit: number): Promise<CardTransactionSummary[]> {
      const rows = await pool.any(sql.type(transactionSummaryRow)`
        select provider_transaction_id, card_id, hold_minor, pending_credit_minor, debited_minor, credited_minor
        from card_transaction where provider_transaction_id > ${afterId}
        order by provider_transaction_id limit ${pageLimit(limit)}`);
      return rows.map((row) => ({
        providerTransactionId: row.provider_transaction_id,
        cardId: row.card_id,
        pendingDebitMinor: row.hold_minor,
        pendingCreditMinor: row.pending_credit_minor,
        debitedMinor: row.debited_minor,
        creditedMinor: row.credited_minor,
      }));
    },
  };
}

export type CardReconciliationReads = ReturnType<typeof createCardReconciliationReads>;
