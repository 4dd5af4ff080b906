// A card load's USDT hold: the wallet's pending debit to the FX position, placed the same way by the API's loads
// (POST /v1/cards/{id}/loads, before its 202) and by the worker's card load workflow (a load the API did not hold, an
// auto-load, a retry). The ledger makes it once (the transfer id is the load's); a wallet short of the amount fails
// the load in the card store, so that no load stays `holding` without its USDT held.
import type { CardStore, StoredCardLoad } from '@cardgate/card-store';
import { chart, planCardLoadPending } from '@cardgate/domain';
import { LedgerError, type AccountResolver, type Ledger } from '@cardgate/ledger';

export interface CardLoadHoldDependencies {
  readonly ledger: Ledger;
  readonly accountIds: AccountResolver;
  readonly store: Pick<CardStore, 'loads'>;
}

/** True when the error is the ledger's refusal of a hold the wallet cannot pay. */
export function isInsufficientFunds(error: unknown): boolean {
  return error instanceof LedgerError && error.reason === 'exceeds_credits';
}

/**
 * Holds the load's USDT on the wallet (idempotent: a repeat finds the transfer made). When the wallet cannot pay, the
 * load is marked failed (`insufficient_funds`) and the ledger's refusal is thrown on (see isInsufficientFunds).
 */
export async function holdCardLoad(
  dependencies: CardLoadHoldDependencies,
  load: StoredCardLoad,
): Promise<void> {
  const { ledger, accountIds, store } = dependencies;
  const [wallet, fxPositionUsdt] = await accountIds([chart.wallet(load.userId), chart.fxPositionUsdt]);
  try {
    await ledger.transfer(
      planCardLoadPending({
        loadId: load.loadId,
        cardId: load.cardId,
        quote: load,
        accounts: { wallet, fxPositionUsdt },
      }),
    );
  } catch (error) {
    if (isInsufficientFunds(error)) await store.loads.markFailed(load.loadId, 'insufficient_funds');
    throw error;
  }
}
