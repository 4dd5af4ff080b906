// Proves the deposit store on the real PostgreSQL: the outbox payload its SQL builds is exactly a DepositEvent the
// contract's schema accepts, field for field, for every event kind a deposit goes through (final on first sight;
// seen, orphaned by a reorg, seen again in the new block, final), with amounts above 2^53 kept exact; a deposit
// already recorded is not recorded again; and a moved cursor or a reorg below a final deposit is refused with
// nothing written.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import type { DepositEvent } from '@cardgate/contracts';
import { depositEventSchema } from '@cardgate/contracts/deposit-event';
import { useTestDatabase } from '@cardgate/test-harness';
import {
  createDepositStore,
  CursorMovedError,
  FinalityViolatedError,
  type DepositObservation,
  type WatchedToken,
} from './deposit-store.ts';
import { blocks, observation, testToken, tip } from './testing.ts';

const database = useTestDatabase();
const outboxRow = z.object({ event: z.string(), sequence: z.number(), payload: z.unknown() });

async function outboxOf(txIds: readonly string[]) {
  return database.pool.any(sql.type(outboxRow)`
    select event, sequence, payload from deposit_outbox where tx_id = any(${sql.array(txIds, 'text')}) order by id`);
}

function expectedEvent(
  token: WatchedToken,
  deposit: DepositObservation,
  event: DepositEvent['event'],
  sequence: number,
): DepositEvent {
  return {
    txId: deposit.txId,
    logIndex: deposit.logIndex,
    chain: token.chain,
    tokenContract: token.contract,
    asset: token.asset,
    from: deposit.from,
    to: deposit.to,
    amountMinor: deposit.amountMinor.toString(),
    blockNumber: String(deposit.blockNumber),
    blockHash: deposit.blockHash,
    blockTimestampMs: deposit.blockTimestampMs.toString(),
    event,
    sequence,
  };
}

describe('deposit store', () => {
  it('writes outbox payloads that are exactly the contract’s DepositEvent, for seen, orphaned and final', async () => {
    const token = testToken();
    const store = createDepositStore(database.pool, token);
    const first = blocks(1, 3);
    // Above 2^53: a JSON number would have lost the last digit.
    const early = observation(first[0]!, 9_007_199_254_740_993n);
    const late = observation(first[2]!, 12_500_000n);
    expect(await store.applyBlocks(undefined, first, [early, late], 1)).toBe(2);
    // A reorg replaces block 3: the deposit in it is orphaned, then seen again in the new block 3, then final.
    const ancestor = { number: first[1]!.number, hash: first[1]!.hash };
    expect(await store.rewind(tip(first), ancestor)).toBe(1);
    const replacement = blocks(3, 1, ancestor.hash);
    const reincluded = observation(replacement[0]!, late.amountMinor, late.txId);
    expect(await store.applyBlocks(ancestor, replacement, [reincluded])).toBe(1);
    expect(await store.finalize(3)).toBe(1);

    const rows = await outboxOf([early.txId, late.txId]);
    expect(rows.map((row) => row.payload)).toEqual([
      expectedEvent(token, early, 'final', 1),
      expectedEvent(token, late, 'seen', 1),
      expectedEvent(token, late, 'orphaned', 2),
      expectedEvent(token, reincluded, 'seen', 3),
      expectedEvent(token, reincluded, 'final', 4),
    ]);
    for (const row of rows) {
      // Strict: the schema refuses a key the SQL adds or leaves out, so success means the same shape.
      const parsed = depositEventSchema.safeParse(row.payload);
      expect(parsed.error).toBeUndefined();
      expect(parsed.data).toEqual(row.payload);
      expect(parsed.data).toMatchObject({ event: row.event, sequence: row.sequence });
    }
    expect(new Set(rows.map((row) => row.event))).toEqual(new Set(['seen', 'orphaned', 'final']));
  });

  it('leaves a deposit it has already recorded as it is', async () => {
    const token = testToken();
    const store = createDepositStore(database.pool, token);
    const run = blocks(1, 2);
    const deposit = observation(run[0]!, 5_000_000n);
    expect(await store.applyBlocks(undefined, run, [deposit], 1)).toBe(1);
    expect(await store.recordRescan(run.slice(0, 1), [deposit], 1)).toBe(0);
    expect((await outboxOf([deposit.txId])).map((row) => row.sequence)).toEqual([1]);
  });

  it('refuses a moved cursor and a reorg below a final deposit, writing nothing', async () => {
    const token = testToken();
    const store = createDepositStore(database.pool, token);
    const run = blocks(1, 4);
    const final = observation(run[2]!, 7_000_000n);
    await store.applyBlocks(undefined, run, [final], 3);

    const stale = { number: run[1]!.number, hash: run[1]!.hash };
    const next = blocks(5, 1, run[3]!.hash);
    const unseen = observation(next[0]!, 1_000_000n);
    await expect(store.applyBlocks(stale, next, [unseen])).rejects.toBeInstanceOf(CursorMovedError);
    expect(await outboxOf([unseen.txId])).toEqual([]);

    await expect(store.rewind(tip(run), { number: 1, hash: run[0]!.hash })).rejects.toBeInstanceOf(
      FinalityViolatedError,
    );
    expect(await store.loadCursor()).toEqual(tip(run));
    expect((await outboxOf([final.txId])).map((row) => row.event)).toEqual(['final']);
  });
});
