// card_transaction: what the ledger holds for each provider transaction, advanced by compare-and-set on
// `applied_version` after the ledger batch of that version committed. The columns `hold_minor` and
// `hold_transfer_id` keep their names (0005_cards.sql); in code they are the pending debit, the ledger's word.
import { sql, type DatabasePool } from '@cardgate/db';
import type { CardTransactionLedgerState } from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import { z } from 'zod';

const stateRow = z.object({
  applied_version: z.number(),
  hold_minor: z.bigint(),
  hold_transfer_id: z.string().nullable(),
  pending_credit_minor: z.bigint(),
  pending_credit_transfer_id: z.string().nullable(),
  debited_minor: z.bigint(),
  credited_minor: z.bigint(),
  expired: z.boolean(),
});
const noRows = z.object({});

const stateOf = (row: z.infer<typeof stateRow>): CardTransactionLedgerState => ({
  appliedVersion: row.applied_version,
  pendingDebitMinor: row.hold_minor,
  pendingDebitTransferId: row.hold_transfer_id,
  pendingCreditMinor: row.pending_credit_minor,
  pendingCreditTransferId: row.pending_credit_transfer_id,
  debitedMinor: row.debited_minor,
  creditedMinor: row.credited_minor,
  expired: row.expired,
});

export function createCardTransactionTable(pool: DatabasePool) {
  async function state(providerTransactionId: string): Promise<CardTransactionLedgerState | null> {
    const row = await pool.maybeOne(sql.type(stateRow)`
      select applied_version, hold_minor, hold_transfer_id, pending_credit_minor, pending_credit_transfer_id,
        debited_minor, credited_minor, expired_at is not null as expired
      from card_transaction where provider_transaction_id = ${providerTransactionId}`);
    return row ? stateOf(row) : null;
  }

  return {
    state,

    /** The transaction's row, made at version 0 (nothing held) on first sight. */
    async ensure(providerTransactionId: string, cardId: string): Promise<CardTransactionLedgerState> {
      await pool.query(sql.type(noRows)`
        insert into card_transaction (provider_transaction_id, card_id) values (${providerTransactionId}, ${cardId})
        on conflict (provider_transaction_id) do nothing`);
      const found = await state(providerTransactionId);
      if (!found) throw new Error(`card transaction ${providerTransactionId} vanished after its insert`);
      return found;
    },

    /** Moves the row from `fromVersion` to `next`; another writer that moved it first is a retryable conflict. */
    async advance(
      providerTransactionId: string,
      fromVersion: number,
      next: CardTransactionLedgerState,
    ): Promise<void> {
      const advanced = await pool.query(sql.type(noRows)`
        update card_transaction set applied_version = ${next.appliedVersion}, hold_minor = ${next.pendingDebitMinor},
          hold_transfer_id = ${next.pendingDebitTransferId}, pending_credit_minor = ${next.pendingCreditMinor},
          pending_credit_transfer_id = ${next.pendingCreditTransferId},
          debited_minor = ${next.debitedMinor}, credited_minor = ${next.creditedMinor},
          expired_at = case when ${next.expired} then coalesce(expired_at, now()) else expired_at end,
          updated_at = now()
        where provider_transaction_id = ${providerTransactionId} and applied_version = ${fromVersion}`);
      if (advanced.rowCount !== 1)
        throw new AppError('unavailable', `transaction ${providerTransactionId} moved on concurrently`, {
          reason: 'concurrent_apply',
        });
    },
  };
}

export type CardTransactionTable = ReturnType<typeof createCardTransactionTable>;
