// The deposit flow's activities: credit a final deposit to its owner's USDT wallet (fee to revenue), or hold it for
// review when it is below the minimum; release or reject a held one. Every ledger write carries an id derived from
// the deposit (tx id, log index), so a retry, a crash or a repeated workflow can never credit twice.
import type { DatabasePool } from '@cardgate/db';
import { createDepositAddressStore } from '@cardgate/deposit-addresses';
import { AppError } from '@cardgate/errors';
import type { AccountResolver, Ledger, Metadata, TransferRequest } from '@cardgate/ledger';
import { formatMoney, moneyFromMinor, parseMinorUnits, USDT, type Money, formatMinor } from '@cardgate/money';
import type { Logger } from '@cardgate/config';
import { type DepositCredit } from '@cardgate/contracts';
import { chart, depositTransferIds, priceDeposit, type DepositPricing } from '@cardgate/domain';

export interface DepositActivityDependencies {
  readonly pool: DatabasePool;
  readonly ledger: Ledger;
  readonly accountIds: AccountResolver;
  readonly pricing: DepositPricing;
  readonly logger: Logger;
}

export interface CreditDepositInput {
  readonly txId: string;
  readonly logIndex: number;
  readonly toAddress: string;
  readonly asset: string;
  readonly amountMinor: string;
}

export type { DepositCredit };

export const depositTransferId = (txId: string, logIndex: number): string =>
  depositTransferIds(txId, logIndex).credit;

/** The deposit fee from the wallet to revenue, when there is one; its id derives from the deposit's. */
function feeTransfers(
  ids: ReturnType<typeof depositTransferIds>,
  walletId: bigint,
  feesId: bigint,
  fee: Money,
  metadata?: Metadata,
): TransferRequest[] {
  if (fee.minor <= 0n) return [];
  const transfer: TransferRequest = {
    type: 'posted',
    id: ids.fee,
    code: 'deposit_fee',
    debitAccountId: walletId,
    creditAccountId: feesId,
    amount: fee,
    ...(metadata ? { metadata } : {}),
  };
  return [transfer];
}

export function createDepositActivities(dependencies: DepositActivityDependencies) {
  const { pool, ledger, accountIds, pricing, logger } = dependencies;

  async function ownerOf(address: string): Promise<string> {
    const owner = await createDepositAddressStore(pool).findOwner(address);
    if (owner === null)
      throw new AppError('not_found', `no user owns deposit address ${address}`, {
        reason: 'unknown_address',
      });
    return owner;
  }

  return {
    /** Credits the deposit (or holds it for review); the same deposit again answers the same credit. */
    async creditDeposit(input: CreditDepositInput): Promise<DepositCredit> {
      if (input.asset !== USDT.code)
        throw new AppError('invalid_input', `deposits of ${input.asset} are not credited`, {
          reason: 'asset',
        });
      const gross = parseMinorUnits(input.amountMinor, USDT);
      const userId = await ownerOf(input.toAddress);
      const price = priceDeposit(gross, pricing);
      const [treasury, wallet, fees] = await accountIds([
        chart.treasury,
        chart.wallet(userId),
        chart.depositFees,
      ]);
      const ids = depositTransferIds(input.txId, input.logIndex);
      const id = ids.credit;
      const metadata = { txId: input.txId, logIndex: input.logIndex, userId };
      const transfers: TransferRequest[] = price.heldForReview
        ? [
            // Visible to the user as a pending credit, not spendable until an operator releases it.
            {
              type: 'pending',
              id,
              code: 'deposit_review',
              debitAccountId: treasury,
              creditAccountId: wallet,
              amount: gross,
              metadata,
            },
          ]
        : [
            {
              type: 'posted',
              id,
              code: 'deposit',
              debitAccountId: treasury,
              creditAccountId: wallet,
              amount: gross,
              metadata,
            },
            ...feeTransfers(ids, wallet, fees, price.fee, metadata),
          ];
      const results = await ledger.submit(transfers);
      logger.info(
        {
          txId: input.txId,
          logIndex: input.logIndex,
          userId,
          status: results[0]?.status,
          heldForReview: price.heldForReview,
          // Decimal USDT, as an operator reads them; a held deposit is charged its fee only when released.
          amount: formatMoney(gross),
          fee: formatMoney(price.heldForReview ? moneyFromMinor(0n, USDT) : price.fee),
          net: formatMoney(price.heldForReview ? gross : price.net),
          asset: USDT.code,
        },
        'deposit credited',
      );
      return {
        userId,
        status: price.heldForReview ? 'held_for_review' : 'credited',
        grossMinor: formatMinor(gross),
        feeMinor: price.heldForReview ? '0' : formatMinor(price.fee),
        netMinor: formatMinor(price.heldForReview ? gross : price.net),
      };
    },

    /** An operator's decision on a held deposit: release it (minus the fee) into the wallet, or reject it. */
    async decideHeldDeposit(input: {
      txId: string;
      logIndex: number;
      userId: string;
      approve: boolean;
    }): Promise<DepositCredit> {
      const ids = depositTransferIds(input.txId, input.logIndex);
      const id = ids.credit;
      const held = await ledger.transferById(id);
      if (!held || held.kind !== 'pending')
        throw new AppError('conflict', `deposit ${id} is not held for review`, { reason: 'not_held' });
      const gross = moneyFromMinor(held.amountMinor, USDT);
      if (!input.approve) {
        await ledger.submit([
          { type: 'void_pending', id: ids.reject, code: 'deposit_rejected', pendingId: id },
        ]);
        return {
          userId: input.userId,
          status: 'held_for_review',
          grossMinor: formatMinor(gross),
          feeMinor: '0',
          netMinor: '0',
        };
      }
      const price = priceDeposit(gross, pricing);
      const [wallet, fees] = await accountIds([chart.wallet(input.userId), chart.depositFees]);
      await ledger.submit([
        { type: 'post_pending', id: ids.release, code: 'deposit_released', pendingId: id },
        ...feeTransfers(ids, wallet, fees, price.fee),
      ]);
      return {
        userId: input.userId,
        status: 'credited',
        grossMinor: formatMinor(gross),
        feeMinor: formatMinor(price.fee),
        netMinor: formatMinor(price.net),
      };
    },
  };
}
