// The ledger as the card routes use it: one instance per database pool in this process (a ledger instance batches
// and remembers accounts; several would only compete), the card's balance in its own terms, and the wallet's
// available USDT. Reads name accounts by the chart (@cardgate/domain), never the ledger's tables.
import type { DatabasePool } from '@cardgate/db';
import { chart } from '@cardgate/domain';
import { balanceOf, createLedger, type AccountSpec, type Ledger, type LedgerOptions } from '@cardgate/ledger';
import { moneyFromMinor, USD, USDT, type Money } from '@cardgate/money';

const ledgers = new WeakMap<DatabasePool, Ledger>();
/** Account ids by code: an account never changes once made, so one lookup per account and process is enough. */
const accountIds = new Map<string, bigint>();
const accountIdsMax = 100_000;

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
 * The ids of the chart's accounts, made on first use (createAccounts is idempotent by code) and remembered, bounded:
 * a load would otherwise spend a transaction of upserts on accounts that exist.
 */
export async function accountIdsOf(ledger: Ledger, specs: readonly AccountSpec[]): Promise<bigint[]> {
  const missing = specs.filter((spec) => !accountIds.has(spec.code));
  if (missing.length > 0) {
    if (accountIds.size + missing.length > accountIdsMax) accountIds.clear();
    for (const account of await ledger.createAccounts(missing)) accountIds.set(account.code, account.id);
  }
  return specs.map((spec) => {
    const id = accountIds.get(spec.code);
    if (id === undefined) throw new Error(`ledger account ${spec.code} was not resolved`);
    return id;
  });
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
