// Proves the reads of one owner's accounts on the real PostgreSQL: accountsOwnedBy returns exactly the accounts of
// that owner (never another's); transfersByIds returns the existing ones among the ids, in commit order, and refuses
// an unbounded list; ownerStatement lists an owner's lines across all their accounts newest first, shows a pending
// transfer once (pending while open, posted with the posted amount once posted, gone once voided or expired),
// pages without losing or repeating a line, and never shows another owner's transfers.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@cardgate/test-harness';
import { createLedger, type Ledger } from './ledger.ts';
import { LedgerError } from './ledger-error.ts';
import { transfersByIdsMax } from './reads.ts';
import { account, transferId, uniqueCode, usd, usdt } from './testing.ts';

const database = useTestDatabase();
let ledger: Ledger;

beforeAll(() => {
  ledger = createLedger({ pool: database.pool });
});

async function ownerWithAccounts(owner: string) {
  const treasury = await account(ledger, { kind: 'asset' });
  const prefund = await account(ledger, { kind: 'asset', asset: 'USD' });
  const fees = await account(ledger, { kind: 'revenue' });
  const wallet = await account(ledger, { ownerRef: owner, debitsMustNotExceedCredits: true });
  const card = await account(ledger, { ownerRef: owner, asset: 'USD' });
  return { treasury, prefund, fees, wallet, card };
}

describe('an owner’s accounts', () => {
  it('are the owner’s own, in id order, and nobody else’s', async () => {
    const alice = uniqueCode('alice');
    const bob = uniqueCode('bob');
    const mine = await ownerWithAccounts(alice);
    const theirs = await ownerWithAccounts(bob);
    expect((await ledger.accountsOwnedBy(alice)).map((a) => a.id)).toEqual([mine.wallet.id, mine.card.id]);
    expect((await ledger.accountsOwnedBy(bob)).map((a) => a.id)).toEqual([theirs.wallet.id, theirs.card.id]);
    expect(await ledger.accountsOwnedBy(uniqueCode('nobody'))).toEqual([]);
  });
});

describe('transfers by id', () => {
  it('answers the existing ones in commit order and refuses more than its bound', async () => {
    const { treasury, wallet } = await ownerWithAccounts(uniqueCode('owner'));
    const first = transferId('first');
    const second = transferId('second');
    for (const id of [first, second])
      await ledger.transfer({
        type: 'posted',
        id,
        code: 'deposit',
        debitAccountId: treasury.id,
        creditAccountId: wallet.id,
        amount: usdt(1n),
      });
    const found = await ledger.transfersByIds([second, 'missing-id', first]);
    expect(found.map((t) => t.id)).toEqual([first, second]);
    expect(await ledger.transfersByIds([])).toEqual([]);
    const tooMany = Array.from({ length: transfersByIdsMax + 1 }, (_, index) => `id-${index}`);
    await expect(ledger.transfersByIds(tooMany)).rejects.toBeInstanceOf(LedgerError);
  });
});

describe('an owner’s statement', () => {
  it('lists both accounts newest first, folding each pending transfer into one line', async () => {
    const owner = uniqueCode('owner');
    const { treasury, prefund, fees, wallet, card } = await ownerWithAccounts(owner);
    const other = await ownerWithAccounts(uniqueCode('other'));
    const ids = {
      deposit: transferId('deposit'),
      fee: transferId('fee'),
      heldPosted: transferId('held-posted'),
      heldVoided: transferId('held-voided'),
      cardIn: transferId('card-in'),
      cardHold: transferId('card-hold'),
    };
    await ledger.transfer({
      type: 'posted',
      id: ids.deposit,
      code: 'deposit',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: usdt(30_000_000n),
    });
    await ledger.transfer({
      type: 'posted',
      id: ids.fee,
      code: 'deposit_fee',
      debitAccountId: wallet.id,
      creditAccountId: fees.id,
      amount: usdt(800_000n),
    });
    // Another owner's transfer in between: never on this owner's statement.
    await ledger.transfer({
      type: 'posted',
      id: transferId('other'),
      code: 'deposit',
      debitAccountId: other.treasury.id,
      creditAccountId: other.wallet.id,
      amount: usdt(5n),
    });
    for (const id of [ids.heldPosted, ids.heldVoided])
      await ledger.transfer({
        type: 'pending',
        id,
        code: 'card_issue_fee',
        debitAccountId: wallet.id,
        creditAccountId: fees.id,
        amount: usdt(2_000_000n),
      });
    await ledger.transfer({
      type: 'posted',
      id: ids.cardIn,
      code: 'card_load',
      debitAccountId: prefund.id,
      creditAccountId: card.id,
      amount: usd(4_922n),
    });
    await ledger.transfer({
      type: 'pending',
      id: ids.cardHold,
      code: 'card_hold',
      debitAccountId: card.id,
      creditAccountId: prefund.id,
      amount: usd(2_000n),
    });
    // Posted for less than was pending; the other voided.
    await ledger.transfer({
      type: 'post_pending',
      id: `${ids.heldPosted}:post`,
      code: 'card_issue_fee',
      pendingId: ids.heldPosted,
      amount: usdt(1_500_000n),
    });
    await ledger.transfer({
      type: 'void_pending',
      id: `${ids.heldVoided}:void`,
      code: 'card_issue_fee',
      pendingId: ids.heldVoided,
    });

    const page = await ledger.ownerStatement(owner, { limit: 10 });
    expect(
      page.lines.map((line) => [line.transfer.id, line.accountId, line.side, line.status, line.amountMinor]),
    ).toEqual([
      [ids.cardHold, card.id, 'debit', 'pending', 2_000n],
      [ids.cardIn, card.id, 'credit', 'posted', 4_922n],
      [ids.heldPosted, wallet.id, 'debit', 'posted', 1_500_000n],
      [ids.fee, wallet.id, 'debit', 'posted', 800_000n],
      [ids.deposit, wallet.id, 'credit', 'posted', 30_000_000n],
    ]);
    expect(page.nextCursor).toBeUndefined();
    expect(page.lines[2]!.postedAt).toBeInstanceOf(Date);
    expect(page.lines[0]!.postedAt).toBeNull();
    expect(page.lines[0]!.accountCode).toBe(card.code);

    // Two at a time: the same lines, none lost or repeated, and the last page says so.
    const paged: string[] = [];
    let beforeSeq: bigint | undefined;
    for (let pageNumber = 0; pageNumber < 10; pageNumber += 1) {
      const next = await ledger.ownerStatement(owner, { limit: 2, ...(beforeSeq ? { beforeSeq } : {}) });
      paged.push(...next.lines.map((line) => line.transfer.id));
      if (next.nextCursor === undefined) break;
      beforeSeq = next.nextCursor;
    }
    expect(paged).toEqual(page.lines.map((line) => line.transfer.id));
    expect((await ledger.ownerStatement(uniqueCode('nobody'))).lines).toEqual([]);
  });
});
