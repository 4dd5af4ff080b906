// Bulk import of posted transfers: for loading history from another system and for benchmarks that need a million
// journal rows (bench:reconcile). One statement per chunk instead of the write path's planning: rows are written with
// the running totals of both accounts, exactly as the write path records them, so `verify` checks an imported journal
// like any other. Posted transfers only (no pending bookkeeping); each call is one transaction under the accounts'
// locks, taken in id order like every writer. Measured reason for not going through `submit`: a million transfers
// through the write path take minutes on the 2-core machine, the import about half a minute.
import { sql, type DatabasePool } from '@cardgate/db';
import type { Money } from '@cardgate/money';
import { z } from 'zod';

import { LedgerError } from './ledger-error.ts';
import { lockAccounts } from './store.ts';
import type { AccountSpec, Metadata } from './types.ts';
import { checkAccountCode } from './validate.ts';

/** Bound on the transfers of one import call (one statement). */
export const importTransfersMax = 20_000;

export interface ImportedTransfer {
  readonly id: string;
  readonly code: string;
  readonly debitAccountId: bigint;
  readonly creditAccountId: bigint;
  readonly amount: Money;
  readonly metadata?: Metadata;
}

const noRows = z.object({});

export async function importPostedTransfers(
  pool: DatabasePool,
  transfers: readonly ImportedTransfer[],
  batchId: string,
): Promise<number> {
  if (transfers.length === 0) return 0;
  if (transfers.length > importTransfersMax)
    throw new LedgerError('batch_too_large', `at most ${importTransfersMax} transfers per import`);
  return pool.transaction(async (connection) => {
    const locked = await lockAccounts(
      connection,
      transfers.flatMap((transfer) => [transfer.debitAccountId, transfer.creditAccountId]),
    );
    // Running totals, advanced transfer by transfer in the order given.
    const accounts = new Map(
      [...locked.values()].map((account) => [
        account.id,
        {
          id: account.id,
          asset: account.asset,
          debitsPosted: account.debitsPosted,
          creditsPosted: account.creditsPosted,
          debitsPending: account.debitsPending,
          creditsPending: account.creditsPending,
        },
      ]),
    );
    const columns = {
      id: [] as string[],
      code: [] as string[],
      asset: [] as string[],
      debit: [] as bigint[],
      credit: [] as bigint[],
      amount: [] as bigint[],
      metadata: [] as string[],
      totals: Array.from({ length: 8 }, () => [] as bigint[]),
    };
    for (const transfer of transfers) {
      const debit = accounts.get(transfer.debitAccountId);
      const credit = accounts.get(transfer.creditAccountId);
      if (!debit || !credit)
        throw new LedgerError('account_not_found', `transfer ${transfer.id}: no account`);
      const asset = transfer.amount.asset.code;
      if (
        debit.asset !== asset ||
        credit.asset !== asset ||
        debit.id === credit.id ||
        transfer.amount.minor <= 0n
      )
        throw new LedgerError('asset_mismatch', `transfer ${transfer.id} does not fit its accounts`);
      debit.debitsPosted += transfer.amount.minor;
      credit.creditsPosted += transfer.amount.minor;
      columns.id.push(transfer.id);
      columns.code.push(transfer.code);
      columns.asset.push(asset);
      columns.debit.push(debit.id);
      columns.credit.push(credit.id);
      columns.amount.push(transfer.amount.minor);
      columns.metadata.push(JSON.stringify(transfer.metadata ?? {}));
      const after = [debit, credit].flatMap((account) => [
        account.debitsPosted,
        account.creditsPosted,
        account.debitsPending,
        account.creditsPending,
      ]);
      after.forEach((value, index) => columns.totals[index]!.push(value));
    }
    const [ddp, dcp, ddpe, dcpe, cdp, ccp, cdpe, ccpe] = columns.totals.map((values) =>
      sql.array(values, 'int8'),
    );
    // The rows go in in the order given, so their seq order is the order the running totals were computed in.
    await connection.query(sql.type(noRows)`
      insert into ledger_transfer (id, batch_id, kind, code, asset, debit_account_id, credit_account_id, amount,
        metadata, debit_debits_posted, debit_credits_posted, debit_debits_pending, debit_credits_pending,
        credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending)
      select id, ${batchId}, 'posted', code, asset, debit, credit, amount, metadata::jsonb, ddp, dcp, ddpe, dcpe,
        cdp, ccp, cdpe, ccpe
      from unnest(${sql.array(columns.id, 'text')}, ${sql.array(columns.code, 'text')},
        ${sql.array(columns.asset, 'text')}, ${sql.array(columns.debit, 'int8')},
        ${sql.array(columns.credit, 'int8')}, ${sql.array(columns.amount, 'int8')},
        ${sql.array(columns.metadata, 'text')}, ${ddp!}, ${dcp!}, ${ddpe!}, ${dcpe!}, ${cdp!}, ${ccp!}, ${cdpe!},
        ${ccpe!}) with ordinality
        as v(id, code, asset, debit, credit, amount, metadata, ddp, dcp, ddpe, dcpe, cdp, ccp, cdpe, ccpe, ordinal)
      order by ordinal`);
    const touched = [...accounts.values()];
    await connection.query(sql.type(noRows)`
      update ledger_account a set debits_posted = v.dp, credits_posted = v.cp
      from unnest(${sql.array(
        touched.map((account) => account.id),
        'int8',
      )}, ${sql.array(
        touched.map((account) => account.debitsPosted),
        'int8',
      )}, ${sql.array(
        touched.map((account) => account.creditsPosted),
        'int8',
      )}) as v(id, dp, cp)
      where a.id = v.id`);
    return transfers.length;
  });
}

/** Bound on the accounts of one import call. */
export const importAccountsMax = 20_000;

const accountIdRow = z.object({ id: z.bigint(), code: z.string() });

/**
 * Creates accounts in one statement, idempotent by code like `createAccounts` (an existing code is left as it is and
 * its id answered); answers each code's id. For imports and benchmarks: `createAccounts` checks each spec against an
 * existing account field by field, two round trips per account.
 */
export async function importAccounts(
  pool: DatabasePool,
  specs: readonly AccountSpec[],
): Promise<Map<string, bigint>> {
  if (specs.length > importAccountsMax)
    throw new LedgerError('batch_too_large', `at most ${importAccountsMax} accounts per import`);
  for (const spec of specs) checkAccountCode(spec.code);
  const column = <T>(pick: (spec: AccountSpec) => T): T[] => specs.map(pick);
  const rows = await pool.any(sql.type(accountIdRow)`
    with inserted as (
      insert into ledger_account (code, asset, kind, owner_ref, debits_must_not_exceed_credits,
        credits_must_not_exceed_debits)
      select * from unnest(${sql.array(
        column((spec) => spec.code),
        'text',
      )},
        ${sql.array(
          column((spec) => spec.asset),
          'text',
        )}, ${sql.array(
          column((spec) => spec.kind),
          'text',
        )},
        ${sql.array(
          column((spec) => spec.ownerRef ?? null),
          'text',
        )},
        ${sql.array(
          column((spec) => spec.debitsMustNotExceedCredits ?? false),
          'bool',
        )},
        ${sql.array(
          column((spec) => spec.creditsMustNotExceedDebits ?? false),
          'bool',
        )})
      on conflict (code) do nothing
      returning id, code
    )
    select id, code from inserted
    union all
    select id, code from ledger_account where code = any(${sql.array(
      column((spec) => spec.code),
      'text',
    )})`);
  return new Map(rows.map((row) => [row.code, row.id]));
}
