// The per-transaction workflow's activities: read the events stored for a transaction, and move the ledger from what
// it holds for the transaction to the target computed from those events. What the ledger holds is recorded in
// `card_transaction` and advanced by compare-and-set after each ledger batch; the batch's transfer ids carry the
// version they lead to, so a repeat after a crash between the two writes finds its transfers already there.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import type { Ledger, TransferRequest } from '@cardgate/ledger';
import type { Logger } from '@cardgate/config';
import { moneyFromMinor, USD } from '@cardgate/money';
import type {
  AppliedCardTransaction,
  CardTransactionEvent,
  CardTransactionTargetText,
} from '@cardgate/contracts';
import { z } from 'zod';
import { chart, type AccountResolver } from './chart.ts';

export interface CardTransactionActivityDependencies {
  readonly pool: DatabasePool;
  readonly ledger: Ledger;
  readonly accountIds: AccountResolver;
  readonly logger: Logger;
}

const eventsMax = 500;
const eventRow = z.object({ payload: z.unknown() });
const cardRow = z.object({ id: z.string(), user_id: z.string() });
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

export function createCardTransactionActivities(dependencies: CardTransactionActivityDependencies) {
  const { pool, ledger, accountIds, logger } = dependencies;

  async function stateOf(providerTransactionId: string) {
    return pool.maybeOne(sql.type(stateRow)`
      select applied_version, hold_minor, hold_transfer_id, pending_credit_minor, pending_credit_transfer_id,
        debited_minor, credited_minor,
        expired_at is not null as expired
      from card_transaction where provider_transaction_id = ${providerTransactionId}`);
  }

  return {
    /** Every stored event of the transaction (a new run of its workflow starts from them) and whether it expired. */
    async loadCardTransaction(input: {
      providerTransactionId: string;
    }): Promise<{ events: CardTransactionEvent[]; expired: boolean }> {
      const rows = await pool.any(sql.type(eventRow)`
        select payload from card_event where provider_transaction_id = ${input.providerTransactionId}
        order by received_at limit ${eventsMax}`);
      const state = await stateOf(input.providerTransactionId);
      return {
        events: rows.map((row) => row.payload as CardTransactionEvent),
        expired: state?.expired ?? false,
      };
    },

    /** Moves the ledger to the target; answers what the ledger holds for the transaction afterwards. */
    async applyCardTransaction(input: {
      providerTransactionId: string;
      cardToken: string;
      target: CardTransactionTargetText;
      expired: boolean;
    }): Promise<AppliedCardTransaction> {
      const txn = input.providerTransactionId;
      const card = await pool.maybeOne(sql.type(cardRow)`
        select id, user_id from card where provider_token = ${input.cardToken}`);
      if (!card)
        throw new AppError('not_found', `no card has provider token ${input.cardToken}`, {
          reason: 'unknown_card',
        });
      await pool.query(sql.type(noRows)`
        insert into card_transaction (provider_transaction_id, card_id) values (${txn}, ${card.id})
        on conflict (provider_transaction_id) do nothing`);
      const state = (await stateOf(txn))!;
      const target = {
        hold: BigInt(input.target.holdMinor),
        pendingCredit: BigInt(input.target.pendingCreditMinor ?? '0'),
        debited: BigInt(input.target.debitedMinor),
        credited: BigInt(input.target.creditedMinor),
      };
      const expiredNow = input.expired && !state.expired;
      const debitDelta = target.debited - state.debited_minor;
      const creditDelta = target.credited - state.credited_minor;
      if (debitDelta < 0n || creditDelta < 0n)
        throw new AppError('conflict', `transaction ${txn}: posted amounts cannot shrink`, {
          reason: 'target_regressed',
        });
      const holdChanges = target.hold !== state.hold_minor;
      const pendingCreditChanges = target.pendingCredit !== state.pending_credit_minor;
      if (debitDelta === 0n && creditDelta === 0n && !holdChanges && !pendingCreditChanges && !expiredNow)
        return { ...textOf(state), expired: state.expired };

      const version = state.applied_version + 1;
      const prefix = `ctx:${txn}:${version}`;
      const [cardAccount, prefund] = await accountIds([
        chart.card(card.id, card.user_id),
        chart.providerPrefund,
      ]);
      const usd = (minor: bigint) => moneyFromMinor(minor, USD);
      const metadata = { providerTransactionId: txn };
      const transfers: TransferRequest[] = [];
      if (holdChanges && state.hold_transfer_id)
        transfers.push({
          type: 'void_pending',
          id: `${prefix}:release`,
          code: 'card_hold_release',
          pendingId: state.hold_transfer_id,
        });
      if (holdChanges && target.hold > 0n)
        transfers.push({
          type: 'pending',
          id: `${prefix}:hold`,
          code: 'card_hold',
          debitAccountId: cardAccount!,
          creditAccountId: prefund!,
          amount: usd(target.hold),
          metadata,
        });
      if (pendingCreditChanges && state.pending_credit_transfer_id)
        transfers.push({
          type: 'void_pending',
          id: `${prefix}:credit-release`,
          code: 'card_pending_credit_release',
          pendingId: state.pending_credit_transfer_id,
        });
      if (pendingCreditChanges && target.pendingCredit > 0n)
        transfers.push({
          type: 'pending',
          id: `${prefix}:pending-credit`,
          code: 'card_pending_credit',
          debitAccountId: prefund!,
          creditAccountId: cardAccount!,
          amount: usd(target.pendingCredit),
          metadata,
        });
      if (debitDelta > 0n)
        transfers.push({
          type: 'posted',
          id: `${prefix}:debit`,
          code: 'card_debit',
          debitAccountId: cardAccount!,
          creditAccountId: prefund!,
          amount: usd(debitDelta),
          metadata,
        });
      if (creditDelta > 0n)
        transfers.push({
          type: 'posted',
          id: `${prefix}:credit`,
          code: 'card_credit',
          debitAccountId: prefund!,
          creditAccountId: cardAccount!,
          amount: usd(creditDelta),
          metadata,
        });
      if (transfers.length > 0) await ledger.submit(transfers);

      const holdTransferId = holdChanges
        ? target.hold > 0n
          ? `${prefix}:hold`
          : null
        : state.hold_transfer_id;
      const pendingCreditTransferId = pendingCreditChanges
        ? target.pendingCredit > 0n
          ? `${prefix}:pending-credit`
          : null
        : state.pending_credit_transfer_id;
      const advanced = await pool.query(sql.type(noRows)`
        update card_transaction set applied_version = ${version}, hold_minor = ${target.hold},
          hold_transfer_id = ${holdTransferId}, pending_credit_minor = ${target.pendingCredit},
          pending_credit_transfer_id = ${pendingCreditTransferId},
          debited_minor = ${target.debited}, credited_minor = ${target.credited},
          expired_at = case when ${input.expired} then coalesce(expired_at, now()) else expired_at end, updated_at = now()
        where provider_transaction_id = ${txn} and applied_version = ${state.applied_version}`);
      if (advanced.rowCount !== 1)
        throw new AppError('unavailable', `transaction ${txn} moved on concurrently`, {
          reason: 'concurrent_apply',
        });
      logger.info({ providerTransactionId: txn, version, ...input.target }, 'card transaction applied');
      return {
        version,
        ...input.target,
        pendingCreditMinor: target.pendingCredit.toString(),
        expired: input.expired || state.expired,
      };
    },
  };
}

function textOf(state: z.infer<typeof stateRow>): AppliedCardTransaction {
  return {
    version: state.applied_version,
    holdMinor: state.hold_minor.toString(),
    pendingCreditMinor: state.pending_credit_minor.toString(),
    debitedMinor: state.debited_minor.toString(),
    creditedMinor: state.credited_minor.toString(),
    expired: state.expired,
  };
}
