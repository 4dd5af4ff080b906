// Proves the ledger reads operators use, on the real PostgreSQL: a user's accounts by owner (only theirs), the open
// pending transfers of one code (a posted, voided or other-code hold is left out; paging by seq), and one account's
// transfers of some codes newest first, each pending one with how it was resolved (null while open).
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@cardgate/test-harness';
import { createLedger, type Ledger } from './ledger.ts';
import { createLedgerReads } from './reads.ts';
import { account, transferId, uniqueCode, usdt } from './testing.ts';

const database = useTestDatabase();
let ledger: Ledger;

beforeAll(() => {
  ledger = createLedger({ pool: database.pool });
});

describe('operator reads', () => {
  it('finds accounts by owner, open pending transfers by code, and an account’s transfers by code', async () => {
    const reads = createLedgerReads(database.pool);
    const owner = uniqueCode('owner').replaceAll(':', '-');
    const treasury = await account(ledger, { kind: 'asset' });
    const wallet = await account(ledger, { ownerRef: owner, debitsMustNotExceedCredits: true });
    const card = await account(ledger, { ownerRef: owner, asset: 'USD' });
    await account(ledger, { ownerRef: `${owner}-other` });
    expect((await reads.accountsOfOwner(owner)).map((found) => found.id)).toEqual([wallet.id, card.id]);

    const code = `review_${Date.now().toString(36)}`;
    const pending = (id: string, minor: bigint) => ({
      type: 'pending' as const,
      id,
      code,
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: usdt(minor),
    });
    const [open1, open2, posted, voided] = [
      transferId('o1'),
      transferId('o2'),
      transferId('p'),
      transferId('v'),
    ];
    await ledger.submit([pending(open1, 1n), pending(open2, 2n), pending(posted, 3n), pending(voided, 4n)]);
    await ledger.submit([
      { type: 'post_pending', id: `${posted}:post`, code: 'release', pendingId: posted },
      { type: 'void_pending', id: `${voided}:void`, code: 'reject', pendingId: voided },
    ]);
    await ledger.transfer({
      type: 'posted',
      id: transferId('plain'),
      code: 'deposit',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: usdt(5n),
    });

    const open = await reads.openPendingByCode(code, { limit: 10 });
    expect(open.map((transfer) => transfer.id)).toEqual([open1, open2]);
    const secondPage = await reads.openPendingByCode(code, { limit: 10, afterSeq: open[0]!.seq });
    expect(secondPage.map((transfer) => transfer.id)).toEqual([open2]);
    expect(await reads.resolutionOf(open1)).toBeUndefined();
    expect((await reads.resolutionOf(posted))?.kind).toBe('post_pending');

    const history = await reads.transfersByCode(wallet.id, [code, 'deposit'], 10);
    expect(history.map((entry) => [entry.transfer.amountMinor, entry.resolvedBy])).toEqual([
      [5n, null],
      [4n, 'void_pending'],
      [3n, 'post_pending'],
      [2n, null],
      [1n, null],
    ]);
    expect(await reads.transfersByCode(wallet.id, [code], 2)).toHaveLength(2);
  });
});
