// Resolves the chart's accounts (@cardgate/domain) to ledger ids, creating missing accounts once, with a cache per
// ledger instance (accounts are created once, idempotently by code, and never change), bounded so it cannot grow
// without limit. The worker's activities and the API's card loads use it, so a load does not spend a transaction of
// upserts on accounts that exist.
import type { Ledger } from './ledger.ts';
import type { AccountSpec } from './types.ts';

/** One id per spec, in the order given: `[wallet, fees] = await accountIds([chart.wallet(u), chart.depositFees])`. */
export type AccountIds<T extends readonly AccountSpec[]> = { -readonly [K in keyof T]: bigint };

export function createAccountResolver(ledger: Ledger, cachedMax = 100_000) {
  const ids = new Map<string, bigint>();
  return async function accountIds<const T extends readonly AccountSpec[]>(specs: T): Promise<AccountIds<T>> {
    let missing = specs.filter((spec) => !ids.has(spec.code));
    // Full: start afresh (what is asked is then all missing). Counting only the missing keeps a full cache answering
    // the accounts it knows.
    if (ids.size + missing.length > cachedMax) {
      ids.clear();
      missing = [...specs];
    }
    if (missing.length > 0)
      for (const account of await ledger.createAccounts(missing)) ids.set(account.code, account.id);
    const resolved = specs.map((spec) => {
      const id = ids.get(spec.code);
      if (id === undefined) throw new Error(`account ${spec.code} was not resolved`);
      return id;
    });
    // The one place the tuple type is asserted: `map` keeps length and order, which TypeScript cannot see.
    return resolved as AccountIds<T>;
  };
}

export type AccountResolver = ReturnType<typeof createAccountResolver>;
