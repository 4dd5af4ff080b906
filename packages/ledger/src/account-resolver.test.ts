// Proves the account resolver on the real PostgreSQL: ids come back in the order asked, a missing account is made
// once and then answered from the cache (no createAccounts for a known code), its ids are the ledger's own, and the
// cache stays within its bound (cleared when full, then filled again from the ledger with the same ids).
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@cardgate/test-harness';
import { createAccountResolver } from './account-resolver.ts';
import { createLedger, type Ledger } from './ledger.ts';
import type { AccountSpec } from './types.ts';
import { uniqueCode } from './testing.ts';

const database = useTestDatabase();

const spec = (prefix: string): AccountSpec => ({
  code: uniqueCode(prefix),
  asset: 'USDT',
  kind: 'liability',
});

/** The ledger with a count of createAccounts calls. */
function countingLedger(ledger: Ledger): { ledger: Ledger; creates: () => number } {
  let creates = 0;
  const counted: Ledger = {
    ...ledger,
    createAccounts: (specs) => {
      creates += 1;
      return ledger.createAccounts(specs);
    },
  };
  return { ledger: counted, creates: () => creates };
}

describe('account resolver', () => {
  it('answers ids in order, makes a missing account once, and keeps its cache within the bound', async () => {
    const ledger = createLedger({ pool: database.pool });
    const counting = countingLedger(ledger);
    const resolve = createAccountResolver(counting.ledger, 3);
    const [a, b, c, d] = [spec('a'), spec('b'), spec('c'), spec('d')];

    const [idA, idB] = await resolve([a, b]);
    expect(counting.creates()).toBe(1);
    expect([(await ledger.accountByCode(a.code))?.id, (await ledger.accountByCode(b.code))?.id]).toEqual([
      idA,
      idB,
    ]);
    expect(await resolve([b, a])).toEqual([idB, idA]); // the order asked, from the cache
    expect(counting.creates()).toBe(1);

    const [idC] = await resolve([c]); // 3 known: at the bound
    expect(counting.creates()).toBe(2);
    await resolve([d]); // past the bound: the cache starts afresh
    expect(counting.creates()).toBe(3);
    expect(await resolve([a, b, c])).toEqual([idA, idB, idC]); // the same ids, read back from the ledger
    expect(counting.creates()).toBe(4);
  });
});
