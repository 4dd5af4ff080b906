// The ledger as the card routes use it: one instance per database pool in this process (a ledger instance batches
// and remembers accounts; several would only compete), the card's balance in its own terms, and the wallet's
// available USDT. Reads name accounts by the chart (@cardgate/domain), never the ledger's tables.
import type { DatabasePool } from '@cardgate/db';
import { chart } from '@cardgate/domain';
import {
  balanceOf,
  createAccountResolver,
  createLedger,
  type AccountResolver,
  type Ledger,
  type LedgerOptions,
} from '@cardgate/ledger';
import { moneyFromMinor, USD, USDT, type Money } from '@cardgate/money';

const ledgers = new WeakMap<DatabasePool, Ledger>();
/** One account resolver per ledger (its cache of ids by code). */
const resolvers = new WeakMap<Ledger, AccountResolver>();

/** The pool's ledger; `onBatch` (the process's metrics) is taken when the ledger is made, on the first call. */
export function ledgerOf(pool: DatabasePool, onBatch?: LedgerOptions['onBatch']): Ledger {
  let ledger = ledgers.get(pool);
  if (!ledger) {
    ledger = createLedger({ pool, ...(onBatch ? { onBatch } : {}) });
    ledgers.set(pool, ledger);
  }
  return ledger;
}

/**
 * The ids of the chart's accounts, made on first use (createAccounts is idempotent by code) and remembered per
 * ledger, bounded: a load would otherwise spend a transaction of upserts on accounts that exist.
 */
export function accountResolverOf(ledger: Ledger): AccountResolver {
  let resolver = resolvers.get(ledger);
  if (!resolver) {
    resolver = createAccountResolver(ledger);
    resolvers.set(ledger, resolver);
  }
  return resolver;
}

export interface CardBalance {
  /** Posted: loads in, clearings and refunds settled. */
  readonly posted: Money;
  /** Held by authorizations not yet cleared. */
  readonly pending: Money;
  /** What the card can spend: posted − pending. */
  readonly available: Money;
}

const usd = (minor: bigint) => moneyFromMinor(minor, USD);

/** The card's ledger account in the card's terms; zero before the account exists (a card still issuing). */
export async function cardBalanceOf(ledger: Ledger, cardId: string, userId: string): Promise<CardBalance> {
  const account = await ledger.accountByCode(chart.card(cardId, userId).code);
  if (!account) return { posted: usd(0n), pending: usd(0n), available: usd(0n) };
  const balance = balanceOf(account);
  return {
    posted: usd(balance.postedNet),
    pending: usd(balance.debitsPending),
    available: usd(balance.available),
  };
}

/** The USDT the user can spend from the wallet now (zero before the wallet exists). */
export async function walletAvailableOf(ledger: Ledger, userId: string): Promise<Money> {
  const account = await ledger.accountByCode(chart.wallet(userId).code);
  return moneyFromMinor(account ? balanceOf(account).available : 0n, USDT);
}
