// Proves the ledger tells its batch observer (the processes' metrics) about every group commit: transfers submitted
// together are reported in fewer batches than transfers, their sizes add up to what was written, each with its
// duration and `committed`; a batch the database refuses outright is reported as `failed`.
import { describe, expect, it } from 'vitest';
import { createDatabasePool } from '@cardgate/db';
import { useTestDatabase } from '@cardgate/test-harness';
import { createLedger, type LedgerBatchObservation } from './ledger.ts';
import { account, transferId, usdt } from './testing.ts';

const database = useTestDatabase();

describe('the batch observer', () => {
  it('reports each committed batch with its size and duration', async () => {
    const batches: LedgerBatchObservation[] = [];
    const ledger = createLedger({ pool: database.pool, onBatch: (batch) => batches.push(batch) });
    const treasury = await account(ledger, { kind: 'asset' });
    const wallet = await account(ledger);
    const transfersCount = 20;
    await Promise.all(
      Array.from({ length: transfersCount }, () =>
        ledger.transfer({
          type: 'posted',
          id: transferId('observed'),
          code: 'deposit',
          debitAccountId: treasury.id,
          creditAccountId: wallet.id,
          amount: usdt(1n),
        }),
      ),
    );
    expect(batches.reduce((sum, batch) => sum + batch.transfers, 0)).toBe(transfersCount);
    expect(batches.length).toBeLessThan(transfersCount);
    expect(batches.every((batch) => batch.outcome === 'committed' && batch.durationMs > 0)).toBe(true);
  });

  it('reports a batch the database refuses as failed', async () => {
    const batches: LedgerBatchObservation[] = [];
    const pool = await createDatabasePool({ connectionUri: database.url, maxPoolSize: 1 });
    const ledger = createLedger({ pool, attemptsMax: 1, onBatch: (batch) => batches.push(batch) });
    const treasury = await account(ledger, { kind: 'asset' });
    const wallet = await account(ledger);
    await pool.end();
    await expect(
      ledger.transfer({
        type: 'posted',
        id: transferId('refused'),
        code: 'deposit',
        debitAccountId: treasury.id,
        creditAccountId: wallet.id,
        amount: usdt(1n),
      }),
    ).rejects.toThrow();
    expect(batches).toEqual([expect.objectContaining({ transfers: 1, requests: 1, outcome: 'failed' })]);
  });
});
