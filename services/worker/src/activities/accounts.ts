// Resolves the chart's accounts (@cardgate/domain) to ledger ids, creating missing accounts once, with a per-process
// cache (accounts are created once, idempotently by code, and never change), bounded so it cannot grow without limit.
import type { AccountSpec, Ledger } from '@cardgate/ledger';

/** One id per spec, in the order given: `[wallet, fees] = await accountIds([chart.wallet(u), chart.depositFees])`. */
export type AccountIds<T extends readonly AccountSpec[]> = { -readonly [K in keyof T]: bigint };

export function createAccountResolver(ledger: Ledger, cachedMax = 100_000) {
  const ids = new Map<string, bigint>();
  return async function accountIds<const T extends readonly AccountSpec[]>(specs: T): Promise<AccountIds<T>> {
    if (ids.size + specs.length > cachedMax) ids.clear();
    const missing = specs.filter((spec) => !ids.has(spec.code));
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
